/**
 * The compliance view and the scheduled compliance jobs as deployed (issue 6): the `jobs` function
 * (`invokedBy: 'schedule'`, `publishesAlerts`) may publish to the alert topic and nothing else of SNS, no
 * other principal may publish but CloudWatch alarms, and only it learns the topic's ARN; its schedules
 * `deadline-check` and `holiday-data-check` in Asia/Shanghai; its failed runs go to the job schedules'
 * dead-letter queue; no route may name it. `GET /compliance/deadlines` is a user route of the read-only
 * `compliance` function. Officers has the certificate-expiry index gsi3.
 */
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT_TOPIC_ENV, PUBLISHER_KEY_ACTIONS } from '../../infra/constructs/alert-access.ts';
import { READ_ACTIONS } from '../../infra/constructs/table-access.ts';
import { asyncDeadLetterQueueOf, checkScheduledFunctions } from '../../infra/schedules.ts';
import { ALERT_TOPIC_ENV as RUNTIME_ALERT_TOPIC_ENV } from '../../shared/aws/alerts.ts';
import { functions, routes } from '../../shared/manifest.ts';
import type { FunctionId, FunctionSpec } from '../../shared/manifest.ts';
import { schedules } from '../../shared/schedules.ts';
import type { ScheduleSpec } from '../../shared/schedules.ts';
import { actionsOf, allStatements, logicalId, resourcePaths, resourcesOf, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { Statement, SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING });
});

const resources = (type: string) => built.apiTemplate.findResources(type);
const fnLogicalId = (fn: FunctionId) => logicalId(built.api.functions[fn].function);
const statementsOf = (fn: FunctionId): Statement[] => statementsOfRole(built.apiTemplate, logicalId(built.api.functions[fn].role));
const envOf = (fn: FunctionId): Record<string, unknown> => resources('AWS::Lambda::Function')[fnLogicalId(fn)]?.Properties.Environment.Variables;
const topicRef = () => ({ Ref: logicalId(built.api.alertTopic) });
const topicKeyId = () => logicalId(built.api.alertTopic.masterKey as kms.Key);
const jobQueueArn = () => ({ 'Fn::GetAtt': [logicalId(built.api.jobSchedules.deadLetterQueue as sqs.Queue), 'Arn'] });

/** Does an IAM action pattern (with * and ?) cover `action`? */
const covers = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action);

/**
 * Who may publish alerts: the scheduled jobs, evidence (an altered object found at a download, issue 10),
 * and reports (the annual report's draft and delivery notices when the console runs them, issue 16).
 */
const PUBLISHERS: readonly FunctionId[] = ['evidence', 'reports', 'jobs'];

