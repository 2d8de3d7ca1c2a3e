/**
 * The audit checkpoints as deployed (issue 12, points 2 and 6): the checkpoints bucket (Object Lock
 * COMPLIANCE by default for `checkpointRetentionYears`, SSE-KMS with its own key, versioned, private,
 * TLS only, access-logged, retained, no lifecycle; deletes, retention and legal-hold changes, bypass and
 * lock-configuration changes denied to everyone); `checkpointsBucket` in the manifest → IAM (jobs and
 * audit write `checkpoints/*`, nobody deletes); the hourly schedule; the public routes; and the Audit
 * table grants of every function, action by action, with their `dynamodb:LeadingKeys` conditions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_KEY_ACTIONS,
  CHECKPOINT_OBJECT_ACTIONS,
  CHECKPOINTS_BUCKET_DENIED_ACTIONS,
  CHECKPOINTS_BUCKET_ENV,
  CHECKPOINTS_PREFIX,
} from '../../infra/constructs/checkpoints-access.ts';
import { CHECKPOINTS_BUCKET_ENV as RUNTIME_BUCKET_ENV, CHECKPOINTS_PREFIX as RUNTIME_PREFIX } from '../../shared/aws/checkpoints-bucket.ts';
import { CHECKPOINT_PK_PREFIXES } from '../../shared/store/checkpoints.ts';
import { functions, routes } from '../../shared/manifest.ts';
import type { FunctionId } from '../../shared/manifest.ts';
import { AUDIT_CHECKPOINT_CRON, schedules } from '../../shared/schedules.ts';
import { actionsOf, allStatements, logicalId, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { Statement, SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING });
});

const bucketId = () => logicalId(built.data.checkpointsBucket);
const keyId = () => logicalId(built.data.checkpointsKey);
const bucketArn = () => ({ 'Fn::GetAtt': [bucketId(), 'Arn'] });
const bucket = () => built.dataTemplate.findResources('AWS::S3::Bucket')[bucketId()];
const statementsOf = (fn: FunctionId): Statement[] => statementsOfRole(built.apiTemplate, logicalId(built.api.functions[fn].role));
const envOf = (fn: FunctionId): Record<string, unknown> =>
  built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[fn].function)]?.Properties.Environment.Variables;
const onBucketOrKey = (statements: Statement[]) => statements.filter((s) => JSON.stringify(s.Resource).includes(bucketId()) || JSON.stringify(s.Resource).includes(keyId()));
/** Statements of a function that name the Audit table. */
const onAudit = (fn: FunctionId) => statementsOf(fn).filter((s) => JSON.stringify(s.Resource).includes(logicalId(built.data.tables.Audit)));
const bucketPolicy = (): Statement[] => {
  const policies = Object.values(built.dataTemplate.findResources('AWS::S3::BucketPolicy')).filter((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId() }));
  expect(policies).toHaveLength(1);
  return policies[0]?.Properties.PolicyDocument.Statement as Statement[];
};

