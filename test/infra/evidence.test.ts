/**
 * Evidence uploads as deployed (R3–R7): what each function may do to the evidence bucket and its key
 * (from `evidenceBucket` in shared/manifest.ts, on `evidence/*` only, never a delete or a retention
 * bypass), the signing key (`signingKey`), the devices' Cognito resource server, domain and app-client
 * permissions (`manageDeviceClients`), the device routes' scope, and the EventBridge rule that invokes
 * the sealing function (`invokedBy: 's3'`) with retries, a dead-letter queue and an alarm.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { ConfigError, defaultAuthDomainPrefix } from '../../infra/config.ts';
import {
  DEVICE_CLIENT_ACTIONS,
  DEVICE_TOKEN_URL_ENV,
  evidenceKeyActions,
  RETENTION_YEARS_ENV,
  SIGNING_KEY_ENV,
  USER_POOL_ID_ENV,
} from '../../infra/constructs/evidence-access.ts';
import { DELIVERY_MAX_EVENT_AGE, DELIVERY_RETRY_ATTEMPTS } from '../../infra/constructs/object-created-trigger.ts';
import { ProjectFunction } from '../../infra/constructs/project-function.ts';
import { checkObjectEventFunctions, objectCreatedPattern } from '../../infra/object-events.ts';
import { deviceScopeParts } from '../../infra/stacks/api-stack.ts';
import { DEVICE_TOKEN_URL_ENV as RUNTIME_DEVICE_TOKEN_URL_ENV, USER_POOL_ID_ENV as RUNTIME_USER_POOL_ID_ENV } from '../../shared/aws/device-clients.ts';
import { SIGNING_KEY_ENV as RUNTIME_SIGNING_KEY_ENV } from '../../shared/aws/signer.ts';
import { DEVICE_UPLOAD_SCOPE, EVIDENCE_PREFIX, functions, routes } from '../../shared/manifest.ts';
import type { EvidenceAction, FunctionId, FunctionSpec } from '../../shared/manifest.ts';
import { retentionYears } from '../../shared/services/evidence.ts';
import { actionsOf, allStatements, logicalId, resourcePaths, resourcesOf, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { Statement, SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING });
});

const roleOf = (fn: FunctionId): string => logicalId(built.api.functions[fn].role);
const statementsOf = (fn: FunctionId): Statement[] => statementsOfRole(built.apiTemplate, roleOf(fn));
const envOf = (fn: FunctionId): Record<string, unknown> =>
  built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[fn].function)]?.Properties.Environment.Variables;
const resources = (type: string) => built.apiTemplate.findResources(type);
/** Every action a statement names (Action or NotAction). */
const namedActions = (s: Statement & { NotAction?: string | string[] }): string[] => [
  ...actionsOf(s),
  ...(s.NotAction === undefined ? [] : Array.isArray(s.NotAction) ? s.NotAction : [s.NotAction]),
];

const bucketId = () => logicalId(built.data.evidenceBucket);
/** S3 statements of a function on the evidence bucket (reports.test.ts and checkpoints.test.ts check those on the reports and checkpoints buckets). */
const s3Statements = (fn: FunctionId) =>
  statementsOf(fn).filter(
    (s) =>
      actionsOf(s).some((a) => a.startsWith('s3:')) &&
      !JSON.stringify(s.Resource).includes(logicalId(built.data.reportsBucket)) &&
      !JSON.stringify(s.Resource).includes(logicalId(built.data.checkpointsBucket)),
  );
const evidenceFunctions = functions.filter((f) => f.evidenceBucket);
const otherFunctions = functions.filter((f) => !f.evidenceBucket);

/** The object ARN of a statement, as the template has it: `<imported bucket ARN>/evidence/*`. */
function objectArn(s: Statement): { imported: string; suffix: string } | undefined {
  const join = (s.Resource as { 'Fn::Join'?: [string, [{ 'Fn::ImportValue'?: string }, string]] })['Fn::Join'];
  if (!join || join[0] !== '' || join[1].length !== 2) return undefined;
  const [arn, suffix] = join[1];
  return arn['Fn::ImportValue'] ? { imported: arn['Fn::ImportValue'], suffix } : undefined;
}

