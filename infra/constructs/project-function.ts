/**
 * The one Lambda construct of the project: runtime, architecture, bundling, tracing, logging and
 * the role are fixed here, so that every function is built and observed the same way, and every
 * permission a function holds is one that a grant helper below gave it.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Charset, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { PUBLIC_OFFICER_ATTRIBUTES } from '../../shared/manifest.ts';
import type { TableAccess } from '../../shared/manifest.ts';
import type { TableSpec } from '../../shared/store/tables.ts';
import { fromRoot, lockFile, repoRoot } from '../paths.ts';
import {
  APPEND_ACTIONS,
  KMS_READ_ACTIONS,
  KMS_WRITE_ACTIONS,
  PUBLIC_READ_ACTIONS,
  READ_ACTIONS,
  WRITE_ACTIONS,
  writes,
} from './table-access.ts';

/**
 * Lets ESM bundles use CommonJS dependencies that call `require` (some AWS SDK and Powertools
 * internals do): esbuild's ESM output has no `require` of its own.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

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
  /** Extra environment variables (table names are added by the grant helpers). */
  readonly environment?: Readonly<Record<string, string>>;
}

export class ProjectFunction extends Construct {
  readonly function: NodejsFunction;
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

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);

    const entry = fromRoot(props.entry);
    if (!existsSync(entry)) {
      throw new Error(`Lambda entry ${props.entry} does not exist (resolved to ${entry})`);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });

    // An explicit role instead of the AWSLambdaBasicExecutionRole managed policy: that policy lets
    // the function create and write any log group in the account; this one only its own.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    this.logGroup.grantWrite(this.role);

    this.dataPolicy = new iam.Policy(this, 'DataAccess');

    this.function = new NodejsFunction(this, 'Function', {
      entry,
      projectRoot: repoRoot,
      depsLockFilePath: lockFile,
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
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'ThreeSystems',
        // Stack traces point into the TypeScript sources through the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        // ESM builds of dependencies first, so that esbuild can tree-shake them.
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Chinese messages stay readable (and smaller) instead of becoming \u escapes.
        charset: Charset.UTF8,
        // The AWS SDK is bundled at the version in package-lock.json rather than taken from the
        // runtime, whose version changes without notice.
        bundleAwsSDK: true,
        externalModules: [],
        logLevel: LogLevel.WARNING,
      },
    });
    // The data policy must exist before the function can be invoked with it.
    this.function.node.addDependency(this.dataPolicy);

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

    switch (access) {
      case 'read':
        this.allow(`Read${spec.id}`, READ_ACTIONS, [tableArn, ...indexArns]);
        break;
      case 'readwrite':
        this.allow(`Read${spec.id}`, READ_ACTIONS, [tableArn, ...indexArns]);
        this.allow(`Write${spec.id}`, WRITE_ACTIONS, [tableArn]);
        break;
      case 'append':
        this.allow(`Append${spec.id}`, APPEND_ACTIONS, [tableArn]);
        break;
      case 'public-read':
        // Only the public projection (AWS's documented pattern): every attribute a request names
        // must be in the list, and a Query must select specific attributes, not ALL_ATTRIBUTES.
        // The public function's reads therefore always carry a ProjectionExpression.
        this.allow(`PublicRead${spec.id}`, PUBLIC_READ_ACTIONS, [tableArn, ...indexArns], {
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
  grantWorkflow(workflow: string, stateMachine: IStateMachine, envVar: string): void {
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
