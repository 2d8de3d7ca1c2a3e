/**
 * One CloudWatch dashboard for operations (issue 13, point 3): the business metrics of
 * shared/aws/metrics.ts by agency, and the metrics of the operational alarms beside their states.
 * Agencies are data, not infrastructure: a SEARCH expression draws one line per agency that has
 * published the metric, so a new agency appears without a deployment.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/metric-names.ts';
import type { BusinessMetric } from '../../shared/metric-names.ts';
import type { OperationalAlarms } from './operational-alarms.ts';

/** Business metrics are low-volume counts: hourly sums read better than 5-minute spikes. */
const BUSINESS_PERIOD = Duration.hours(1);

/** Sum of `metric` per agency (one line each); `service` is the function that published it. */
export function byAgency(metric: BusinessMetric): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},agency,service} MetricName="${metric}"', 'Sum', ${BUSINESS_PERIOD.toSeconds()})`,
    usingMetrics: {},
    label: metric,
    period: BUSINESS_PERIOD,
  });
}

export interface ObservabilityDashboardProps {
  readonly dashboardName: string;
  readonly alarms: OperationalAlarms;
}

export class ObservabilityDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityDashboardProps) {
    super(scope, id);
    const graph = (title: string, metrics: readonly BusinessMetric[]) =>
      new cloudwatch.GraphWidget({ title, left: metrics.map(byAgency), width: 12, height: 6, statistic: 'Sum' });
    const a = props.alarms;
    const functionAlarms = [...Object.values(a.functionErrors), ...Object.values(a.functionThrottles)];
    const workflowAlarms = Object.values(a.workflowExecutions).flatMap((w) => Object.values(w));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(7),
      widgets: [
        [new cloudwatch.TextWidget({ markdown: '## Business, by agency (hourly sums)', width: 24, height: 1 })],
        [graph('Decisions issued', ['DecisionsIssued']), graph('Decisions published: on time / late', ['DecisionsPublishedOnTime', 'DecisionsPublishedLate'])],
        [graph('Reviews returned (RETURN / AMEND)', ['ReviewsReturned']), graph('Evidence sealed / rejected', ['EvidenceSealed', 'EvidenceRejected'])],
        [graph('Deadline items due (daily digest)', ['DeadlineItemsDue'])],
        [new cloudwatch.TextWidget({ markdown: '## Operations (the alarms and their metrics)', width: 24, height: 1 })],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [a.apiServerErrors, ...functionAlarms, ...workflowAlarms], width: 24, height: 6 })],
        [
          new cloudwatch.AlarmWidget({ title: 'API 5xx', alarm: a.apiServerErrors, width: 8, height: 6 }),
          new cloudwatch.GraphWidget({ title: 'Function errors', left: Object.values(a.functionErrors).map((x) => x.metric), width: 8, height: 6 }),
          new cloudwatch.GraphWidget({ title: 'Function throttles', left: Object.values(a.functionThrottles).map((x) => x.metric), width: 8, height: 6 }),
        ],
        [new cloudwatch.GraphWidget({ title: 'Workflow executions failed / timed out / aborted', left: workflowAlarms.map((x) => x.metric), width: 24, height: 6 })],
      ],
    });
  }
}
