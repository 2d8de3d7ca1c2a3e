/**
 * The stateful stack: the DynamoDB tables, the evidence bucket (S3 Object Lock, COMPLIANCE mode), the
 * reports bucket (the annual reports' PDF and .xlsx under `reports/`, the case documents' PDFs under `documents/`), their access-log bucket and the KMS keys. Everything here is retained when the stack is deleted;
 * the stateless stacks receive these resources through typed props.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type { StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { TableId } from '../../shared/manifest.ts';
import { EVIDENCE_BUCKET_ENV, tables as tableSpecs } from '../../shared/store/tables.ts';
import type { KeyAttribute } from '../../shared/store/tables.ts';
import { REPORTS_BUCKET_ENV } from '../constructs/reports-access.ts';
import { CHECKPOINTS_BUCKET_DENIED_ACTIONS, CHECKPOINTS_BUCKET_ENV } from '../constructs/checkpoints-access.ts';

/** Denied to every principal by the evidence bucket's policy. */
export const EVIDENCE_BUCKET_DENIED_ACTIONS = [
  's3:BypassGovernanceRetention',
  's3:DeleteObjectVersion',
  's3:PutBucketObjectLockConfiguration',
] as const;

/**
 * Denied to every principal by the reports bucket's policy, on every object of the bucket: every version of
 * every report file stays (published reports are public records; a draft's earlier versions are the record
 * of what was drafted), and so does every version of every case document under `documents/` (issue 15).
 */
export const REPORTS_BUCKET_DENIED_ACTIONS = ['s3:DeleteObject*'] as const;

export interface DataStackProps extends StackProps {
  /** Default Object Lock retention of evidence objects, in years (COMPLIANCE mode). */
  readonly evidenceRetentionYears: number;
  /** Default Object Lock retention of the audit checkpoints' copies, in years (COMPLIANCE mode). */
  readonly checkpointRetentionYears: number;
}

/** What the stateless stacks may use from the data stack. */
export interface DataResources {
  readonly tables: Readonly<Record<TableId, dynamodb.ITable>>;
  /** Customer-managed key of all tables. */
  readonly tableKey: kms.IKey;
  readonly evidenceBucket: s3.IBucket;
  readonly evidenceKey: kms.IKey;
  /**
   * The bucket's default Object Lock retention (COMPLIANCE), in years: the function that seals evidence
   * sets the same period explicitly (EVIDENCE_RETENTION_YEARS), so both come from this one value.
   */
  readonly evidenceRetentionYears: number;
  /** Asymmetric ECC_NIST_P256 key that signs evidence manifests and audit checkpoints. */
  readonly signingKey: kms.IKey;
  /**
   * The annual reports' files (under `reports/`) and the case documents (under `documents/`, issue 15),
   * SSE-KMS with `reportsKey`.
   */
  readonly reportsBucket: s3.IBucket;
  readonly reportsKey: kms.IKey;
  /** The audit checkpoints' locked copies (under `checkpoints/`), Object Lock COMPLIANCE by default, SSE-KMS. */
  readonly checkpointsBucket: s3.IBucket;
  readonly checkpointsKey: kms.IKey;
}

export class DataStack extends Stack implements DataResources {
  readonly tables: Readonly<Record<TableId, dynamodb.Table>>;
  readonly tableKey: kms.Key;
  readonly evidenceBucket: s3.Bucket;
  readonly evidenceKey: kms.Key;
  readonly evidenceRetentionYears: number;
  readonly accessLogBucket: s3.Bucket;
  readonly signingKey: kms.Key;
  readonly reportsBucket: s3.Bucket;
  readonly reportsKey: kms.Key;
  readonly checkpointsBucket: s3.Bucket;
  readonly checkpointsKey: kms.Key;
  /** Daily and monthly backups of every table (AWS Backup). */
  readonly tableBackups: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const years = props.evidenceRetentionYears;
    if (!Number.isInteger(years) || years < 1 || years > 100) {
      throw new Error(`evidenceRetentionYears must be an integer from 1 to 100, got ${years}`);
    }
    this.evidenceRetentionYears = years;
    const checkpointYears = props.checkpointRetentionYears;
    if (!Number.isInteger(checkpointYears) || checkpointYears < 1 || checkpointYears > 100) {
      throw new Error(`checkpointRetentionYears must be an integer from 1 to 100, got ${checkpointYears}`);
    }

