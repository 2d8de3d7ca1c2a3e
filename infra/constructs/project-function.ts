/**
 * The one Lambda construct of the project: runtime, architecture, bundling, tracing, logging and
 * the role are fixed here, so that every function is built and observed the same way, and every
 * permission a function holds is one that a grant helper below gave it.
 */
import { ArnFormat, AssetHashType, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_OFFICER_ATTRIBUTES } from '../../shared/manifest.ts';
import type { EvidenceAction, FunctionSpec, TableAccess } from '../../shared/manifest.ts';
import type { TableSpec } from '../../shared/store/tables.ts';
import type { BundledFile } from '../bundled-files.ts';
import { buildLambdaSync } from '../bundling.ts';
import { fromRoot, repoRoot } from '../paths.ts';
import { ALERT_TOPIC_ENV, PUBLISH_ACTIONS, PUBLISHER_KEY_ACTIONS, SNS_TOPIC_ENCRYPTION_CONTEXT } from './alert-access.ts';
import {
  DEVICE_CLIENT_ACTIONS,
  DEVICE_TOKEN_URL_ENV,
  evidenceKeyActions,
  FORBIDDEN_EVIDENCE_ACTION,
  PUBLIC_KEY_ACTIONS,
  RETENTION_YEARS_ENV,
  SIGN_ACTIONS,
  SIGNING_ALGORITHM,
  SIGNING_KEY_ENV,
  SIGNING_MESSAGE_TYPE,
  USER_POOL_ID_ENV,
} from './evidence-access.ts';
import { CURSOR_SECRET_ACTIONS, CURSOR_SECRET_ENV } from './cursor-access.ts';
import { REPORT_KEY_ACTIONS, REPORT_OBJECT_ACTIONS, REPORTS_BUCKET_ENV, REPORTS_PREFIX } from './reports-access.ts';
import type { ReportsAccess } from './reports-access.ts';
import { DOCUMENT_KEY_ACTIONS, DOCUMENT_OBJECT_ACTIONS, DOCUMENTS_BUCKET_ENV, DOCUMENTS_PREFIX } from './documents-access.ts';
import type { DocumentsAccess } from './documents-access.ts';
import { CHECKPOINT_KEY_ACTIONS, CHECKPOINT_OBJECT_ACTIONS, CHECKPOINTS_BUCKET_ENV, CHECKPOINTS_PREFIX } from './checkpoints-access.ts';
import type { CheckpointsAccess } from './checkpoints-access.ts';
import {
  APPEND_EVENT_ACTIONS,
  AUDIT_CHAIN_PARTITIONS,
  AUDIT_CHECKPOINT_PARTITIONS,
  AUDIT_HEAD_ATTRIBUTES,
  AUDIT_ONLY_ACCESS,
  AUDIT_PUBLIC_READ_ACTIONS,
  CHAIN_READ_ACTIONS,
  CHECKPOINT_WRITE_ACTIONS,
  HEAD_UPDATE_RETURN_VALUES,
  MOVE_HEAD_ACTIONS,
  KMS_READ_ACTIONS,
  KMS_WRITE_ACTIONS,
  PUBLIC_READ_ACTIONS,
  READ_ACTIONS,
  WRITE_ACTIONS,
  writes,
} from './table-access.ts';