describe('evidence bucket permissions', () => {
  it('no IAM statement in the API stack names s3:Delete*, s3:BypassGovernanceRetention, s3:* or any S3 wildcard, nor uses NotAction', () => {
    const statements = allStatements(built.apiTemplate);
    expect(statements.length).toBeGreaterThan(20);
    for (const s of statements as (Statement & { NotAction?: string | string[] })[]) {
      expect(s.NotAction, JSON.stringify(s)).toBeUndefined();
      for (const action of namedActions(s)) {
        expect(action, JSON.stringify(s)).not.toMatch(/^s3:(Delete|BypassGovernanceRetention|\*)/i);
        if (action.toLowerCase().startsWith('s3:')) expect(action).not.toContain('*');
        expect(action).not.toBe('*');
      }
    }
    // Roles carry no inline or managed policies that could add any (api-stack.test.ts checks managed ones).
    for (const role of Object.values(resources('AWS::IAM::Role'))) expect(role.Properties.Policies).toBeUndefined();
  });

  it('only evidence-seal may set retention (s3:PutObjectRetention)', () => {
    const withRetention = functions.filter((f) => statementsOf(f.id).some((s) => actionsOf(s).includes('s3:PutObjectRetention'))).map((f) => f.id);
    expect(withRetention).toEqual(['evidence-seal']);
    // Nor any other principal of the stack.
    const all = allStatements(built.apiTemplate).filter((s) => actionsOf(s).includes('s3:PutObjectRetention'));
    expect(all).toHaveLength(1);
  });

  it.each(evidenceFunctions.map((f) => [f.id, f] as const))("%s: exactly the manifest's S3 actions, on the evidence bucket's evidence/* objects only", (id, spec) => {
    const statements = s3Statements(id);
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement?.Sid).toBe('EvidenceObjects');
    expect(actionsOf(statement!).sort()).toEqual([...new Set(spec.evidenceBucket)].sort());
    expect(statement?.Condition).toBeUndefined();
    const arn = objectArn(statement!);
    expect(arn, JSON.stringify(statement?.Resource)).toBeDefined();
    expect(arn?.imported).toContain(`${bucketId()}Arn`);
    expect(arn?.suffix).toBe(`/${EVIDENCE_PREFIX}*`);
    expect(EVIDENCE_PREFIX).toBe('evidence/');
  });

  it.each(otherFunctions.map((f) => [f.id] as const))('%s: no S3 action on the evidence bucket (nor on any other bucket but the reports bucket)', (id) => {
    expect(s3Statements(id)).toEqual([]);
  });

  it('every S3 statement of the stack is on evidence/* of the evidence bucket, reports/* or documents/* of the reports bucket, or checkpoints/* of the checkpoints bucket, never a bucket or other keys', () => {
    const statements = allStatements(built.apiTemplate).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    const reportFunctions = functions.filter((f) => f.reportsBucket);
    expect(reportFunctions.length).toBeGreaterThan(0);
    const documentFunctions = functions.filter((f) => f.documentsBucket);
    const checkpointFunctions = functions.filter((f) => f.checkpointsBucket);
    expect(statements).toHaveLength(evidenceFunctions.length + reportFunctions.length + documentFunctions.length + checkpointFunctions.length);
    const onEvidence = statements.filter((s) => objectArn(s)?.imported.includes(`${bucketId()}Arn`));
    expect(onEvidence).toHaveLength(evidenceFunctions.length);
    for (const s of statements) {
      expect(resourcesOf(s)).toHaveLength(1);
      const arn = objectArn(s);
      if (onEvidence.includes(s)) expect(arn?.suffix).toBe('/evidence/*');
      else if (arn?.imported.includes(`${logicalId(built.data.checkpointsBucket)}Arn`)) expect(arn.suffix).toBe('/checkpoints/*');
      else {
        expect(arn?.imported).toContain(`${logicalId(built.data.reportsBucket)}Arn`);
        expect(s.Sid === 'DocumentObjects' ? '/documents/*' : '/reports/*').toBe(arn?.suffix);
      }
    }
  });

  it('the evidence key is used only through S3: writers may generate data keys and decrypt, readers only decrypt', () => {
    const evidenceKey = logicalId(built.data.evidenceKey);
    for (const spec of functions) {
      const keyStatements = statementsOf(spec.id).filter((s) => JSON.stringify(s.Resource).includes(evidenceKey));
      const expected = evidenceKeyActions(spec.evidenceBucket ?? []);
      if (expected.length === 0) {
        expect(keyStatements, spec.id).toEqual([]);
        continue;
      }
      expect(keyStatements, spec.id).toHaveLength(1);
      expect(actionsOf(keyStatements[0]!).sort()).toEqual([...expected].sort());
      expect(JSON.stringify(keyStatements[0]!.Condition)).toBe(
        JSON.stringify({ StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } } }),
      );
    }
    // The API function uploads (presigned PUTs and parts carry its rights); the sealer only reads.
    expect(evidenceKeyActions(['s3:PutObject'])).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(evidenceKeyActions(['s3:GetObjectVersion'])).toEqual(['kms:Decrypt']);
    expect(evidenceKeyActions(['s3:PutObjectRetention', 's3:GetObjectRetention', 's3:PutObjectLegalHold'])).toEqual([]);
    expect(actionsOf(statementsOf('evidence-seal').find((s) => s.Sid === 'EvidenceKeyRead')!)).toEqual(['kms:Decrypt']);
  });

  it('evidence-seal gets the bucket retention years; no other function gets the variable', () => {
    expect(envOf('evidence-seal')[RETENTION_YEARS_ENV]).toBe(String(built.data.evidenceRetentionYears));
    expect(built.data.evidenceRetentionYears).toBe(30);
    for (const spec of functions.filter((f) => f.id !== 'evidence-seal')) expect(envOf(spec.id)[RETENTION_YEARS_ENV], spec.id).toBeUndefined();
  });

  it('one setting gives both the bucket default retention and the sealing function its years', () => {
    const other = buildApp({ context: { ...SKIP_BUNDLING, evidenceRetentionYears: '7' } });
    other.app.synth();
    const data = Template.fromStack(other.data).findResources('AWS::S3::Bucket')[logicalId(other.data.evidenceBucket)];
    expect(data?.Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'COMPLIANCE', Years: 7 });
    const seal = Template.fromStack(other.api).findResources('AWS::Lambda::Function')[logicalId(other.api.functions['evidence-seal'].function)];
    expect(seal?.Properties.Environment.Variables[RETENTION_YEARS_ENV]).toBe('7');
  });

  it('refuses, whatever the manifest type says, a delete, a retention bypass or a wildcard', () => {
    const app = new App({ context: { ...SKIP_BUNDLING } });
    const stack = new Stack(app, 'Probe');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const key = new kms.Key(stack, 'Key');
    const fn = new ProjectFunction(stack, 'Fn', { entry: 'functions/evidence/handler.ts', description: 'probe', serviceName: 'probe', logRetention: RetentionDays.ONE_WEEK, logKey: key });
    const grant = (actions: string[], prefix = 'evidence/') =>
      fn.grantEvidenceBucket({ bucket, key, prefix, actions: actions as EvidenceAction[], retentionYears: 30 });
    expect(() => grant(['s3:DeleteObjectVersion'])).toThrow(/not allowed/);
    expect(() => grant(['s3:DeleteObject'])).toThrow(/not allowed/);
    expect(() => grant(['s3:BypassGovernanceRetention'])).toThrow(/not allowed/);
    expect(() => grant(['s3:*'])).toThrow(/not allowed/);
    expect(() => grant(['s3:Get*'])).toThrow(/not allowed/);
    expect(() => grant(['s3:PutBucketObjectLockConfiguration'])).toThrow(/not allowed/);
    expect(() => grant(['kms:Decrypt'])).toThrow(/not allowed/);
    expect(() => grant(['s3:GetObject'], '')).toThrow(/prefix/);
    expect(() => grant(['s3:GetObject'])).not.toThrow();
  });
});