describe('the alert topic: jobs, evidence and reports publish, nothing else does', () => {
  it('the manifest: jobs, evidence and reports are the functions that publish alerts', () => {
    expect(functions.filter((f) => f.publishesAlerts).map((f) => f.id)).toEqual(PUBLISHERS);
  });

  it.each(PUBLISHERS.map((id) => [id] as const))('%s may sns:Publish on the alert topic only, and has no other SNS action', (id) => {
    const sns = statementsOf(id).filter((s) => actionsOf(s).some((a) => a.toLowerCase().startsWith('sns:') || a === '*'));
    expect(sns).toEqual([{ Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: topicRef() }]);
  });

  it.each(PUBLISHERS.map((id) => [id] as const))('%s may use the topic key only through SNS and only for this topic: GenerateDataKey and Decrypt', (id) => {
    const onKey = statementsOf(id).filter((s) => JSON.stringify(s.Resource).includes(topicKeyId()));
    expect(onKey).toHaveLength(1);
    expect(actionsOf(onKey[0]!).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect([...PUBLISHER_KEY_ACTIONS].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(resourcesOf(onKey[0]!)).toEqual([{ 'Fn::GetAtt': [topicKeyId(), 'Arn'] }]);
    expect(onKey[0]!.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
        'kms:EncryptionContext:aws:sns:topicArn': topicRef(),
      },
    });
  });

  it.each(functions.filter((f) => !PUBLISHERS.includes(f.id)).map((f) => [f.id] as const))('%s has no SNS action and no use of the topic or its key', (id) => {
    const statements = statementsOf(id);
    expect(statements.flatMap(actionsOf).filter((a) => covers(a, 'sns:Publish'))).toEqual([]);
    expect(statements.flatMap(actionsOf).filter((a) => a.toLowerCase().startsWith('sns:'))).toEqual([]);
    expect(JSON.stringify(statements)).not.toContain(`"${logicalId(built.api.alertTopic)}"`);
    expect(JSON.stringify(statements)).not.toContain(`"${topicKeyId()}"`);
  });

  it('no IAM policy of the app allows sns:Publish except the publishers\' roles, and the topic policy allows only CloudWatch alarms', () => {
    const publisherRoles = PUBLISHERS.map((id) => logicalId(built.api.functions[id].role)).sort();
    const publishers = Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.PolicyDocument.Statement as Statement[]).some((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => covers(a, 'sns:Publish'))))
      .flatMap((p) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    expect([...publishers].sort()).toEqual(publisherRoles);
    for (const s of allStatements(built.dataTemplate)) expect(actionsOf(s).filter((a) => covers(a, 'sns:Publish'))).toEqual([]);
    const topicPolicies = Object.values(resources('AWS::SNS::TopicPolicy'));
    expect(topicPolicies).toHaveLength(1);
    const allows = (topicPolicies[0]!.Properties.PolicyDocument.Statement as (Statement & { Principal: unknown })[]).filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Principal)).toEqual([{ Service: 'cloudwatch.amazonaws.com' }]);
  });

  it('the topic key policy names no function role (identity policies decide, within the account)', () => {
    const key = resources('AWS::KMS::Key')[topicKeyId()];
    const roleIds = Object.values(built.api.functions).map((f) => logicalId(f.role));
    for (const id of roleIds) expect(JSON.stringify(key?.Properties.KeyPolicy)).not.toContain(`"${id}"`);
  });

  it(`only the publishers get ${ALERT_TOPIC_ENV}, the topic's ARN, under the name shared/aws/alerts.ts reads`, () => {
    expect(ALERT_TOPIC_ENV).toBe(RUNTIME_ALERT_TOPIC_ENV);
    expect(ALERT_TOPIC_ENV).toBe('ALERT_TOPIC_ARN');
    expect(envOf('jobs')['ALERT_TOPIC_ARN']).toEqual(topicRef());
    const withTopic = functions.filter((f) => envOf(f.id)['ALERT_TOPIC_ARN'] !== undefined).map((f) => f.id);
    expect(withTopic).toEqual(PUBLISHERS);
    expect(envOf('evidence')['ALERT_TOPIC_ARN']).toEqual(topicRef());
  });
});