export interface ProjectFunctionProps {
  /** Entry file, relative to the repository root (as listed in shared/manifest.ts). */
  readonly entry: string;
  readonly description: string;
  /** Used in POWERTOOLS_SERVICE_NAME, e.g. `three-systems-registry`. */
  readonly serviceName: string;
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memoryMb?: number;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the function's log group (the stack's logs key, `LogsKey`). */
  readonly logKey: IKey;
  /** Extra environment variables (table names are added by the grant helpers). */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Files copied next to index.mjs after esbuild has run (infra/bundled-files.ts): data the code reads at
   * run time, such as the report font. Part of the asset, so they change its hash.
   * @default - none
   */
  readonly bundledFiles?: readonly BundledFile[];
  /**
   * Executions this function may run at once, reserved out of the account's pool: a ceiling for it and a
   * floor the others cannot take from it (the anonymous public API, so that a flood cannot starve the rest).
   * @default - none: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
  /**
   * For functions invoked asynchronously (by EventBridge): how often Lambda retries a failed invocation,
   * and the queue that receives the event when it gives up.
   * @default - Lambda's defaults (2 retries, 6 hours), no dead-letter queue
   */
  readonly asyncInvoke?: {
    readonly retryAttempts: number;
    readonly maxEventAge: Duration;
    readonly deadLetterQueue: IQueue;
  };
  /**
   * For a function nothing invokes asynchronously (API and workflow tasks are synchronous): the queue that
   * takes an asynchronous invocation that failed anyway (an operator's `--invocation-type Event`, a trigger
   * added later without its own queue), so that no failed event is dropped unseen. Ignored with `asyncInvoke`.
   * @default - none
   */
  readonly unexpectedAsyncDeadLetterQueue?: IQueue;
}

/** The reports bucket, for a function with `reportsBucket`. */
export interface ReportsBucketGrant {
  readonly bucket: IBucket;
  /** The bucket's encryption key (SSE-KMS). */
  readonly key: IKey;
  readonly access: ReportsAccess;
}

/** The reports bucket's `documents/` objects, for a function with `documentsBucket`. */
export interface DocumentsBucketGrant {
  readonly bucket: IBucket;
  /** The bucket's encryption key (SSE-KMS). */
  readonly key: IKey;
  readonly access: DocumentsAccess;
}

/** The audit checkpoints' bucket, for a function with `checkpointsBucket`. */
export interface CheckpointsBucketGrant {
  readonly bucket: IBucket;
  /** The bucket's encryption key (SSE-KMS). */
  readonly key: IKey;
  readonly access: CheckpointsAccess;
}

/** Where a function's evidence grant applies. */
export interface EvidenceBucketGrant {
  readonly bucket: IBucket;
  /** The bucket's encryption key. */
  readonly key: IKey;
  /** Key prefix the grant is limited to (EVIDENCE_PREFIX). */
  readonly prefix: string;
  readonly actions: readonly EvidenceAction[];
  /** The bucket's default retention in years, passed to a function that sets retention itself. */
  readonly retentionYears: number;
}

