/**
 * Invokes a function for each object created under a key prefix of a bucket whose events go to
 * EventBridge: one rule on the default event bus, the function its only target. Nothing is lost
 * silently: EventBridge retries delivery and then puts the event in the dead-letter queue; Lambda retries
 * a failed invocation (the function's `asyncInvoke`) and then puts the event in the same queue; an alarm
 * tells the alert topic as soon as the queue holds anything.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { objectCreatedPattern } from '../object-events.ts';

/** How long and how often EventBridge tries to deliver an event to Lambda: its maximum. */
export const DELIVERY_MAX_EVENT_AGE = Duration.hours(24);
export const DELIVERY_RETRY_ATTEMPTS = 185;

export interface ObjectCreatedTriggerProps {
  readonly bucketName: string;
  readonly keyPrefix: string;
  readonly function: lambda.IFunction;
  /** The function's own dead-letter queue (`asyncInvoke.deadLetterQueue`), which also takes undeliverable events. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Told when the dead-letter queue holds an event. */
  readonly alarmTopic: sns.ITopic;
  readonly description: string;
}

export class ObjectCreatedTrigger extends Construct {
  readonly rule: events.Rule;
  readonly alarm: cloudwatch.Alarm;

  /** A queue for the events a function could not handle: encrypted, TLS only, kept 14 days (the maximum). */
  static deadLetterQueue(scope: Construct, id: string): sqs.Queue {
    const queue = new sqs.Queue(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself a dead-letter queue, the last stop: nothing consumes it, an alarm reports the first message, and an operator reads and replays what it holds within its 14 days. A redrive policy would only move those messages to yet another queue nobody reads.',
    });
    return queue;
  }

  constructor(scope: Construct, id: string, props: ObjectCreatedTriggerProps) {
    super(scope, id);

    this.rule = new events.Rule(this, 'Rule', {
      description: props.description,
      eventPattern: objectCreatedPattern(props.bucketName, props.keyPrefix),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.function, {
        deadLetterQueue: props.deadLetterQueue,
        maxEventAge: DELIVERY_MAX_EVENT_AGE,
        retryAttempts: DELIVERY_RETRY_ATTEMPTS,
      }),
    );

    this.alarm = deadLettersAlarm(this, props.deadLetterQueue, props.alarmTopic, `${props.description}: events the function could not handle are in the dead-letter queue. Read them, fix the cause, and replay them.`);
  }
}

/** An alarm to the alert topic as soon as a dead-letter queue holds anything (used by every DLQ here). */
export function deadLettersAlarm(scope: Construct, queue: sqs.IQueue, topic: sns.ITopic, description: string): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, 'DeadLettersAlarm', {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}