describe('the jobs schedules', () => {
  const schedule = (id: string) => {
    const s = built.api.jobSchedules.schedules[id];
    if (!s) throw new Error(`no schedule ${id}`);
    return resources('AWS::Scheduler::Schedule')[logicalId(s)]?.Properties;
  };

  it.each([
    ['deadline-check', 'cron(0 8 * * ? *)'],
    ['holiday-data-check', 'cron(0 9 1 12 ? *)'],
  ] as const)('%s: %s in Asia/Shanghai, invoking jobs with its job', (id, cron) => {
    const p = schedule(id);
    expect(p?.ScheduleExpression).toBe(cron);
    expect(p?.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(p?.State).toBe('ENABLED');
    expect(p?.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(p?.Target.Arn).toEqual({ 'Fn::GetAtt': [fnLogicalId('jobs'), 'Arn'] });
    expect(JSON.parse(p?.Target.Input as string)).toEqual({ schedule: id, job: id, scheduledTime: '<aws.scheduler.scheduled-time>' });
    expect(p?.Target.DeadLetterConfig).toEqual({ Arn: jobQueueArn() });
  });

  it('jobs is invoked by those two schedules (among the list\'s), one AWS::Scheduler::Schedule each', () => {
    const named = schedules.filter((s) => s.fn === 'jobs').map((s) => s.id);
    expect(named).toEqual(expect.arrayContaining(['deadline-check', 'holiday-data-check']));
    const targeting = Object.values(resources('AWS::Scheduler::Schedule')).filter((s) => JSON.stringify(s.Properties.Target.Arn).includes(`"${fnLogicalId('jobs')}"`));
    expect(targeting.map((s) => JSON.parse(s.Properties.Target.Input as string).schedule as string).sort()).toEqual([...named].sort());
  });

  it("a failed run is retried twice by Lambda, then goes to the job schedules' dead-letter queue, which the jobs role may send to and nothing else of SQS", () => {
    expect(asyncDeadLetterQueueOf(functions.find((f) => f.id === 'jobs')!)).toBe('job-schedules');
    expect(built.api.deadLetterQueues.jobs).toBe(built.api.jobSchedules.deadLetterQueue);
    const fn = resources('AWS::Lambda::Function')[fnLogicalId('jobs')];
    expect(fn?.Properties.DeadLetterConfig).toEqual({ TargetArn: jobQueueArn() });
    const configs = Object.values(resources('AWS::Lambda::EventInvokeConfig')).filter((c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: fnLogicalId('jobs') }));
    expect(configs.map((c) => c.Properties)).toEqual([{ FunctionName: { Ref: fnLogicalId('jobs') }, Qualifier: '$LATEST', MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600 }]);
    const sqs = statementsOf('jobs').filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(sqs).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: jobQueueArn() }]);
  });

  it('no route names jobs; no API Gateway method integrates it; nothing has a resource-based permission to invoke it', () => {
    expect(routes.filter((r) => r.fn === 'jobs')).toEqual([]);
    const id = fnLogicalId('jobs');
    const methods = Object.values(resources('AWS::ApiGateway::Method'));
    expect(methods.filter((m) => JSON.stringify(m.Properties.Integration).includes(`"${id}"`))).toEqual([]);
    const permissions = Object.values(resources('AWS::Lambda::Permission'));
    expect(permissions.filter((p) => JSON.stringify(p.Properties.FunctionName).includes(`"${id}"`))).toEqual([]);
  });

  describe('synth-time check of invokedBy: schedule functions', () => {
    const spec = (id: FunctionId, extra: Partial<FunctionSpec>): FunctionSpec => ({
      id,
      entry: `functions/${id}/handler.ts`,
      description: id,
      tables: {},
      timeoutSeconds: 10,
      memoryMb: 512,
      ...extra,
    });
    const daily: ScheduleSpec = { id: 'daily', description: 'd', cron: 'cron(0 8 * * ? *)', fn: 'jobs', job: 'deadline-check' };

    it('accepts the manifest', () => {
      expect(functions.filter((f) => f.invokedBy === 'schedule').map((f) => f.id)).toEqual(['jobs']);
      expect(() => checkScheduledFunctions()).not.toThrow();
    });

    it('refuses a route to a scheduled function', () => {
      const specs = [spec('jobs', { invokedBy: 'schedule' })];
      expect(() => checkScheduledFunctions(specs, [{ method: 'GET', path: '/jobs', fn: 'jobs', auth: 'user' }], [daily])).toThrow(
        /jobs is invoked only by schedules, yet routes name it: GET \/jobs/,
      );
      expect(() => checkScheduledFunctions(specs, [], [daily])).not.toThrow();
    });

    it('refuses a scheduled function no schedule names', () => {
      expect(() => checkScheduledFunctions([spec('jobs', { invokedBy: 'schedule' })], [], [{ ...daily, fn: 'evidence-seal' }])).toThrow(/no schedule of shared\/schedules.ts names it/);
      // The real manifest against the real routes, without the jobs schedules.
      expect(() => checkScheduledFunctions(functions, routes, schedules.filter((s) => s.fn !== 'jobs'))).toThrow(/jobs is invokedBy: 'schedule'/);
    });

    it('does not apply to API functions', () => {
      expect(() => checkScheduledFunctions([spec('compliance', {})], [{ method: 'GET', path: '/x', fn: 'compliance', auth: 'user' }], [])).not.toThrow();
    });
  });
});

describe('GET /compliance/deadlines', () => {
  it('is a user route of the compliance function: the Cognito authorizer, no scopes', () => {
    expect(routes.filter((r) => r.path === '/compliance/deadlines')).toEqual([{ method: 'GET', path: '/compliance/deadlines', fn: 'compliance', auth: 'user' }]);
    const paths = resourcePaths(built.apiTemplate, logicalId(built.api.api));
    const methods = Object.values(resources('AWS::ApiGateway::Method')).filter((m) => paths.get(m.Properties.ResourceId.Ref) === '/compliance/deadlines');
    expect(methods).toHaveLength(1);
    const props = methods[0]!.Properties;
    const authorizers = Object.entries(resources('AWS::ApiGateway::Authorizer'));
    expect(authorizers.map(([, a]) => a.Properties.Type)).toEqual(['COGNITO_USER_POOLS']);
    expect(props.HttpMethod).toBe('GET');
    expect(props.AuthorizationType).toBe('COGNITO_USER_POOLS');
    expect(props.AuthorizerId).toEqual({ Ref: authorizers[0]![0] });
    expect(props.AuthorizationScopes).toBeUndefined();
    expect(props.Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(props.Integration.Uri)).toContain(`"${fnLogicalId('compliance')}"`);
  });
});

