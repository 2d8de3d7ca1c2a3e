/**
 * The business metrics' namespace and names: plain data, like shared/manifest.ts, so the CDK dashboard
 * and the runtime (shared/aws/metrics.ts) share one list without infra importing runtime packages.
 */
export const METRICS_NAMESPACE = 'ThreeSystems';

export type BusinessMetric =
  | 'DecisionsIssued'
  | 'DecisionsPublishedOnTime'
  | 'DecisionsPublishedLate'
  | 'ReviewsReturned'
  | 'EvidenceSealed'
  | 'EvidenceRejected'
  | 'DeadlineItemsDue';

export const BUSINESS_METRICS: readonly BusinessMetric[] = [
  'DecisionsIssued',
  'DecisionsPublishedOnTime',
  'DecisionsPublishedLate',
  'ReviewsReturned',
  'EvidenceSealed',
  'EvidenceRejected',
  'DeadlineItemsDue',
];
