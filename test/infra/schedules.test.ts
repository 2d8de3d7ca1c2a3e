/**
 * The scheduled jobs as deployed (shared/schedules.ts → EventBridge Scheduler): one schedule per entry,
 * its cron in Asia/Shanghai, no flexible window, the entry's function with the ScheduledEvent payload,
 * retries and one dead-letter queue with an alarm to the alert topic; an execution role that may invoke
 * that function and send to that queue and nothing else; the synth-time check of the list; and no
 * principal of the app with dynamodb:Scan (issue 6: the scheduled jobs read sparse indexes, never Scan).
 */
import { App, Stack, TimeZone } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobSchedules, SCHEDULE_MAX_EVENT_AGE, SCHEDULE_RETRY_ATTEMPTS } from '../../infra/constructs/job-schedules.ts';
import { ObjectCreatedTrigger } from '../../infra/constructs/object-created-trigger.ts';
import { checkObjectEventFunctions } from '../../infra/object-events.ts';
import { asyncDeadLetterQueueOf, checkSchedules } from '../../infra/schedules.ts';
import { functions } from '../../shared/manifest.ts';
import type { FunctionId, FunctionSpec } from '../../shared/manifest.ts';
import { SCHEDULE_TIME_ZONE, schedules } from '../../shared/schedules.ts';
import type { ScheduleSpec } from '../../shared/schedules.ts';
import { actionsOf, logicalId, resourcesOf, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { Statement, SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING });
});

const resources = (template: Template, type: string) => template.findResources(type);
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const fnId = (fn: FunctionId) => logicalId(built.api.functions[fn].function);
const queueId = () => logicalId(built.api.jobSchedules.deadLetterQueue as sqs.Queue);
const scheduleOf = (spec: ScheduleSpec) => {
  const schedule = built.api.jobSchedules.schedules[spec.id];
  if (!schedule) throw new Error(`no schedule ${spec.id}`);
  const resource = resources(built.apiTemplate, 'AWS::Scheduler::Schedule')[logicalId(schedule)];
  if (!resource) throw new Error(`no AWS::Scheduler::Schedule for ${spec.id}`);
  return resource.Properties;
};
/** The role logical id behind a schedule's RoleArn. */
const roleIdOf = (spec: ScheduleSpec): string => {
  const arn = scheduleOf(spec).Target.RoleArn as { 'Fn::GetAtt': [string, string] };
  expect(arn['Fn::GetAtt'][1]).toBe('Arn');
  return arn['Fn::GetAtt'][0];
};

describe('the list of schedules', () => {
  it('is not empty, and the manifest names each scheduled function (the abandoned-uploads job on evidence-seal)', () => {
    expect(schedules.length).toBeGreaterThan(0);
    expect(schedules.find((s) => s.id === 'abandoned-uploads')).toMatchObject({ fn: 'evidence-seal', job: 'abort-abandoned-uploads', cron: 'cron(15 * * * ? *)' });
    expect(() => checkSchedules()).not.toThrow();
  });

  it('the synth refuses an unknown function, a cron parseCron cannot run, a duplicate id and an empty description', () => {
    const good = schedules[0] as ScheduleSpec;
    expect(() => checkSchedules([{ ...good, fn: 'nightly' as FunctionId }])).toThrow(/names function "nightly", which shared\/manifest.ts does not have/);
    for (const cron of ['rate(1 hour)', 'cron(0 8 * * * *)', 'cron(0 8 ? * *)', 'cron(0 25 * * ? *)', 'cron(0 8 L * ? *)', '15 * * * ? *']) {
      expect(() => checkSchedules([{ ...good, cron }]), cron).toThrow(/is not a cron expression we can run/);
    }
    expect(() => checkSchedules([good, { ...good }])).toThrow(/listed twice/);
    expect(() => checkSchedules([{ ...good, description: ' ' }])).toThrow(/description/);
    expect(() => checkSchedules([{ ...good, id: 'Bad Id' }])).toThrow(/not lower-case/);
    // And the real list against a manifest without the function.
    expect(() => checkSchedules(schedules, functions.filter((f) => f.id !== good.fn))).toThrow(/does not have/);
  });

  it('evidence-seal, invoked by object events and scheduled, passes the object-event checks', () => {
    expect(functions.find((f) => f.id === 'evidence-seal')?.invokedBy).toBe('s3');
    expect(schedules.some((s) => s.fn === 'evidence-seal')).toBe(true);
    expect(() => checkObjectEventFunctions()).not.toThrow();
  });

  it('a scheduled function fails into a dead-letter queue: its own if it has object events, else the job schedules\' one', () => {
    const spec = (id: string, invokedBy?: FunctionSpec['invokedBy']) => ({ id, invokedBy }) as FunctionSpec;
    const daily = [{ ...(schedules[0] as ScheduleSpec), fn: 'cases' as FunctionId }];
    expect(asyncDeadLetterQueueOf(spec('evidence-seal', 's3'), daily)).toBe('own');
    expect(asyncDeadLetterQueueOf(spec('cases', 'api'), daily)).toBe('job-schedules');
    expect(asyncDeadLetterQueueOf(spec('reviews', 'api'), daily)).toBeUndefined();
    // As deployed: every scheduled function has a dead-letter queue for its failed runs (evidence-seal
    // its own, the object events' one); no function nothing invokes asynchronously has one.
    for (const fn of new Set(schedules.map((s) => s.fn))) {
      const queue = built.api.deadLetterQueues[fn];
      expect(queue, fn).toBeDefined();
      const deployed = resources(built.apiTemplate, 'AWS::Lambda::Function')[fnId(fn)]?.Properties;
      expect(deployed?.DeadLetterConfig, fn).toEqual({ TargetArn: getAtt(logicalId(queue!)) });
      expect(queue === built.api.jobSchedules.deadLetterQueue, fn).toBe(asyncDeadLetterQueueOf(functions.find((f) => f.id === fn)!) === 'job-schedules');
    }
    expect(built.api.deadLetterQueues['evidence-seal']).not.toBe(built.api.jobSchedules.deadLetterQueue);
    for (const f of functions.filter((f) => asyncDeadLetterQueueOf(f) === undefined)) expect(built.api.deadLetterQueues[f.id], f.id).toBeUndefined();
  });
});