export class ProjectFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /**
   * Table and key permissions, kept out of the role's default policy (which CDK fills with the
   * X-Ray statements) so that what a function may do to data reads as one document.
   */
  readonly dataPolicy: iam.Policy;
  private readonly keyGrants = new Set<string>();
  /** Step Functions permissions (only for functions that drive a workflow); created on first use. */
  private workflowPolicy: iam.Policy | undefined;
  /** Cognito app-client permissions (only for the function that registers devices). */
  private deviceClientPolicy: iam.Policy | undefined;
  /** Publishing to the alert topic (only for functions with `publishesAlerts`). */
  private alertPolicy: iam.Policy | undefined;
  /** Variables set by the grant helpers, to refuse one set twice to different values (setGrantEnvironment). */
  private readonly grantEnvironment = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);

    const entry = fromRoot(props.entry);
    if (!existsSync(entry)) {
      throw new Error(`Lambda entry ${props.entry} does not exist (resolved to ${entry})`);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, encryptionKey: props.logKey });

    // An explicit role instead of the AWSLambdaBasicExecutionRole managed policy: that policy lets
    // the function create and write any log group in the account; this one only its own.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    this.logGroup.grantWrite(this.role);

    this.dataPolicy = new iam.Policy(this, 'DataAccess');

    this.function = new lambda.Function(this, 'Function', {
      code: lambdaCode(props.entry, props.bundledFiles ?? []),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: Duration.seconds(props.timeoutSeconds ?? 10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'ThreeSystems',
        ...props.environment,
      },
      ...(props.asyncInvoke
        ? {
            retryAttempts: props.asyncInvoke.retryAttempts,
            maxEventAge: props.asyncInvoke.maxEventAge,
            deadLetterQueue: props.asyncInvoke.deadLetterQueue,
          }
        : props.unexpectedAsyncDeadLetterQueue
          ? { deadLetterQueue: props.unexpectedAsyncDeadLetterQueue }
          : {}),
    });
    // The data policy must exist before the function can be invoked with it.
    this.function.node.addDependency(this.dataPolicy);

    acknowledgeFunctionFindings(this.function, props);

    // Tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords to the default policy.
    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so AWS requires Resource "*". Table and key permissions are in the separate DataAccess policy, which has no wildcard.',
      });
    }
  }

  /**
   * Grants one kind of access to one table, as listed in shared/manifest.ts, and passes the table
   * name in the table's environment variable.
   */
  grantTable(spec: TableSpec, table: ITable, key: IKey, access: TableAccess): void {
    this.function.addEnvironment(spec.envVar, table.tableName);

    const tableArn = table.tableArn;
    // Index ARNs named one by one (not `index/*`): an index added later is not readable by default.
    const indexArns = spec.indexes.map((index) => `${tableArn}/index/${index.indexName}`);

    if (AUDIT_ONLY_ACCESS.includes(access) && spec.id !== 'Audit') throw new Error(`Table access ${access} is for the Audit table only, not ${spec.id}`);
    // The Audit table's kinds of item by partition (table-access.ts): a grant names the ones it may touch.
    const chains = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...AUDIT_CHAIN_PARTITIONS] } };
    const checkpointItems = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...AUDIT_CHECKPOINT_PARTITIONS] } };
    const appendToChains = (): void => {
      if (spec.id !== 'Audit') throw new Error(`Append access is for the Audit table only, not ${spec.id}`);
      this.allow('AppendAuditEvents', APPEND_EVENT_ACTIONS, [tableArn], chains);
      this.allow('MoveAuditHeads', MOVE_HEAD_ACTIONS, [tableArn], {
        ...chains,
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...AUDIT_HEAD_ATTRIBUTES] },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': [...HEAD_UPDATE_RETURN_VALUES] },
      });
    };

    switch (access) {
      case 'read':
        this.allow(`Read${spec.id}`, READ_ACTIONS, [tableArn, ...indexArns]);
        break;
      case 'read-checkpoint':
        this.allow(`Read${spec.id}`, READ_ACTIONS, [tableArn, ...indexArns]);
        this.allow('WriteAuditCheckpoints', CHECKPOINT_WRITE_ACTIONS, [tableArn], checkpointItems);
        break;
      case 'append-checkpoint':
        appendToChains();
        this.allow('ReadAuditChains', CHAIN_READ_ACTIONS, [tableArn], chains);
        this.allow('WriteAuditCheckpoints', CHECKPOINT_WRITE_ACTIONS, [tableArn], checkpointItems);
        break;
      case 'audit-public-read':
        this.allow('PublicReadAuditCheckpoints', AUDIT_PUBLIC_READ_ACTIONS, [tableArn], checkpointItems);
        break;
      case 'readwrite':
        this.allow(`Read${spec.id}`, READ_ACTIONS, [tableArn, ...indexArns]);
        this.allow(`Write${spec.id}`, WRITE_ACTIONS, [tableArn]);
        break;
      case 'append':
        appendToChains();
        break;
      case 'public-read':
        // Only the public projection (AWS's documented pattern): every attribute a request names
        // must be in the list, and a Query must select specific attributes, not ALL_ATTRIBUTES.
        // The public function's reads therefore always carry a ProjectionExpression. Only the indexes
        // keyed by public attributes: an internal queue (Officers gsi3, certificates by expiry) is not
        // the public's to page through, even in projection.
        this.allow(`PublicRead${spec.id}`, PUBLIC_READ_ACTIONS, [tableArn, ...publicIndexArns(spec, tableArn)], {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...PUBLIC_OFFICER_ATTRIBUTES] },
          StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        });
        break;
      default: {
        const unknown: never = access;
        throw new Error(`Unknown table access ${String(unknown)}`);
      }
    }

    // The table key, only through DynamoDB (never to decrypt anything directly); one statement
    // for reads and one for writes, however many tables share the key.
    const keyUse = writes(access) ? 'Write' : 'Read';
    const grantId = `${key.node.path}:${keyUse}`;
    if (!this.keyGrants.has(grantId)) {
      this.keyGrants.add(grantId);
      const stack = Stack.of(this);
      const sid = `${key.node.id.replace(/[^A-Za-z0-9]/g, '')}${keyUse}`;
      this.allow(sid, keyUse === 'Write' ? KMS_WRITE_ACTIONS : KMS_READ_ACTIONS, [key.keyArn], {
        StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` },
      });
    }
  }

  /**
   * Lets the function drive a workflow: start executions of this state machine (its ARN in
   * `envVar`), and complete, fail or heartbeat the human steps it holds task tokens for.
   */
  grantWorkflow(workflow: string, stateMachine: StateMachine, envVar: string): void {
    this.function.addEnvironment(envVar, stateMachine.stateMachineArn);
    let policy = this.workflowPolicy;
    if (!policy) {
      policy = new iam.Policy(this, 'WorkflowAccess');
      policy.attachToRole(this.role);
      this.function.node.addDependency(policy);
      // Which execution a token belongs to is known only to Step Functions: the Service Authorization
      // Reference lists no resource type for SendTask*, so the statement must name "*".
      policy.addStatements(
        new iam.PolicyStatement({
          sid: 'CompleteTaskTokens',
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: ['*'],
        }),
      );
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Task-token callbacks (states:SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) do not support resource-level permissions (no resource type in the Service Authorization Reference), so AWS requires Resource "*"; a call acts only on the execution whose unguessable token it presents, and the function reads tokens only of its own workflow from Cases. These three actions are the only ones on "*" here: StartExecution names the state machine.',
      });
    }
    const sid = `Start${workflow.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}`;
    policy.addStatements(new iam.PolicyStatement({ sid, actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] }));
    // Re-opening a step whose token has gone stops the old execution (a withdrawal too, when its
    // token is gone): executions of this state machine only, whose ids are known only at run time.
    const executions = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    policy.addStatements(new iam.PolicyStatement({ sid: `Stop${sid.slice('Start'.length)}`, actions: ['states:StopExecution'], resources: [executions] }));
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${Stack.of(this).getLogicalId(stateMachine.node.defaultChild as CfnElement)}.Name>:*]`,
      reason: 'StopExecution on the executions of this one state machine: execution ids are made at run time (one per review, and one per re-opened step), so the ARN ends in "*" after the state machine name.',
    });
  }

  /**
   * Grants the manifest's S3 actions on the evidence objects (`<bucket ARN>/<prefix>*`, nothing else of
   * the bucket), and what S3 needs on the bucket key to read or write them for this function. A function
   * that sets retention gets the bucket's default retention in RETENTION_YEARS_ENV.
   */
  grantEvidenceBucket(grant: EvidenceBucketGrant): void {
    const forbidden = grant.actions.filter((a) => FORBIDDEN_EVIDENCE_ACTION.test(a) || !a.startsWith('s3:'));
    if (forbidden.length > 0) throw new Error(`Evidence bucket actions not allowed for ${this.node.path}: ${forbidden.join(', ')}`);
    if (grant.actions.length === 0) throw new Error(`Empty evidenceBucket for ${this.node.path}`);
    if (!/^[a-z0-9-]+\/$/.test(grant.prefix)) throw new Error(`Evidence prefix must be a folder such as "evidence/", got ${grant.prefix}`);

    // `<prefix>*`: objects are keyed by case and evidence id, so the grant must cover the folder; the
    // AwsSolutions-IAM5 finding this raises is acknowledged below for exactly this resource.
    const objects = grant.bucket.arnForObjects(`${grant.prefix}*`);
    this.allow('EvidenceObjects', [...new Set(grant.actions)], [objects]);
    const stack = Stack.of(this);
    const policy = this.dataPolicy;
    const reason = `Evidence objects are keyed ${grant.prefix}<case id>/<evidence id>, created at run time: the grant (${grant.actions.join(', ')}) must cover the ${grant.prefix} folder, and covers nothing else of the bucket. No delete or retention-bypass action is granted, and the bucket policy denies them to everyone.`;
    // The finding names the resource as the template has it: for the data stack's bucket an
    // Fn::ImportValue whose export name CDK chooses only when it prepares the app. So the acknowledgement
    // is recorded then: node validations run after cross-stack references are resolved and before the
    // validation plugins (cdk-nag) read the acknowledgements.
    policy.node.addValidation({
      validate: () => {
        Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${iam5Resource(stack, objects)}]`, reason });
        return [];
      },
    });

    const keyActions = evidenceKeyActions(grant.actions);
    if (keyActions.length > 0) {
      this.allow(keyActions.includes('kms:GenerateDataKey') ? 'EvidenceKeyWrite' : 'EvidenceKeyRead', keyActions, [grant.key.keyArn], {
        StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` },
      });
    }

    if (grant.actions.includes('s3:PutObjectRetention')) {
      this.function.addEnvironment(RETENTION_YEARS_ENV, String(grant.retentionYears));
    }
  }

  /**
   * The reports bucket (`reportsBucket`): `read` → s3:GetObject, `write` → s3:PutObject and s3:GetObject,
   * on `<bucket ARN>/reports/*` only; and what S3 needs on the bucket key for them, only through S3. The
   * bucket's name is passed in REPORTS_BUCKET_ENV. Never a delete (reports-access.ts).
   */
  grantReportsBucket(grant: ReportsBucketGrant): void {
    const actions = REPORT_OBJECT_ACTIONS[grant.access];
    const keyActions = REPORT_KEY_ACTIONS[grant.access];
    if (!actions || !keyActions) throw new Error(`Unknown reports bucket access ${String(grant.access)} for ${this.node.path}`);
    this.setGrantEnvironment(REPORTS_BUCKET_ENV, grant.bucket.bucketName);

    const objects = grant.bucket.arnForObjects(`${REPORTS_PREFIX}*`);
    this.allow('ReportObjects', actions, [objects]);
    const stack = Stack.of(this);
    const policy = this.dataPolicy;
    const reason = `Report files are keyed ${REPORTS_PREFIX}<year>/v<version>/<file>, created at run time (a new version for each correction): the grant (${actions.join(', ')}) must cover the ${REPORTS_PREFIX} folder, and covers nothing else of the bucket. No delete is granted, and the bucket policy denies s3:DeleteObject* to everyone.`;
    // Recorded once the export name is known, as for the evidence objects (grantEvidenceBucket).
    policy.node.addValidation({
      validate: () => {
        Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${iam5Resource(stack, objects)}]`, reason });
        return [];
      },
    });
    this.allow(grant.access === 'write' ? 'ReportsKeyWrite' : 'ReportsKeyRead', keyActions, [grant.key.keyArn], {
      StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` },
    });
  }

  /**
   * The case documents (`documentsBucket`): `write` → s3:PutObject and s3:GetObject on
   * `<bucket ARN>/documents/*` of the reports bucket only; and what S3 needs on the bucket key for them,
   * only through S3. The bucket's name is passed in REPORTS_BUCKET (DOCUMENTS_BUCKET_ENV), which a function
   * with `reportsBucket` as well already has, with the same value. Never a delete (documents-access.ts).
   */
  grantDocumentsBucket(grant: DocumentsBucketGrant): void {
    const actions = DOCUMENT_OBJECT_ACTIONS[grant.access];
    const keyActions = DOCUMENT_KEY_ACTIONS[grant.access];
    if (!actions || !keyActions) throw new Error(`Unknown documents bucket access ${String(grant.access)} for ${this.node.path}`);
    this.setGrantEnvironment(DOCUMENTS_BUCKET_ENV, grant.bucket.bucketName);

    const objects = grant.bucket.arnForObjects(`${DOCUMENTS_PREFIX}*`);
    this.allow('DocumentObjects', actions, [objects]);
    const stack = Stack.of(this);
    const policy = this.dataPolicy;
    const reason = `Case documents are keyed ${DOCUMENTS_PREFIX}<case id>/<document id>.pdf, created at run time per case and document: the grant (${actions.join(', ')}) must cover the ${DOCUMENTS_PREFIX} folder, and covers nothing else of the bucket. No delete is granted, and the bucket policy denies s3:DeleteObject* to everyone.`;
    // Recorded once the export name is known, as for the evidence objects (grantEvidenceBucket).
    policy.node.addValidation({
      validate: () => {
        Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${iam5Resource(stack, objects)}]`, reason });
        return [];
      },
    });
    this.allow('DocumentsKeyWrite', keyActions, [grant.key.keyArn], {
      StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` },
    });
  }

  /**
   * The checkpoints bucket (`checkpointsBucket`): s3:PutObject and s3:GetObject on `<bucket ARN>/checkpoints/*`
   * only, and what S3 needs on the bucket key for them, only through S3. The bucket's name is passed in
   * CHECKPOINTS_BUCKET_ENV. Never a delete or a retention change (checkpoints-access.ts).
   */
  grantCheckpointsBucket(grant: CheckpointsBucketGrant): void {
    const actions = CHECKPOINT_OBJECT_ACTIONS[grant.access];
    const keyActions = CHECKPOINT_KEY_ACTIONS[grant.access];
    if (!actions || !keyActions) throw new Error(`Unknown checkpoints bucket access ${String(grant.access)} for ${this.node.path}`);
    this.function.addEnvironment(CHECKPOINTS_BUCKET_ENV, grant.bucket.bucketName);

    const objects = grant.bucket.arnForObjects(`${CHECKPOINTS_PREFIX}*`);
    this.allow('CheckpointObjects', actions, [objects]);
    const stack = Stack.of(this);
    const policy = this.dataPolicy;
    const reason = `Checkpoint copies are keyed ${CHECKPOINTS_PREFIX}<chain>/<tree size>.json, created at run time (one per new checkpoint): the grant (${actions.join(', ')}) must cover the ${CHECKPOINTS_PREFIX} folder, and covers nothing else of the bucket. No delete or retention action is granted, and the bucket policy denies them to everyone.`;
    // Recorded once the export name is known, as for the evidence objects (grantEvidenceBucket).
    policy.node.addValidation({
      validate: () => {
        Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${iam5Resource(stack, objects)}]`, reason });
        return [];
      },
    });
    this.allow('CheckpointsKeyWrite', keyActions, [grant.key.keyArn], {
      StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` },
    });
  }

  /**
   * The evidence signing key (asymmetric, KMS): `verify` reads its public key; `sign` may also sign, with
   * the one algorithm and message type shared/aws/signer.ts uses. The key's ARN is passed in
   * SIGNING_KEY_ENV.
   */
  grantSigningKey(key: IKey, use: NonNullable<FunctionSpec['signingKey']>): void {
    this.function.addEnvironment(SIGNING_KEY_ENV, key.keyArn);
    this.allow('ReadSigningPublicKey', PUBLIC_KEY_ACTIONS, [key.keyArn]);
    if (use === 'sign') {
      this.allow('SignEvidenceManifests', SIGN_ACTIONS, [key.keyArn], {
        StringEquals: { 'kms:SigningAlgorithm': SIGNING_ALGORITHM, 'kms:MessageType': SIGNING_MESSAGE_TYPE },
      });
    }
  }

  /**
   * The cursor-signing secret (`pagesLists`): `secretsmanager:GetSecretValue` on that secret only, its ARN in
   * CURSOR_SECRET_ENV. The secret is encrypted with Secrets Manager's AWS managed key, which needs no grant.
   */
  grantCursorSecret(secret: ISecret): void {
    this.function.addEnvironment(CURSOR_SECRET_ENV, secret.secretArn);
    this.allow('ReadCursorSecret', CURSOR_SECRET_ACTIONS, [secret.secretArn]);
  }

  /**
   * Lets the function create and delete the user pool's app clients of field devices, and passes the
   * pool id and the token endpoint the devices use.
   */
  grantDeviceClients(userPool: IUserPool, tokenUrl: string): void {
    if (this.deviceClientPolicy) return;
    this.function.addEnvironment(USER_POOL_ID_ENV, userPool.userPoolId);
    this.function.addEnvironment(DEVICE_TOKEN_URL_ENV, tokenUrl);
    this.deviceClientPolicy = new iam.Policy(this, 'DeviceClientAccess', {
      statements: [new iam.PolicyStatement({ sid: 'ManageDeviceClients', actions: [...DEVICE_CLIENT_ACTIONS], resources: [userPool.userPoolArn] })],
    });
    this.deviceClientPolicy.attachToRole(this.role);
    this.function.node.addDependency(this.deviceClientPolicy);
  }

  /**
   * Lets the function publish to the alert topic (`publishesAlerts`): `sns:Publish` on that topic only,
   * and, the topic being encrypted, the key use SNS needs on the publisher's behalf, only through SNS and
   * only for this topic (see alert-access.ts). The topic's ARN is passed in ALERT_TOPIC_ENV.
   */
  grantAlertPublish(topic: ITopic): void {
    if (this.alertPolicy) return;
    this.function.addEnvironment(ALERT_TOPIC_ENV, topic.topicArn);
    const statements = [new iam.PolicyStatement({ sid: 'PublishAlerts', actions: [...PUBLISH_ACTIONS], resources: [topic.topicArn] })];
    if (topic.masterKey) {
      const stack = Stack.of(this);
      statements.push(
        new iam.PolicyStatement({
          sid: 'EncryptAlertsThroughSns',
          actions: [...PUBLISHER_KEY_ACTIONS],
          resources: [topic.masterKey.keyArn],
          conditions: {
            StringEquals: {
              'kms:ViaService': `sns.${stack.region}.${stack.urlSuffix}`,
              [SNS_TOPIC_ENCRYPTION_CONTEXT]: topic.topicArn,
            },
          },
        }),
      );
    }
    this.alertPolicy = new iam.Policy(this, 'AlertAccess', { statements });
    this.alertPolicy.attachToRole(this.role);
    this.function.node.addDependency(this.alertPolicy);
  }

  /**
   * Sets a variable a grant passes to the function. Two grants may pass the same one (REPORTS_BUCKET, for
   * `reportsBucket` and `documentsBucket`): with the same value that is one variable; a different value
   * would silently replace the first, so it is refused.
   */
  private setGrantEnvironment(name: string, value: string): void {
    const previous = this.grantEnvironment.get(name);
    if (previous !== undefined && previous !== value) {
      throw new Error(`${this.node.path}: ${name} is already set to another value by an earlier grant`);
    }
    this.grantEnvironment.set(name, value);
    this.function.addEnvironment(name, value);
  }

  private allow(
    sid: string,
    actions: readonly string[],
    resources: readonly string[],
    conditions?: Record<string, Record<string, unknown>>,
  ): void {
    this.dataPolicy.addStatements(
      new iam.PolicyStatement({
        sid,
        actions: [...actions],
        resources: [...resources],
        ...(conditions ? { conditions } : {}),
      }),
    );
    this.dataPolicy.attachToRole(this.role);
  }
}