describe('the compliance function is read-only', () => {
  const WRITES = /^dynamodb:(Put|Update|Delete|BatchWrite|ConditionCheck|TransactWrite|PartiQL|Import|Restore|Create|\*)/i;

  it('reads Cases, Officers, Disclosures and Catalog (the holiday years entered), and may write no table', () => {
    const statements = statementsOf('compliance');
    const dynamo = statements.flatMap(actionsOf).filter((a) => a.toLowerCase().startsWith('dynamodb:') || a === '*');
    expect(dynamo.length).toBeGreaterThan(0);
    expect(dynamo.filter((a) => WRITES.test(a))).toEqual([]);
    expect(new Set(dynamo)).toEqual(new Set(READ_ACTIONS));
    const tables = ['Cases', 'Officers', 'Disclosures', 'Catalog', 'Audit'] as const;
    // Table ARNs are imported from the data stack: the export names contain the tables' logical ids.
    const touched = tables.filter((t) => JSON.stringify(statements).includes(logicalId(built.data.tables[t])));
    expect(touched).toEqual(['Cases', 'Officers', 'Disclosures', 'Catalog']);
  });

  it('may not encrypt with the table key, publish, drive workflows, or touch S3 or SQS (beyond Lambda\'s own dead-letter delivery)', () => {
    // Lambda, not the code, sends a failed asynchronous invocation to the function's dead-letter queue:
    // the one SQS statement, on that queue only.
    const deadLetters = { 'Fn::GetAtt': [logicalId(built.api.unexpectedAsyncDeadLetters), 'Arn'] };
    const statements = statementsOf('compliance');
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')))).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: deadLetters }]);
    const actions = statements.filter((s) => JSON.stringify(s.Resource) !== JSON.stringify(deadLetters)).flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith('kms:')).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    expect(actions.filter((a) => /^(sns|states|s3|sqs|cognito-idp):/.test(a))).toEqual([]);
    expect(Object.keys(envOf('compliance')).filter((k) => k === 'ALERT_TOPIC_ARN' || k.endsWith('_STATE_MACHINE_ARN'))).toEqual([]);
  });
});

describe('Officers: the certificate-expiry index gsi3', () => {
  const officers = () => built.dataTemplate.findResources('AWS::DynamoDB::Table')[logicalId(built.data.tables.Officers)]?.Properties;
  const indexesIn = (s: Statement) => JSON.stringify(s.Resource).match(/\/index\/[a-z0-9]+/g) ?? [];

  it('has gsi1, gsi2 and gsi3 (gsi3pk, gsi3sk; all attributes)', () => {
    const gsis = officers()?.GlobalSecondaryIndexes as { IndexName: string }[];
    expect(gsis.map((g) => g.IndexName)).toEqual(['gsi1', 'gsi2', 'gsi3']);
    expect(gsis[2]).toEqual({
      IndexName: 'gsi3',
      KeySchema: [
        { AttributeName: 'gsi3pk', KeyType: 'HASH' },
        { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    expect(officers()?.AttributeDefinitions).toEqual(expect.arrayContaining([{ AttributeName: 'gsi3pk', AttributeType: 'S' }, { AttributeName: 'gsi3sk', AttributeType: 'S' }]));
  });

  it('jobs and compliance may query it', () => {
    for (const fn of ['jobs', 'compliance'] as const) {
      const read = statementsOf(fn).find((s) => s.Sid === 'ReadOfficers');
      expect(indexesIn(read!), fn).toEqual(['/index/gsi1', '/index/gsi2', '/index/gsi3']);
    }
  });

  it('the public function may not: its projection-limited read covers only the indexes keyed by public attributes', () => {
    const read = statementsOf('public').filter((s) => JSON.stringify(s.Resource).includes(logicalId(built.data.tables.Officers)));
    expect(read.map((s) => s.Sid)).toEqual(['PublicReadOfficers']);
    expect(indexesIn(read[0]!)).toEqual(['/index/gsi1', '/index/gsi2']);
  });
});

describe('annual report recipients (D13)', () => {
  it('get only the delivery notices, by a filter policy on the alert topic', () => {
    const { apiTemplate } = synthesise({ ...SKIP_BUNDLING, reportRecipients: 'sifa@example.gov.cn, shangji@example.gov.cn' });
    const subscriptions = Object.values(apiTemplate.findResources('AWS::SNS::Subscription')).map((r) => (r as { Properties: { Protocol: string; Endpoint: string; FilterPolicy?: unknown } }).Properties);
    expect(subscriptions.filter((p) => p.FilterPolicy !== undefined)).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'sifa@example.gov.cn', FilterPolicy: { kind: ['report-delivery'] } }),
      expect.objectContaining({ Protocol: 'email', Endpoint: 'shangji@example.gov.cn', FilterPolicy: { kind: ['report-delivery'] } }),
    ]);
  });

  it('refuses a recipient that is not an e-mail address', () => {
    expect(() => synthesise({ ...SKIP_BUNDLING, reportRecipients: 'sifa@example.gov.cn,not-an-address' })).toThrow(/reportRecipients/);
  });
});