describe('EventBridge Scheduler schedules', () => {
  it('one AWS::Scheduler::Schedule per spec, and no other', () => {
    built.apiTemplate.resourceCountIs('AWS::Scheduler::Schedule', schedules.length);
    expect(new Set(schedules.map((s) => logicalId(built.api.jobSchedules.schedules[s.id]!))).size).toBe(schedules.length);
  });

  it.each(schedules.map((s) => [s.id, s] as const))('%s: the cron of the spec in Asia/Shanghai, exactly on time, enabled, described', (_id, spec) => {
    const p = scheduleOf(spec);
    expect(p.ScheduleExpression).toBe(spec.cron);
    expect(p.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(SCHEDULE_TIME_ZONE).toBe(TimeZone.ASIA_SHANGHAI.timezoneName);
    expect(p.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(p.State).toBe('ENABLED');
    expect(p.Description).toBe(spec.description);
    // The default group: the one the role's trust policy names.
    expect(p.GroupName).toBeUndefined();
    expect(p.StartDate).toBeUndefined();
    expect(p.EndDate).toBeUndefined();
  });

  it.each(schedules.map((s) => [s.id, s] as const))('%s: invokes the function of the spec with { schedule, job, scheduledTime }, retries, then the dead-letter queue', (_id, spec) => {
    const target = scheduleOf(spec).Target;
    expect(target.Arn).toEqual(getAtt(fnId(spec.fn)));
    expect(typeof target.Input).toBe('string');
    expect(JSON.parse(target.Input as string)).toEqual({ schedule: spec.id, job: spec.job, scheduledTime: '<aws.scheduler.scheduled-time>' });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE.toSeconds() });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: getAtt(queueId()) });
  });

  it('today: the abandoned-uploads schedule invokes evidence-seal at :15 every hour', () => {
    const spec = schedules.find((s) => s.id === 'abandoned-uploads') as ScheduleSpec;
    const p = scheduleOf(spec);
    expect(p.Target.Arn).toEqual(getAtt(logicalId(built.api.functions['evidence-seal'].function)));
    expect(p.ScheduleExpression).toBe('cron(15 * * * ? *)');
  });

  it('the dead-letter queue: SQS-managed encryption, TLS only, 14 days, no redrive of its own', () => {
    const q = resources(built.apiTemplate, 'AWS::SQS::Queue')[queueId()];
    expect(q?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    expect(q?.Properties.RedrivePolicy).toBeUndefined();
    const [policy, ...others] = Object.values(resources(built.apiTemplate, 'AWS::SQS::QueuePolicy')).filter((p) => JSON.stringify(p.Properties.Queues).includes(`"${queueId()}"`));
    expect(others).toEqual([]);
    const statements = policy?.Properties.PolicyDocument.Statement as (Statement & { Principal?: unknown })[];
    expect(statements).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: { AWS: '*' } }),
    ]);
  });

  it('an alarm on the queue (at least one visible message) notifies the alert topic', () => {
    const alarms = Object.entries(resources(built.apiTemplate, 'AWS::CloudWatch::Alarm')).filter(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []).includes(`"${queueId()}"`));
    expect(alarms.map(([id]) => id)).toEqual([logicalId(built.api.jobSchedules.alarm)]);
    const p = alarms[0]![1].Properties;
    expect(p).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(), 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(p.AlarmActions).toEqual([{ Ref: logicalId(built.api.alertTopic) }]);
  });
});