describe('signing key', () => {
  const signingKey = () => logicalId(built.data.signingKey);
  const kmsOnSigningKey = (fn: FunctionId) => statementsOf(fn).filter((s) => JSON.stringify(s.Resource).includes(signingKey()));

  it('kms:Sign only for evidence-seal, the checkpoint signers (jobs, audit) and the case-file export (cases), with the signer\'s algorithm and message type', () => {
    const signers = allStatements(built.apiTemplate).filter((s) => actionsOf(s).some((a) => a === 'kms:Sign' || a === 'kms:*'));
    expect(functions.filter((f) => f.signingKey === 'sign').map((f) => f.id).sort()).toEqual(['audit', 'cases', 'evidence-seal', 'jobs']);
    expect(signers).toHaveLength(4);
    for (const fn of ['evidence-seal', 'jobs', 'audit', 'cases'] as const) expect(signers.filter((s) => kmsOnSigningKey(fn).includes(s))).toHaveLength(1);
    for (const s of signers) {
      expect(s).toMatchObject({
        Action: 'kms:Sign',
        Condition: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'RAW' } },
      });
    }
  });

  it.each(functions.map((f) => [f.id, f] as const))('%s: signing-key access and variable follow the manifest', (id, spec) => {
    const actions = kmsOnSigningKey(id).flatMap(actionsOf).sort();
    const expected = spec.signingKey === 'sign' ? ['kms:GetPublicKey', 'kms:Sign'] : spec.signingKey === 'verify' ? ['kms:GetPublicKey'] : [];
    expect(actions).toEqual(expected);
    if (spec.signingKey) {
      expect(JSON.stringify(envOf(id)[SIGNING_KEY_ENV])).toContain(`${signingKey()}Arn`);
    } else {
      expect(envOf(id)[SIGNING_KEY_ENV]).toBeUndefined();
    }
  });

  it('evidence verifies and evidence-seal signs', () => {
    expect(functions.find((f) => f.id === 'evidence')?.signingKey).toBe('verify');
    expect(functions.find((f) => f.id === 'evidence-seal')?.signingKey).toBe('sign');
  });
});