describe('the checkpoints bucket', () => {
  it('has Object Lock with a default COMPLIANCE retention in whole years from context (default 30), versioned, retained', () => {
    expect(bucket()?.DeletionPolicy).toBe('Retain');
    expect(bucket()?.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 30 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(built.data.accessLogBucket) }, LogFilePrefix: 'checkpoints/' },
    });
    // An expiration rule would remove versions without a DeleteObject call.
    expect(bucket()?.Properties.LifecycleConfiguration).toBeUndefined();
    const other = synthesise({ ...SKIP_BUNDLING, checkpointRetentionYears: '12' });
    expect(other.dataTemplate.findResources('AWS::S3::Bucket')[logicalId(other.data.checkpointsBucket)]?.Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'COMPLIANCE', Years: 12 });
    expect(() => synthesise({ ...SKIP_BUNDLING, checkpointRetentionYears: '0' })).toThrow(/checkpointRetentionYears/);
  });

  it('is SSE-KMS with its own rotating key', () => {
    expect(bucket()?.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId(), 'Arn'] } } }],
    });
    expect(built.dataTemplate.findResources('AWS::KMS::Key')[keyId()]?.Properties).toMatchObject({ EnableKeyRotation: true });
    expect([logicalId(built.data.evidenceKey), logicalId(built.data.reportsKey), logicalId(built.data.tableKey)]).not.toContain(keyId());
  });

  it('denies non-TLS requests, and to every principal deletes, retention and legal-hold changes, bypass and lock changes', () => {
    const statements = bucketPolicy();
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const deny = statements.find((s) => s.Sid === 'DenyCheckpointDestruction');
    expect(deny).toEqual({
      Sid: 'DenyCheckpointDestruction',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      // CDK sorts a statement's actions.
      Action: [...CHECKPOINTS_BUCKET_DENIED_ACTIONS].sort(),
      Resource: [bucketArn(), { 'Fn::Join': ['', [bucketArn(), '/*']] }],
    });
    expect([...CHECKPOINTS_BUCKET_DENIED_ACTIONS].sort()).toEqual(
      ['s3:BypassGovernanceRetention', 's3:DeleteObject*', 's3:PutBucketObjectLockConfiguration', 's3:PutObjectLegalHold', 's3:PutObjectRetention'].sort(),
    );
  });

  it('is written by jobs and audit on checkpoints/* only (Put, Get; the key through S3); no other function touches it; nobody deletes', () => {
    const writers = functions.filter((f) => f.checkpointsBucket).map((f) => f.id).sort();
    expect(writers).toEqual(['audit', 'jobs']);
    for (const spec of functions) {
      const statements = onBucketOrKey(statementsOf(spec.id));
      if (!spec.checkpointsBucket) {
        expect(statements, spec.id).toEqual([]);
        expect(envOf(spec.id)?.[CHECKPOINTS_BUCKET_ENV]).toBeUndefined();
        continue;
      }
      const objects = statements.find((s) => s.Sid === 'CheckpointObjects');
      expect(actionsOf(objects!).sort()).toEqual([...CHECKPOINT_OBJECT_ACTIONS.write].sort());
      expect(JSON.stringify(objects?.Resource)).toContain('"/checkpoints/*"');
      const key = statements.find((s) => s.Sid === 'CheckpointsKeyWrite');
      expect(actionsOf(key!).sort()).toEqual([...CHECKPOINT_KEY_ACTIONS.write].sort());
      expect(JSON.stringify(key?.Condition)).toContain('kms:ViaService');
      expect(JSON.stringify(envOf(spec.id)?.[CHECKPOINTS_BUCKET_ENV])).toContain(bucketId());
      // Both sign checkpoints with the manifest signer's key.
      expect(spec.signingKey).toBe('sign');
    }
    const forbidden = allStatements(built.apiTemplate).filter((s) => actionsOf(s).some((a) => /^s3:(Delete|PutObjectRetention|PutObjectLegalHold|Bypass|\*)/.test(a)) && JSON.stringify(s.Resource).includes(bucketId()));
    expect(forbidden).toEqual([]);
  });

  it('names match the runtime', () => {
    expect(CHECKPOINTS_BUCKET_ENV).toBe(RUNTIME_BUCKET_ENV);
    expect(CHECKPOINTS_PREFIX).toBe(RUNTIME_PREFIX);
  });
});

describe('schedule and routes', () => {
  it('runs the audit-checkpoint job on the jobs function hourly (cron from one constant)', () => {
    expect(schedules.filter((s) => s.job === 'audit-checkpoint')).toEqual([expect.objectContaining({ id: 'audit-checkpoint', fn: 'jobs', cron: AUDIT_CHECKPOINT_CRON })]);
    expect(AUDIT_CHECKPOINT_CRON).toMatch(/^cron\(\d+ \* \* \* \? \*\)$/);
  });

  it('serves the public checkpoint routes from the public function, anonymously, and POST /audit/checkpoints to admins on audit', () => {
    for (const path of ['/public/audit/key', '/public/audit/checkpoints', '/public/audit/checkpoints/{chain}/{size}/consistency']) {
      expect(routes).toContainEqual({ method: 'GET', path, fn: 'public', auth: 'none' });
    }
    expect(routes).toContainEqual({ method: 'POST', path: '/audit/checkpoints', fn: 'audit', auth: 'user' });
  });
});