/**
 * Copies each file into the bundle once esbuild has written it. CDK runs the commands with `bash -c`
 * (local bundling, as here: esbuild is installed) or in the bundling container; `inputDir` is the project
 * root there. Paths are single-quoted for the shell.
 */
/**
 * The function's asset: esbuild with infra/bundling.ts's options (code splitting, Lambda's credential
 * provider and the SDK barrel rewrite), run at synth in a child process (buildLambdaSync), then the bundled files copied next to index.mjs. Hashed by its
 * output, so a change anywhere in the code it bundles is a new asset and nothing else is.
 */
function lambdaCode(entry: string, files: readonly BundledFile[]): lambda.Code {
  for (const file of files) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file.to)) throw new Error(`Bundled file name ${JSON.stringify(file.to)} must be a plain file name`);
    if (!existsSync(fromRoot(file.from))) throw new Error(`Bundled file ${file.from} does not exist (resolved to ${fromRoot(file.from)})`);
  }
  return lambda.Code.fromAsset(repoRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always succeeds or throws (esbuild is a dependency of the project).
      image: lambda.Runtime.NODEJS_24_X.bundlingImage,
      // CDK reuses a staged asset within a synth when source path and bundling options are equal, and it
      // cannot see into `local`: the entry and the files must be in the options, or every function of
      // the app would get the first one's code.
      environment: { LAMBDA_ENTRY: entry, LAMBDA_BUNDLED_FILES: files.map((f) => `${f.from}=${f.to}`).join(',') },
      local: {
        tryBundle(outputDir: string): boolean {
          buildLambdaSync(entry, outputDir); // throws if esbuild fails
          for (const file of files) copyFileSync(fromRoot(file.from), join(outputDir, file.to));
          return true;
        },
      },
    },
  });
}