describe('Cognito for field devices', () => {
  it('has a resource server `evidence` with the scope `upload`: together DEVICE_UPLOAD_SCOPE', () => {
    const servers = Object.values(resources('AWS::Cognito::UserPoolResourceServer'));
    expect(servers).toHaveLength(1);
    const props = servers[0]?.Properties;
    expect(props.UserPoolId).toEqual({ Ref: logicalId(built.api.userPool) });
    expect(props.Identifier).toBe('evidence');
    expect(props.Scopes.map((s: { ScopeName: string }) => `${props.Identifier as string}/${s.ScopeName}`)).toEqual([DEVICE_UPLOAD_SCOPE]);
    expect(DEVICE_UPLOAD_SCOPE).toBe('evidence/upload');
    expect(deviceScopeParts('a/b')).toEqual({ identifier: 'a', scopeName: 'b' });
    expect(() => deviceScopeParts('upload')).toThrow(/resource server/);
  });

  it('has a Cognito prefix domain, by default derived from the stack prefix', () => {
    const domains = Object.values(resources('AWS::Cognito::UserPoolDomain'));
    expect(domains).toHaveLength(1);
    expect(domains[0]?.Properties).toEqual({ Domain: 'threesystems-auth', UserPoolId: { Ref: logicalId(built.api.userPool) } });
    expect(built.config.authDomainPrefix).toBe(defaultAuthDomainPrefix(built.config.stackPrefix));
    built.apiTemplate.hasOutput('DeviceTokenUrl', {});
  });

  it('takes the domain prefix from context', () => {
    const other = buildApp({ context: { ...SKIP_BUNDLING, authDomainPrefix: 'suqian-amr-devices' } });
    other.app.synth();
    const [domain] = Object.values(Template.fromStack(other.api).findResources('AWS::Cognito::UserPoolDomain'));
    expect(domain?.Properties.Domain).toBe('suqian-amr-devices');
  });

  it.each(['Upper', '-lead', 'trail-', 'under_score', 'my-aws-x', 'amazon1', 'cognito', 'x'.repeat(64)])('refuses authDomainPrefix=%s', (value) => {
    expect(() => buildApp({ context: { ...SKIP_BUNDLING, authDomainPrefix: value } })).toThrow(ConfigError);
  });

  it('refuses a default prefix that breaks Cognito\'s rules, naming the key to set', () => {
    expect(() => buildApp({ context: { ...SKIP_BUNDLING, stackPrefix: 'AwsThree' } })).toThrow(/authDomainPrefix/);
  });

  it('registry may create and delete app clients of this user pool only, and learns the pool and token URL', () => {
    const cognitoStatements = statementsOf('registry').filter((s) => actionsOf(s).some((a) => a.startsWith('cognito-idp:')));
    expect(cognitoStatements).toEqual([
      { Sid: 'ManageDeviceClients', Effect: 'Allow', Action: [...DEVICE_CLIENT_ACTIONS], Resource: { 'Fn::GetAtt': [logicalId(built.api.userPool), 'Arn'] } },
    ]);
    const env = envOf('registry');
    expect(env[USER_POOL_ID_ENV]).toEqual({ Ref: logicalId(built.api.userPool) });
    const tokenUrl = JSON.stringify(env[DEVICE_TOKEN_URL_ENV]);
    expect(tokenUrl).toContain(`{"Ref":"${logicalId(built.api.userPoolDomain)}"}`);
    expect(tokenUrl).toMatch(/^\{"Fn::Join":\["",\["https:\/\/",.*"\.auth\.",\{"Ref":"AWS::Region"\},"\.amazoncognito\.com\/oauth2\/token"\]\]\}$/);
  });

  it('no other function has any Cognito action or the device variables', () => {
    for (const spec of functions.filter((f) => !f.manageDeviceClients)) {
      expect(statementsOf(spec.id).flatMap(actionsOf).filter((a) => a.startsWith('cognito-idp:')), spec.id).toEqual([]);
      expect(envOf(spec.id)[USER_POOL_ID_ENV]).toBeUndefined();
      expect(envOf(spec.id)[DEVICE_TOKEN_URL_ENV]).toBeUndefined();
    }
    expect(functions.filter((f) => f.manageDeviceClients).map((f) => f.id)).toEqual(['registry']);
  });

  it('device routes require the upload scope; user routes no scope', () => {
    const paths = resourcePaths(built.apiTemplate, logicalId(built.api.api));
    const methods = Object.values(resources('AWS::ApiGateway::Method'));
    const scopesOf = (method: string, path: string) =>
      methods.find((m) => m.Properties.HttpMethod === method && paths.get(m.Properties.ResourceId.Ref) === path)?.Properties;
    expect(scopesOf('POST', '/evidence/uploads')).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['evidence/upload'] });
    expect(scopesOf('POST', '/evidence/uploads/{id}/complete')?.AuthorizationScopes).toEqual(['evidence/upload']);
    expect(scopesOf('GET', '/evidence/{id}')).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS' });
    expect(scopesOf('GET', '/evidence/{id}')?.AuthorizationScopes).toBeUndefined();
    const withScopes = methods.filter((m) => m.Properties.AuthorizationScopes !== undefined);
    expect(withScopes).toHaveLength(routes.filter((r) => r.auth === 'device').length);
    expect(routes.filter((r) => r.auth === 'device').length).toBeGreaterThanOrEqual(4);
  });
});

