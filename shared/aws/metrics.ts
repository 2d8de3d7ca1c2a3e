/**
 * Business metrics as CloudWatch EMF lines (Powertools), with the agency as a dimension so a dashboard
 * can chart each agency. Off outside Lambda (local mode, tests) unless POWERTOOLS_METRICS_DISABLED is
 * set, which then decides, as it does for Powertools itself.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../metric-names.ts';
import type { BusinessMetric } from '../metric-names.ts';

export { BUSINESS_METRICS, METRICS_NAMESPACE, type BusinessMetric } from '../metric-names.ts';

let metrics: Metrics | undefined;

function enabled(): boolean {
  if (process.env.POWERTOOLS_METRICS_DISABLED !== undefined) return true; // Powertools reads the value itself
  return process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined && process.env.LOCAL_MODE !== 'true';
}

/**
 * Publishes `value` of `name` for `agencyId` at once: a single-metric line of its own, because EMF
 * shares one dimension set per line and each call may name another agency. Never throws: a metric
 * must not fail the business action that already committed.
 */
export function countBusiness(name: BusinessMetric, agencyId: string, value = 1): void {
  if (!enabled() || value <= 0) return;
  try {
    metrics ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'three-systems' });
    const single = metrics.singleMetric();
    single.addDimension('agency', agencyId);
    single.addMetric(name, MetricUnit.Count, value);
  } catch {
    // Nothing to do: the action is done and the line is only lost.
  }
}