/** The index ARNs of a table whose partition and sort keys are both public attributes (PUBLIC_OFFICER_ATTRIBUTES). */
function publicIndexArns(spec: TableSpec, tableArn: string): string[] {
  const isPublic = (name: string): boolean => (PUBLIC_OFFICER_ATTRIBUTES as readonly string[]).includes(name);
  return spec.indexes.filter((i) => isPublic(i.partitionKey.name) && isPublic(i.sortKey.name)).map((i) => `${tableArn}/index/${i.indexName}`);
}

/**
 * A resource as cdk-nag names it in a finding id (its flattenCfnReference, which the package does not
 * export): `Fn::Join` joined, `Fn::GetAtt` as `<Resource.Attribute>`, `Ref` as `<Name>`, `Fn::ImportValue`
 * as the export's name. Resolved with the stack's own resolver, so the acknowledgement matches the
 * finding whatever the logical ids and export names are.
 */
function iam5Resource(stack: Stack, value: string): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (Array.isArray(o['Fn::Join'])) {
        const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
        return items.map(visit).join(delimiter);
      }
      if (o['Fn::Sub'] !== undefined) return visit(o['Fn::Sub']);
      if (Array.isArray(o['Fn::GetAtt'])) {
        const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
        return `<${visit(resource)}.${visit(attribute)}>`;
      }
      if (o['Fn::ImportValue'] !== undefined) return visit(o['Fn::ImportValue']);
      if (o.Ref !== undefined) return `<${visit(o.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(stack.resolve(value));
}

/**
 * The cdk-nag findings every function of this design raises, acknowledged on the function itself (one
 * acknowledgement per finding; infra/README.md lists them).
 */
function acknowledgeFunctionFindings(fn: lambda.Function, props: ProjectFunctionProps): void {
  if (props.asyncInvoke) {
    const invokeConfig = fn.node.tryFindChild('EventInvokeConfig');
    if (invokeConfig) {
      Validations.of(invokeConfig).acknowledge({
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason:
          'The function\'s dead-letter queue (DeadLetterConfig) already keeps every event that fails after Lambda\'s retries, and an alarm reports it. An on-failure destination to the same queue would put each failed event there twice, in two shapes; the replay procedure (infra/README.md) expects the event itself as the message body.',
      });
    }
  }
  Validations.of(fn).acknowledge({
    id: 'NIST.800.53.R5-LambdaInsideVPC',
    reason:
      'The function reaches only AWS APIs (DynamoDB, S3, KMS, Secrets Manager, SNS, Step Functions, Cognito) over TLS with IAM-signed requests; there is no VPC resource to reach. A VPC would need a NAT gateway or about eight interface endpoints per AZ for the same calls, at a standing cost, with no network boundary the data does not already have through IAM and key policies.',
  });
  if (props.reservedConcurrency === undefined) {
    Validations.of(fn).acknowledge({
      id: 'NIST.800.53.R5-LambdaConcurrency',
      reason:
        'Only the function behind the anonymous routes reserves concurrency (publicReservedConcurrency), so that a public flood is throttled there. A reservation for each staff function would take its share out of the account pool whether used or not and cap it below what a busy day needs; the stage throttle and WAF rate limit bound the load instead (infra/README.md, Operations).',
    });
  }
}