    this.tableKey = new kms.Key(this, 'TableKey', {
      description: 'Encrypts the DynamoDB tables of the three enforcement systems',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // `Table`, not `TableV2`: TableV2 cannot render a customer-managed key in an environment-agnostic
    // stack, and this app synthesises without an account or region.
    this.tables = Object.fromEntries(
      tableSpecs.map((spec) => {
        const table = new dynamodb.Table(this, `${spec.id}Table`, {
          partitionKey: attribute(spec.partitionKey),
          sortKey: attribute(spec.sortKey),
          ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
          billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
          deletionProtection: true,
          encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
          encryptionKey: this.tableKey,
          removalPolicy: RemovalPolicy.RETAIN,
        });
        for (const index of spec.indexes) {
          table.addGlobalSecondaryIndex({
            indexName: index.indexName,
            partitionKey: attribute(index.partitionKey),
            sortKey: attribute(index.sortKey),
            projectionType: dynamodb.ProjectionType.ALL,
          });
        }
        return [spec.id, table];
      }),
    ) as Record<TableId, dynamodb.Table>;

    // AWS Backup on top of point-in-time recovery (35 days, deleted with the table): a daily backup kept
    // 35 days and a monthly one kept a year, in a vault that outlives the tables and the stack. The
    // selection's role gets AWS Backup's service-role managed policy (acknowledged below).
    this.tableBackups = backup.BackupPlan.dailyMonthly1YearRetention(this, 'TableBackups');
    const selection = this.tableBackups.addSelection('Tables', {
      resources: Object.values(this.tables).map((table) => backup.BackupResource.fromDynamoDbTable(table)),
    });
    const backupRole = selection.node.tryFindChild('Role');
    if (backupRole) {
      Validations.of(backupRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason:
          'AWS Backup\'s own service-role policy, which AWS maintains as the services it backs up change; the role is trusted by backup.amazonaws.com only and used by this one selection of the five tables. A hand-written copy would drift from what AWS Backup needs.',
      });
    }

    // Server access logs of the evidence and reports buckets (each under its own prefix). S3 log delivery cannot write to a bucket encrypted
    // with a customer-managed key, hence S3-managed encryption here. (cdk-nag's S1 accepts a bucket
    // that is itself a log destination.)
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      ...PRIVATE_BUCKET,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.evidenceKey = new kms.Key(this, 'EvidenceKey', {
      description: 'Encrypts evidence objects (recordings, photos, documents) in the evidence bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.evidenceBucket = new s3.Bucket(this, 'EvidenceBucket', {
      objectLockEnabled: true,
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.evidenceKey,
      bucketKeyEnabled: true,
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'evidence/',
      // Devices upload in multipart: parts of an upload that was never completed are not evidence. The
      // application aborts uploads left unfinished for 24 hours; this rule is the backstop.
      lifecycleRules: [{ id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(2) }],
      // No CORS configuration: uploads come from the devices' apps, not from browsers.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Default retention in whole years (the L2 construct would write days, 365 a year, and fall
    // short of the legal period by the leap days). COMPLIANCE: no user, not even root, can delete a
    // locked version or shorten its retention before it ends.
    const cfnEvidenceBucket = this.evidenceBucket.node.defaultChild as s3.CfnBucket;
    cfnEvidenceBucket.objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years } },
    };
    // Object-created events go to EventBridge (the API stack's rule invokes the sealing function). Set
    // on the CloudFormation resource itself: the L2 `eventBridgeEnabled` would add CDK's
    // BucketNotifications custom resource (a Lambda function with a managed policy and
    // s3:PutBucketNotification on "*"), which CloudFormation does not need for this. Do not add
    // `addEventNotification` to this bucket: that custom resource would then rewrite the whole
    // notification configuration without this setting.
    cfnEvidenceBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };

    // Belt and braces on top of COMPLIANCE mode, for every principal (root and CloudFormation
    // included): no destroying an object version, no bypassing a retention, no changing the bucket's
    // Object Lock configuration. The functions' roles hold none of these actions anyway. Changing
    // `evidenceRetentionYears` after the first deployment therefore needs this statement removed first
    // (a deliberate two-step change, see infra/README.md).
    this.evidenceBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyEvidenceDestruction',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...EVIDENCE_BUCKET_DENIED_ACTIONS],
        resources: [this.evidenceBucket.bucketArn, this.evidenceBucket.arnForObjects('*')],
      }),
    );

    this.reportsKey = new kms.Key(this, 'ReportsKey', {
      description: 'Encrypts the annual reports (PDF, .xlsx) in the reports bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The annual reports (D13, N13): each version's PDF and .xlsx under reports/<year>/v<n>/, written by
    // the jobs function, downloaded through links the public function signs (GET /public/reports/{year}).
    // Private like every bucket here: a presigned GET is an authenticated request (the signer's rights),
    // so BLOCK_ALL does not stop it, and the browser that follows it needs no CORS (a navigation, not a
    // script's request). SSE-KMS with its own key: drafts and delivered versions are not public until the
    // 31 January publication, and the key policy is a second gate beside IAM; the signer needs kms:Decrypt
    // (through S3) for its links to work. The bucket key keeps KMS calls (a shared account quota) low
    // however often an anonymous client replays a link within its validity.
    // The case documents (issue 15: the penalty-procedure PDFs the cases function generates) are kept here
    // too, under documents/<case id>/<document id>.pdf: the same key, versioning and deletion deny (which
    // covers every object of the bucket, not only reports/), no lifecycle.
    this.reportsBucket = new s3.Bucket(this, 'ReportsBucket', {
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.reportsKey,
      bucketKeyEnabled: true,
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'reports/',
      // No lifecycle rules: reports are kept, every version (an expiration rule would delete without any
      // DeleteObject call, past the deny below). Uploads are single PutObjects, so no multipart leftovers.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Published reports are public records, and issued case documents part of a case file: no principal
    // (root and CloudFormation included) may delete an object or a version, nor their tags, anywhere in the
    // bucket (reports/ and documents/ alike). The functions' roles hold no delete anyway.
    this.reportsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyReportDeletion',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...REPORTS_BUCKET_DENIED_ACTIONS],
        resources: [this.reportsBucket.arnForObjects('*')],
      }),
    );

    // The audit trail's signed checkpoints (issue 12): one object per checkpoint, written once by the
    // checkpoint job, locked by the bucket's default retention as it is written. COMPLIANCE mode: nobody,
    // not even root, can delete a version or shorten its retention, so a checkpoint replaced in the table
    // is found by comparing it with this copy. Its own key, like the other buckets.
    this.checkpointsKey = new kms.Key(this, 'CheckpointsKey', {
      description: 'Encrypts the audit checkpoints in the checkpoints bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.checkpointsBucket = new s3.Bucket(this, 'CheckpointsBucket', {
      objectLockEnabled: true,
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.checkpointsKey,
      bucketKeyEnabled: true,
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'checkpoints/',
      // No lifecycle rules: an expiration rule would remove versions without any DeleteObject call.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Whole years, as for the evidence bucket (the L2 construct would write days).
    (this.checkpointsBucket.node.defaultChild as s3.CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: checkpointYears } },
    };
    this.checkpointsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyCheckpointDestruction',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...CHECKPOINTS_BUCKET_DENIED_ACTIONS],
        resources: [this.checkpointsBucket.bucketArn, this.checkpointsBucket.arnForObjects('*')],
      }),
    );

    this.signingKey = new kms.Key(this, 'SigningKey', {
      description: 'Signs evidence manifests and audit-trail checkpoints (ECDSA P-256)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // Asymmetric keys cannot rotate automatically; a signature must stay verifiable for as long
      // as the evidence it seals is kept.
      enableKeyRotation: false,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // NIST 800-53 R5 asks for cross-region replication of every bucket. The stacks are environment-agnostic
    // and deploy to one region; a replica needs a second region chosen for the bureau (data-residency
    // rules apply to evidence and personal data), its own keys, and for the locked buckets an Object Lock
    // replica with the same retention. Each bucket says what protects it meanwhile.
    const replication: [s3.Bucket, string][] = [
      [this.evidenceBucket, 'Evidence objects are versioned and under Object Lock COMPLIANCE for evidenceRetentionYears, the bucket policy denies deleting versions to everyone, and each object is sealed with a KMS-signed manifest: no one can destroy or alter it in this region.'],
      [this.reportsBucket, 'Report files and case documents are versioned and the bucket policy denies s3:DeleteObject* on every object to everyone; each report file can be rebuilt from the tables (which AWS Backup keeps) by the annual-report job, and each case document from its case.'],
      [this.checkpointsBucket, 'Checkpoint copies are under Object Lock COMPLIANCE and the bucket policy denies deleting them; the audit chain they certify lives in the Audit table, which AWS Backup keeps.'],
      [this.accessLogBucket, 'Server access logs only (versioned, retained): operational records of the evidence, reports and checkpoints buckets, not the records themselves.'],
    ];
    for (const [bucket, protection] of replication) {
      Validations.of(bucket).acknowledge({
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason: `Single-region deployment (no second region chosen; data-residency rules decide where a replica may live). ${protection}`,
      });
    }
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason:
        'S3 server access log delivery cannot write to a bucket whose default encryption is SSE-KMS with a customer-managed key, so this log destination uses SSE-S3 (AES-256). It holds request metadata, never object contents.',
    });

    // For the command-line tools run against AWS (npm run import:powers, audit:verify).
    for (const spec of tableSpecs) {
      new CfnOutput(this, `${spec.id}TableName`, {
        value: this.tables[spec.id].tableName,
        description: `Value of ${spec.envVar}`,
      });
    }
    new CfnOutput(this, 'EvidenceBucketName', { value: this.evidenceBucket.bucketName, description: `Value of ${EVIDENCE_BUCKET_ENV}` });
    new CfnOutput(this, 'SigningKeyArn', { value: this.signingKey.keyArn });
    new CfnOutput(this, 'ReportsBucketName', { value: this.reportsBucket.bucketName, description: `Value of ${REPORTS_BUCKET_ENV}` });
    new CfnOutput(this, 'CheckpointsBucketName', { value: this.checkpointsBucket.bucketName, description: `Value of ${CHECKPOINTS_BUCKET_ENV}` });
  }
}

/** What every bucket here is: TLS 1.2+ only, no public access, no ACLs. */
const PRIVATE_BUCKET = {
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
} as const satisfies Partial<s3.BucketProps>;

const attribute = (key: KeyAttribute): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});