describe('Audit table grants (point 6): the exact actions per function, and what remains', () => {
  const chains = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CHAIN#*'] } };
  const checkpointItems = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CHECKPOINT#*', 'MERKLE#*', 'FRONTIER#*'] } };
  /** sid → [actions, condition] of a function's statements on the Audit table. */
  const grants = (fn: FunctionId) =>
    Object.fromEntries(onAudit(fn).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:'))).map((s) => [s.Sid, [actionsOf(s).sort(), s.Condition]]));
  const headUpdate = {
    ...chains,
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'seq', 'hash', 'at'] },
    StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
  };
  const append = {
    // Events are put and heads read in their CHAIN# partitions only. PutItem remains able to overwrite
    // an event there: IAM cannot tell a new item from an existing one, nor an event's sort key from the
    // head's (LeadingKeys is the partition key only). That is what the hash chain and the signed
    // checkpoints, which these roles cannot touch, are for.
    AppendAuditEvents: [['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem'], chains],
    // Heads move by UpdateItem in the change's transaction: only naming the head's attributes, so an
    // update cannot rewrite an event's content, actor or index keys. It remains able to set seq/hash/at
    // of an event item (same partition as the head), which breaks the event's hash and the signed root.
    MoveAuditHeads: [['dynamodb:UpdateItem'], headUpdate],
  };

  it('appenders: events and heads in CHAIN#* partitions, nothing else, never DeleteItem', () => {
    const appenders = functions.filter((f) => f.tables.Audit === 'append').map((f) => f.id);
    expect(appenders.sort()).toEqual(['cases', 'catalog', 'evidence', 'evidence-seal', 'registry', 'reports', 'review-tasks', 'reviews']);
    for (const fn of appenders) expect(grants(fn), fn).toEqual(append);
  });

  it('jobs (the checkpoint job): append, read the chains, put checkpoint items — frontiers by conditional put, no update', () => {
    expect(grants('jobs')).toEqual({
      ...append,
      ReadAuditChains: [['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'], chains],
      WriteAuditCheckpoints: [['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], checkpointItems],
    });
  });

  it('audit: reads the trail (table and gsi1) and puts checkpoint items; no update, no delete', () => {
    const g = grants('audit');
    expect(g.WriteAuditCheckpoints).toEqual([['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], checkpointItems]);
    expect(g.ReadAudit?.[0]).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(Object.keys(g).sort()).toEqual(['ReadAudit', 'WriteAuditCheckpoints']);
  });

  it('public: reads CHECKPOINT#, MERKLE# and FRONTIER# items only — never an event, never an index', () => {
    const [statement, ...rest] = onAudit('public').filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(rest).toEqual([]);
    expect(statement).toMatchObject({ Sid: 'PublicReadAuditCheckpoints', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Condition: checkpointItems });
    expect(JSON.stringify(statement?.Resource)).not.toContain('/index/');
    expect([...CHECKPOINT_PK_PREFIXES].map((p) => `${p}*`)).toEqual(checkpointItems['ForAllValues:StringLike']['dynamodb:LeadingKeys']);
  });

  it('no function holds DeleteItem, BatchWriteItem or a wildcard on the Audit table; UpdateItem only as MoveAuditHeads', () => {
    for (const spec of functions) {
      for (const s of onAudit(spec.id)) {
        const actions = actionsOf(s);
        expect(actions.filter((a) => /DeleteItem|BatchWriteItem|\*|PartiQL/.test(a)), `${spec.id} ${s.Sid}`).toEqual([]);
        if (actions.includes('dynamodb:UpdateItem')) expect(s.Sid).toBe('MoveAuditHeads');
      }
    }
  });
});