describe('the scheduler execution role', () => {
  it.each(schedules.map((s) => [s.id, s] as const))('%s: may invoke only its function (unqualified) and send only to the dead-letter queue', (_id, spec) => {
    const roleId = roleIdOf(spec);
    const statements = statementsOfRole(built.apiTemplate, roleId);
    const grants = statements.map((s) => ({ effect: s.Effect, actions: actionsOf(s), resources: resourcesOf(s), condition: s.Condition }));
    expect(grants).toEqual([
      { effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [getAtt(fnId(spec.fn))], condition: undefined },
      { effect: 'Allow', actions: ['sqs:SendMessage'], resources: [getAtt(queueId())], condition: undefined },
    ]);
    for (const s of statements) expect((s as Statement & { NotAction?: unknown }).NotAction).toBeUndefined();
    const role = resources(built.apiTemplate, 'AWS::IAM::Role')[roleId];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.Policies).toBeUndefined();
    expect(role?.Properties.PermissionsBoundary).toBeUndefined();
    // No managed policy is attached to it either.
    for (const mp of Object.values(resources(built.apiTemplate, 'AWS::IAM::ManagedPolicy'))) expect(JSON.stringify(mp.Properties.Roles ?? [])).not.toContain(`"${roleId}"`);
  });

  it('is assumable only by EventBridge Scheduler, for schedules of this account\'s default group', () => {
    const roleIds = [...new Set(schedules.map(roleIdOf))];
    expect(roleIds).toHaveLength(new Set(schedules.map((s) => s.fn)).size);
    for (const roleId of roleIds) {
      const trust = resources(built.apiTemplate, 'AWS::IAM::Role')[roleId]?.Properties.AssumeRolePolicyDocument.Statement;
      expect(trust).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':schedule-group/default']],
              },
            },
          },
        },
      ]);
    }
  });

  it('the scheduler roles are the only principals that may send to the job schedules\' queue, and no scheduler role serves anything else', () => {
    const roleIds = new Set(schedules.map(roleIdOf));
    const policies = Object.values(resources(built.apiTemplate, 'AWS::IAM::Policy'));
    const senders = policies
      .filter((p) => (p.Properties.PolicyDocument.Statement as Statement[]).some((s) => actionsOf(s).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(`"${queueId()}"`)))
      .flatMap((p) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    // Lambda's asynchronous dead-letter delivery of a scheduled function that uses this queue adds that
    // function's role: jobs (evidence-seal has its own queue).
    const functionRoles = new Set(functions.filter((f) => asyncDeadLetterQueueOf(f) === 'job-schedules').map((f) => logicalId(built.api.functions[f.id].role)));
    expect(functions.filter((f) => asyncDeadLetterQueueOf(f) === 'job-schedules').map((f) => f.id)).toEqual(['jobs']);
    expect(new Set(senders)).toEqual(new Set([...roleIds, ...functionRoles]));
    // Nothing but schedules uses the scheduler roles.
    const referencing = Object.entries(built.apiTemplate.toJSON().Resources as Record<string, { Type: string; Properties?: unknown }>)
      .filter(([, r]) => r.Type !== 'AWS::IAM::Policy' && [...roleIds].some((id) => JSON.stringify(r.Properties ?? {}).includes(`"${id}"`)))
      .map(([, r]) => r.Type);
    expect(new Set(referencing)).toEqual(new Set(['AWS::Scheduler::Schedule']));
  });

  it('no resource-based permission lets EventBridge Scheduler invoke a function (the role is the only way)', () => {
    for (const perm of Object.values(resources(built.apiTemplate, 'AWS::Lambda::Permission'))) {
      expect(perm.Properties.Principal).not.toBe('scheduler.amazonaws.com');
    }
  });
});