describe('environment variable names match the runtime', () => {
  it('signing key, user pool, token URL and retention years', () => {
    expect(SIGNING_KEY_ENV).toBe(RUNTIME_SIGNING_KEY_ENV);
    expect(USER_POOL_ID_ENV).toBe(RUNTIME_USER_POOL_ID_ENV);
    expect(DEVICE_TOKEN_URL_ENV).toBe(RUNTIME_DEVICE_TOKEN_URL_ENV);
    const before = process.env[RETENTION_YEARS_ENV];
    try {
      process.env[RETENTION_YEARS_ENV] = '17';
      expect(retentionYears()).toBe(17);
    } finally {
      if (before === undefined) delete process.env[RETENTION_YEARS_ENV];
      else process.env[RETENTION_YEARS_ENV] = before;
    }
  });
});

describe('object-created events → evidence-seal', () => {
  const sealArn = () => ({ 'Fn::GetAtt': [logicalId(built.api.functions['evidence-seal'].function), 'Arn'] });
  const queue = () => built.api.deadLetterQueues['evidence-seal']!;
  const queueArn = () => ({ 'Fn::GetAtt': [logicalId(queue()), 'Arn'] });
  const trigger = () => built.api.objectTriggers['evidence-seal']!;

  it('one EventBridge rule: Object Created in the evidence bucket under evidence/, evidence-seal its only target, with retries and the dead-letter queue', () => {
    const rules = Object.values(resources('AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    const props = rules[0]?.Properties;
    expect(props.State).toBe('ENABLED');
    expect(props.EventBusName).toBeUndefined(); // the default bus, where S3 sends its events
    expect(props.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [{ 'Fn::ImportValue': expect.stringContaining(`Ref${bucketId()}`) }] }, object: { key: [{ prefix: 'evidence/' }] } },
    });
    expect(props.Targets).toEqual([
      {
        Id: expect.any(String),
        Arn: sealArn(),
        DeadLetterConfig: { Arn: queueArn() },
        RetryPolicy: { MaximumEventAgeInSeconds: DELIVERY_MAX_EVENT_AGE.toSeconds(), MaximumRetryAttempts: DELIVERY_RETRY_ATTEMPTS },
      },
    ]);
    expect(objectCreatedPattern('b', 'evidence/').detail.object.key).toEqual([{ prefix: 'evidence/' }]);
    expect(() => objectCreatedPattern('b', '')).toThrow(/prefix/);
  });

  it('EventBridge may invoke evidence-seal from this rule only; API Gateway may not invoke it, and no route names it', () => {
    const sealId = logicalId(built.api.functions['evidence-seal'].function);
    const permissions = Object.values(resources('AWS::Lambda::Permission')).filter((p) => JSON.stringify(p.Properties.FunctionName).includes(sealId));
    expect(permissions.map((p) => p.Properties)).toEqual([
      { Action: 'lambda:InvokeFunction', FunctionName: sealArn(), Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [logicalId(trigger().rule), 'Arn'] } },
    ]);
    expect(routes.filter((r) => r.fn === 'evidence-seal')).toEqual([]);
    const methods = Object.values(resources('AWS::ApiGateway::Method'));
    expect(methods.filter((m) => JSON.stringify(m.Properties.Integration).includes(sealId))).toEqual([]);
  });

  it('Lambda retries a failed invocation twice, then puts the event in the same dead-letter queue', () => {
    const fn = resources('AWS::Lambda::Function')[logicalId(built.api.functions['evidence-seal'].function)];
    expect(fn?.Properties.DeadLetterConfig).toEqual({ TargetArn: queueArn() });
    // One asynchronous-invocation config per asynchronously invoked function: evidence-seal (object events
    // and its schedule) and jobs (its schedules; compliance.test.ts checks its queue).
    const configs = Object.values(resources('AWS::Lambda::EventInvokeConfig')).map((c) => c.Properties);
    const byFunction = (id: FunctionId) => configs.filter((p) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: logicalId(built.api.functions[id].function) }));
    expect(byFunction('evidence-seal')).toEqual([{ FunctionName: { Ref: logicalId(built.api.functions['evidence-seal'].function) }, Qualifier: '$LATEST', MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600 }]);
    expect(byFunction('jobs')).toHaveLength(1);
    built.apiTemplate.resourceCountIs('AWS::Lambda::EventInvokeConfig', 2);
    // Its role may send to that queue only.
    const send = statementsOf('evidence-seal').filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(send).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn() }]);
  });

  it('the dead-letter queue is encrypted, keeps messages 14 days, refuses non-TLS, and accepts EventBridge only from the rule', () => {
    const q = resources('AWS::SQS::Queue')[logicalId(queue())];
    expect(q?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const [policy] = Object.values(resources('AWS::SQS::QueuePolicy')).filter((p) => JSON.stringify(p.Properties.Queues).includes(logicalId(queue())));
    const statements = policy?.Properties.PolicyDocument.Statement as Statement[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(trigger().rule), 'Arn'] } } },
      }),
    ]);
  });

  it('an alarm tells the alert topic as soon as the dead-letter queue holds an event, and the topic lets alarms publish', () => {
    const alarm = resources('AWS::CloudWatch::Alarm')[logicalId(trigger().alarm)];
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue()), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalId(built.api.alertTopic) }],
      TreatMissingData: 'notBreaching',
    });
    const [topicPolicy] = Object.values(resources('AWS::SNS::TopicPolicy'));
    expect(topicPolicy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
      }),
    );
    const topicKey = Object.values(resources('AWS::KMS::Key')).find((k) => /alert topic/.test(k.Properties.Description as string));
    expect(topicKey?.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
  });

  describe('synth-time checks', () => {
    const spec = (id: FunctionSpec['id'], extra: Partial<FunctionSpec>): FunctionSpec => ({
      id,
      entry: `functions/${id}/handler.ts`,
      description: id,
      tables: {},
      timeoutSeconds: 10,
      memoryMb: 512,
      ...extra,
    });

    it('accept the manifest', () => {
      expect(() => checkObjectEventFunctions()).not.toThrow();
      expect(functions.filter((f) => f.invokedBy === 's3').map((f) => f.id)).toEqual(['evidence-seal']);
    });

    it('refuse a route to an object-event function', () => {
      const specs = [spec('evidence-seal', { invokedBy: 's3', evidenceBucket: ['s3:GetObject'] })];
      expect(() => checkObjectEventFunctions(specs, [{ method: 'POST', path: '/x', fn: 'evidence-seal', auth: 'user' }])).toThrow(/routes name it/);
      expect(() => checkObjectEventFunctions(specs, [])).not.toThrow();
    });

    it('refuse an object-event function that may not read the objects', () => {
      expect(() => checkObjectEventFunctions([spec('evidence-seal', { invokedBy: 's3' })], [])).toThrow(/may not read/);
    });
  });
});
