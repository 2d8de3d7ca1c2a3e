/**
 * The scheduled jobs of shared/schedules.ts as EventBridge Scheduler schedules: one schedule per entry,
 * its cron evaluated in SCHEDULE_TIME_ZONE (Asia/Shanghai), invoking the entry's function with
 * `{ schedule, job, scheduledTime }` (the ScheduledEvent the handlers read; local/scheduler.ts sends the
 * same). Nothing is lost silently: an invocation EventBridge Scheduler cannot deliver is retried, then put
 * in one dead-letter queue for all job schedules, and an alarm tells the alert topic as soon as the queue
 * holds anything.
 *
 * EventBridge Scheduler invokes Lambda asynchronously: once Lambda has accepted the event, the schedule's
 * part is done, and a failure of the job itself is Lambda's to retry (the function's `asyncInvoke`) and to
 * put in the function's dead-letter queue (ApiStack gives every scheduled function one).
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionId } from '../../shared/manifest.ts';
import { SCHEDULE_TIME_ZONE } from '../../shared/schedules.ts';
import type { ScheduledEvent, ScheduleSpec } from '../../shared/schedules.ts';
import { deadLettersAlarm } from './object-created-trigger.ts';

/**
 * How EventBridge Scheduler retries an invocation it could not deliver. Lambda accepts an asynchronous
 * invocation into its own queue, so delivery fails only on a transient Lambda service error or
 * throttling (a few retries with the scheduler's back-off cover those) or on something retrying will not
 * mend (the function or the role's permission gone). After an hour the next run of the hourly job has
 * started and a daily job is already an hour late: rather than 185 attempts over 24 hours (the default)
 * that could overlap later runs, the event goes to the dead-letter queue and the alarm calls a person.
 * (abort-abandoned-uploads acts on what is due when it runs, so a missed run is made up by the next.)
 */
export const SCHEDULE_RETRY_ATTEMPTS = 3;
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);

/** The schedules' time zone, as CDK names it (the one SCHEDULE_TIME_ZONE names; it is not retyped here). */
export const scheduleTimeZone = (): TimeZone => TimeZone.of(SCHEDULE_TIME_ZONE);

export interface JobSchedulesProps {
  readonly schedules: readonly ScheduleSpec[];
  /** The functions of the manifest (ProjectFunctions), by id; each schedule invokes `functions[spec.fn].function`. */
  readonly functions: Readonly<Record<FunctionId, { readonly function: lambda.IFunction }>>;
  /** Takes the invocations EventBridge Scheduler could not deliver, for every schedule. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Told when the dead-letter queue holds an event. */
  readonly alarmTopic: sns.ITopic;
}

export class JobSchedules extends Construct {
  /** By schedule id (`abandoned-uploads`). */
  readonly schedules: Readonly<Record<string, scheduler.Schedule>>;
  /** By function id: the execution role of the schedules that invoke that function. */
  readonly roles: Readonly<Partial<Record<FunctionId, iam.Role>>>;
  readonly deadLetterQueue: sqs.IQueue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: JobSchedulesProps) {
    super(scope, id);
    this.deadLetterQueue = props.deadLetterQueue;
    const stack = Stack.of(this);

    // One execution role per scheduled function, shared by the schedules that invoke it. The target's
    // own grant (`grantInvoke`) would also allow `<function ARN>:*` (every version and alias); the
    // schedules invoke the unqualified ARN only. So the role is built here and handed to the target
    // immutable: the target adds nothing to it.
    const roles: Partial<Record<FunctionId, iam.Role>> = {};
    const roleFor = (fnId: FunctionId, fn: lambda.IFunction): iam.Role => {
      const existing = roles[fnId];
      if (existing) return existing;
      const role = new iam.Role(this, `${pascal(fnId)}Role`, {
        description: `EventBridge Scheduler: invokes ${fnId} for the job schedules of shared/schedules.ts`,
        // Only schedules of this account's default schedule group (where these schedules are) may
        // assume it: the confused-deputy conditions AWS documents for EventBridge Scheduler.
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: {
            StringEquals: {
              'aws:SourceAccount': stack.account,
              'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
            },
          },
        }),
      });
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'InvokeScheduledFunction', actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
      );
      // SSE-SQS: sending needs no KMS permission.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'SendUndeliveredToDeadLetterQueue', actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] }),
      );
      roles[fnId] = role;
      return role;
    };

    const schedules: Record<string, scheduler.Schedule> = {};
    for (const spec of props.schedules) {
      const fn = (props.functions[spec.fn] as { readonly function: lambda.IFunction } | undefined)?.function;
      if (!fn) throw new Error(`Schedule ${spec.id} names function ${spec.fn}, which the stack does not have`);
      const role = roleFor(spec.fn, fn);
      const input: ScheduledEvent = { schedule: spec.id, job: spec.job, scheduledTime: scheduler.ContextAttribute.scheduledTime };
      const schedule = new scheduler.Schedule(this, spec.id, {
        description: spec.description,
        schedule: scheduler.ScheduleExpression.expression(spec.cron, scheduleTimeZone()),
        enabled: true,
        // Exactly at the cron time, as the local scheduler fires (a flexible window would spread the
        // runs over up to the window's length).
        timeWindow: scheduler.TimeWindow.off(),
        target: new targets.LambdaInvoke(fn, {
          role: role.withoutPolicyUpdates(),
          input: scheduler.ScheduleTargetInput.fromObject(input),
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: SCHEDULE_MAX_EVENT_AGE,
          deadLetterQueue: props.deadLetterQueue,
        }),
      });
      // The role's policy before the schedule (the schedule only references the role itself).
      schedule.node.addDependency(role);
      schedules[spec.id] = schedule;
    }
    this.schedules = schedules;
    this.roles = roles;

    this.alarm = deadLettersAlarm(this, props.deadLetterQueue, props.alarmTopic, 'Job schedules (shared/schedules.ts): EventBridge Scheduler could not deliver a scheduled run to its function (or a scheduled function that has no dead-letter queue of its own failed the run). Read the messages (the ScheduledEvent, the error in the message attributes), fix the cause, and replay them to the function or wait for the next run.');

    // cdk-nag's SQS3 recognises a dead-letter queue only by an SQS redrive policy or a Lambda function's
    // DeadLetterConfig naming it, not by a schedule's DeadLetterConfig. When a scheduled function also
    // uses this queue as its own dead-letter queue, the rule sees it and needs no acknowledgement.
    const isFunctionDeadLetterQueue = stack.node.findAll().some((c) => c instanceof lambda.Function && c.deadLetterQueue === props.deadLetterQueue);
    if (!isFunctionDeadLetterQueue) {
      Validations.of(props.deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the dead-letter queue of the EventBridge Scheduler job schedules (DeadLetterConfig of each AWS::Scheduler::Schedule); cdk-nag recognises only SQS redrive policies and Lambda DeadLetterConfig. A dead-letter queue needs no dead-letter queue of its own; its alarm reports any message.',
      });
    }
  }
}

/** `evidence-seal` → `EvidenceSeal` (construct ids). */
const pascal = (s: string): string => s.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