describe('no principal may Scan (issue 6)', () => {
  /** Does an IAM action pattern (with * and ?) cover `action`? */
  const covers = (pattern: string, action: string) =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action);

  it('the matcher sees wildcards and case', () => {
    expect(covers('dynamodb:Scan', 'dynamodb:Scan')).toBe(true);
    expect(covers('DynamoDB:scan', 'dynamodb:Scan')).toBe(true);
    expect(covers('dynamodb:*', 'dynamodb:Scan')).toBe(true);
    expect(covers('dynamodb:S*', 'dynamodb:Scan')).toBe(true);
    expect(covers('*', 'dynamodb:Scan')).toBe(true);
    expect(covers('dynamodb:Query', 'dynamodb:Scan')).toBe(false);
  });

  it('no IAM statement of either stack allows dynamodb:Scan, by name or wildcard, nor uses NotAction to allow it', () => {
    let checked = 0;
    for (const template of [built.dataTemplate, built.apiTemplate]) {
      const documents = [
        ...Object.values(resources(template, 'AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument),
        ...Object.values(resources(template, 'AWS::IAM::ManagedPolicy')).map((p) => p.Properties.PolicyDocument),
        ...Object.values(resources(template, 'AWS::IAM::Role')).flatMap((r) => ((r.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument)),
      ] as { Statement: (Statement & { NotAction?: string | string[] })[] }[];
      for (const s of documents.flatMap((d) => d.Statement)) {
        checked += 1;
        if (s.Effect !== 'Allow') continue;
        expect(s.NotAction, JSON.stringify(s)).toBeUndefined();
        for (const action of actionsOf(s)) expect(covers(action, 'dynamodb:Scan'), JSON.stringify(s)).toBe(false);
      }
      // Managed policies by ARN: only the API Gateway logging role's, which has no DynamoDB action, and AWS
      // Backup's service-role policy for the table backups (dynamodb:CreateBackup, DescribeTable,
      // StartAwsBackupJob and the like: backups are taken by DynamoDB, never by reading items).
      const managed = Object.values(resources(template, 'AWS::IAM::Role')).flatMap((r) => (r.Properties.ManagedPolicyArns ?? []) as unknown[]);
      for (const arn of managed) {
        expect(JSON.stringify(arn)).toMatch(/:iam::aws:policy\/service-role\/(AmazonAPIGatewayPushToCloudWatchLogs|AWSBackupServiceRolePolicyForBackup)"/);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('nor any table or key policy (resource-based) grants it', () => {
    for (const template of [built.dataTemplate, built.apiTemplate]) {
      for (const [type, key] of [['AWS::DynamoDB::GlobalTable', 'ResourcePolicy'], ['AWS::DynamoDB::Table', 'ResourcePolicy']] as const) {
        for (const table of Object.values(resources(template, type))) {
          const json = JSON.stringify(table.Properties[key] ?? {}) + JSON.stringify(table.Properties.Replicas ?? []);
          expect(json).not.toMatch(/dynamodb:(Scan|\*|S\*)/i);
        }
      }
    }
  });
});

describe('JobSchedules on its own', () => {
  const stackWith = (useQueueAsFunctionDlq: boolean) => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const queue = ObjectCreatedTrigger.deadLetterQueue(stack, 'Queue');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
      ...(useQueueAsFunctionDlq ? { deadLetterQueue: queue } : {}),
    });
    const spec: ScheduleSpec = { ...(schedules[0] as ScheduleSpec), fn: 'cases' };
    const jobs = new JobSchedules(stack, 'Jobs', {
      schedules: [spec],
      functions: { cases: { function: fn } } as unknown as Record<FunctionId, { function: lambda.IFunction }>,
      deadLetterQueue: queue,
      alarmTopic: new sns.Topic(stack, 'Topic'),
    });
    return { app, stack, queue, jobs };
  };
  const sqs3 = (app: App) =>
    new AwsSolutionsChecks().validateScope(app).violations.filter((v) => v.ruleName === 'AwsSolutions-SQS3').flatMap((v) => v.violatingResources.map((r) => r.constructPath));

  it('acknowledges SQS3 on the queue only while no function uses it as its dead-letter queue; cdk-nag is then satisfied either way', () => {
    const alone = stackWith(false);
    expect(JSON.stringify(alone.queue.node.metadata)).toContain('AwsSolutions-SQS3');
    expect(sqs3(alone.app)).toEqual([]);
    const shared = stackWith(true);
    expect(JSON.stringify(shared.queue.node.metadata)).not.toContain('AwsSolutions-SQS3');
    expect(sqs3(shared.app)).toEqual([]);
  });

  it('refuses a schedule whose function the stack does not have', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    expect(
      () =>
        new JobSchedules(stack, 'Jobs', {
          schedules: [schedules[0] as ScheduleSpec],
          functions: {} as Record<FunctionId, { function: lambda.IFunction }>,
          deadLetterQueue: new sqs.Queue(stack, 'Q'),
          alarmTopic: new sns.Topic(stack, 'T'),
        }),
    ).toThrow(/which the stack does not have/);
  });

  it('the role the target would have made is not there: no role grants lambda:InvokeFunction on <function ARN>:*', () => {
    const { stack } = stackWith(false);
    const template = Template.fromStack(stack);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    expect(JSON.stringify(statements)).not.toContain(':*');
    template.resourceCountIs('AWS::IAM::Role', 2); // the function's and the scheduler's
  });
});
