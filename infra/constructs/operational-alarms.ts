/**
 * CloudWatch alarms on what must not happen unnoticed, each notifying the alert topic (issue 10 point 11):
 * - the API answering 5xx (a handled error mapped to 500 is no Lambda error, so only this sees it);
 * - each function's errors (uncaught, timeouts, out of memory) and throttles (reserved concurrency
 *   spent, or the account's pool empty);
 * - each workflow's executions that failed, timed out or were aborted (a review then waits for nobody).
 *
 * Any one occurrence alarms: in this system each is a defect or an outage a person must look at, and
 * the volume is low enough that one is never noise. Periods without data are not breaching.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Sum over this period, one period to alarm. */
const PERIOD = Duration.minutes(5);

export interface OperationalAlarmsProps {
  readonly stage: apigw.Stage;
  /** By a short name used in construct ids and descriptions (the manifest's function id). */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** By workflow name (`legal-review`). */
  readonly stateMachines: Readonly<Record<string, sfn.IStateMachine>>;
  readonly topic: sns.ITopic;
}

export class OperationalAlarms extends Construct {
  readonly apiServerErrors: cloudwatch.Alarm;
  readonly functionErrors: Readonly<Record<string, cloudwatch.Alarm>>;
  readonly functionThrottles: Readonly<Record<string, cloudwatch.Alarm>>;
  /** By workflow name, then `failed`, `timedOut`, `aborted`. */
  readonly workflowExecutions: Readonly<Record<string, Readonly<Record<'failed' | 'timedOut' | 'aborted', cloudwatch.Alarm>>>>;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      return a;
    };
    const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM } as const;

    this.apiServerErrors = alarm(
      'ApiServerErrors',
      props.stage.metricServerError(sum),
      `API stage ${props.stage.stageName} answered 5xx. Find the request in the access log by its time, then the function's log by its request id; a 500 is a defect (every bad input must get a 4xx).`,
    );

    const errors: Record<string, cloudwatch.Alarm> = {};
    const throttles: Record<string, cloudwatch.Alarm> = {};
    for (const [name, fn] of Object.entries(props.functions)) {
      const pascalName = pascal(name);
      errors[name] = alarm(`${pascalName}Errors`, fn.metricErrors(sum), `Function ${name} failed an invocation (uncaught error, timeout or out of memory). Read its log group for the error.`);
      throttles[name] = alarm(
        `${pascalName}Throttles`,
        fn.metricThrottles(sum),
        `Function ${name} was throttled: its reserved concurrency or the account's concurrency was spent, and callers got 429/502 or were retried. Look for a flood of requests (AWS WAF logs) or raise the limit.`,
      );
    }
    this.functionErrors = errors;
    this.functionThrottles = throttles;

    const workflows: Record<string, Record<'failed' | 'timedOut' | 'aborted', cloudwatch.Alarm>> = {};
    for (const [name, machine] of Object.entries(props.stateMachines)) {
      const pascalName = pascal(name);
      const what = `Workflow ${name}: an execution`;
      const next = 'The subject (a review) is no longer driven by the workflow: read the execution history, then re-open or resubmit it.';
      workflows[name] = {
        failed: alarm(`${pascalName}ExecutionsFailed`, machine.metricFailed(sum), `${what} failed. ${next}`),
        timedOut: alarm(`${pascalName}ExecutionsTimedOut`, machine.metricTimedOut(sum), `${what} timed out. ${next}`),
        aborted: alarm(`${pascalName}ExecutionsAborted`, machine.metricAborted(sum), `${what} was aborted (stopped by hand or by the API). ${next}`),
      };
    }
    this.workflowExecutions = workflows;
  }
}

/** `review-tasks` → `ReviewTasks`. */
const pascal = (s: string): string => s.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
