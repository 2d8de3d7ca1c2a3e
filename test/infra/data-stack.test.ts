import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { ConfigError } from '../../infra/config.ts';
import type { TableId } from '../../shared/manifest.ts';
import { tables } from '../../shared/store/tables.ts';
import { EVIDENCE_BUCKET_DENIED_ACTIONS } from '../../infra/stacks/data-stack.ts';
import { actionsOf, logicalId, SKIP_BUNDLING, synthesise } from './fixture.ts';
import type { Statement, SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  // The data stack has no bundles; the API stack is still built because it references the data.
  built = synthesise({ ...SKIP_BUNDLING });
});

describe('tables', () => {
  it('creates exactly the tables of shared/store/tables.ts', () => {
    built.dataTemplate.resourceCountIs('AWS::DynamoDB::Table', tables.length);
  });

  it.each(tables.map((t) => [t.id, t] as const))('%s follows its spec, on demand, with PITR, deletion protection and the table key', (id, spec) => {
    const table = built.data.tables[id as TableId];
    const resource = built.dataTemplate.findResources('AWS::DynamoDB::Table')[logicalId(table)];
    expect(resource).toBeDefined();
    expect(resource?.DeletionPolicy).toBe('Retain');
    expect(resource?.UpdateReplacePolicy).toBe('Retain');

    const props = resource?.Properties;
    expect(props.KeySchema).toEqual([
      { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: spec.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(props.DeletionProtectionEnabled).toBe(true);
    expect(props.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [logicalId(built.data.tableKey), 'Arn'] },
    });
    expect(props.GlobalSecondaryIndexes).toEqual(
      spec.indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    if (spec.ttlAttribute) {
      expect(props.TimeToLiveSpecification).toEqual({ AttributeName: spec.ttlAttribute, Enabled: true });
    } else {
      expect(props.TimeToLiveSpecification).toBeUndefined();
    }
  });

  it('encrypts with a customer-managed key that rotates and is retained', () => {
    built.dataTemplate.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, Description: Match.stringLikeRegexp('DynamoDB') }),
      DeletionPolicy: 'Retain',
    });
  });
});

describe('evidence bucket', () => {
  const evidence = () => built.dataTemplate.findResources('AWS::S3::Bucket')[logicalId(built.data.evidenceBucket)];

  it('has Object Lock with a COMPLIANCE default retention of the configured years', () => {
    expect(built.config.evidenceRetentionYears).toBe(30);
    built.dataTemplate.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 30 } },
      },
    });
    expect(evidence()?.Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'COMPLIANCE', Years: 30 });
  });

  it('takes the retention from context (as `-c evidenceRetentionYears=10` gives it, a string)', () => {
    const other = buildApp({ context: { ...SKIP_BUNDLING, evidenceRetentionYears: '10' } });
    const template = synthesiseData(other);
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 10 } } },
    });
  });

  it.each([0, 101, 2.5, 'thirty'])('refuses evidenceRetentionYears=%s', (value) => {
    expect(() => buildApp({ context: { ...SKIP_BUNDLING, evidenceRetentionYears: value } })).toThrow(ConfigError);
  });

  it('is versioned, KMS-encrypted with its own customer-managed key, private and retained', () => {
    const bucket = evidence();
    expect(bucket?.DeletionPolicy).toBe('Retain');
    expect(bucket?.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(built.data.evidenceKey), 'Arn'] },
            },
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('writes server access logs to the separate access-log bucket', () => {
    expect(evidence()?.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalId(built.data.accessLogBucket) },
      LogFilePrefix: 'evidence/',
    });
  });

  it('denies every request that does not use TLS', () => {
    built.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(built.data.evidenceBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('evidence bucket: events, lifecycle and denies', () => {
  const evidence = () => built.dataTemplate.findResources('AWS::S3::Bucket')[logicalId(built.data.evidenceBucket)];
  const policyStatements = (): Statement[] => {
    const policies = Object.values(built.dataTemplate.findResources('AWS::S3::BucketPolicy')).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalId(built.data.evidenceBucket) }),
    );
    expect(policies).toHaveLength(1);
    return policies[0]?.Properties.PolicyDocument.Statement as Statement[];
  };

  it('sends its events to EventBridge, set on the bucket itself (no notifications custom resource, no Lambda function)', () => {
    expect(evidence()?.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    expect(Object.keys(built.dataTemplate.toJSON().Resources as object).filter((id) => /Notifications/.test(id))).toEqual([]);
    built.dataTemplate.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values(built.dataTemplate.toJSON().Resources as Record<string, { Type: string }>).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
  });

  it('aborts incomplete multipart uploads after 2 days (the application aborts them after 24 hours) and expires nothing', () => {
    expect(evidence()?.Properties.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'AbortIncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }],
    });
  });

  it('has no CORS configuration (devices are apps, not browsers)', () => {
    expect(evidence()?.Properties.CorsConfiguration).toBeUndefined();
  });

  it('denies every principal destroying versions, bypassing retention and changing the Object Lock configuration', () => {
    const bucketArn = { 'Fn::GetAtt': [logicalId(built.data.evidenceBucket), 'Arn'] };
    const deny = policyStatements().find((s) => s.Sid === 'DenyEvidenceDestruction');
    expect(deny).toEqual({
      Sid: 'DenyEvidenceDestruction',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:BypassGovernanceRetention', 's3:DeleteObjectVersion', 's3:PutBucketObjectLockConfiguration'],
      Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
    });
    expect([...EVIDENCE_BUCKET_DENIED_ACTIONS]).toEqual(actionsOf(deny!));
  });

  it('its policy allows nothing to anyone: only denies', () => {
    const statements = policyStatements();
    expect(statements.length).toBeGreaterThanOrEqual(3);
    expect(statements.filter((s) => s.Effect !== 'Deny')).toEqual([]);
  });

  it('exposes the retention years it uses, for the sealing function', () => {
    expect(built.data.evidenceRetentionYears).toBe(built.config.evidenceRetentionYears);
    expect(evidence()?.Properties.ObjectLockConfiguration.Rule.DefaultRetention.Years).toBe(built.data.evidenceRetentionYears);
  });
});

describe('access-log bucket', () => {
  const accessLogs = () => built.dataTemplate.findResources('AWS::S3::Bucket')[logicalId(built.data.accessLogBucket)];

  it('is S3-encrypted, versioned, private, retained, without Object Lock', () => {
    const bucket = accessLogs();
    expect(bucket?.DeletionPolicy).toBe('Retain');
    expect(bucket?.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    expect(bucket?.Properties.ObjectLockEnabled).toBeUndefined();
  });

  it('lets only S3 log delivery from the evidence bucket write, and only over TLS', () => {
    built.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(built.data.accessLogBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: Match.objectLike({
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(built.data.evidenceBucket), 'Arn'] } },
            }),
          }),
        ]),
      },
    });
  });
});

describe('signing key', () => {
  it('is an asymmetric ECC_NIST_P256 sign/verify key, retained', () => {
    const key = built.dataTemplate.findResources('AWS::KMS::Key')[logicalId(built.data.signingKey)];
    expect(key?.DeletionPolicy).toBe('Retain');
    expect(key?.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });
});

describe('outputs', () => {
  it('give each table name under its environment variable, and the evidence bucket', () => {
    for (const spec of tables) {
      built.dataTemplate.hasOutput(`${spec.id}TableName`, {
        Value: { Ref: logicalId(built.data.tables[spec.id]) },
        Description: `Value of ${spec.envVar}`,
      });
    }
    built.dataTemplate.hasOutput('EvidenceBucketName', { Value: { Ref: logicalId(built.data.evidenceBucket) } });
  });
});

describe('stack', () => {
  it('is environment-agnostic and protected against deletion', () => {
    expect(built.data.environment).toBe('aws://unknown-account/unknown-region');
    expect(built.data.terminationProtection).toBe(true);
  });
});

function synthesiseData(other: ReturnType<typeof buildApp>) {
  other.app.synth();
  return Template.fromStack(other.data);
}
