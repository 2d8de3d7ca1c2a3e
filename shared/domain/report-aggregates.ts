/**
 * The annual report's counters (D13, N13), kept per agency and year and updated in the same transaction
 * as the change they count, so building the report reads one item per agency whatever the year's volume.
 * Pure: which counters a change adds to.
 */
import { PENALTY_TYPES } from './decision.ts';
import type { DecisionDraftBody, PenaltyType } from './decision.ts';
import { yuanToFen } from './money.ts';
import { config } from './config.ts';
import { REMEDY_OUTCOMES } from './remedy-codes.ts';
import type { RemedyKind, RemedyOutcome } from './remedy-codes.ts';

export const COUNTERS = [
  'licensingApplied',
  'licensingGranted',
  'licensingRefused',
  'licensingRevoked',
  'penaltiesTotal',
  ...PENALTY_TYPES.map((p) => `penalty_${p}` as const),
  'finesFen',
  'confiscatedFen',
  /** P5: fines paid (not the surcharge), in the year of payment. */
  'finesCollectedFen',
  'coerciveMeasures',
  'inspections',
  'otherActs',
  'reviewsDone',
  'reviewsPassed',
  'reviewsReturned',
  'disclosureDue',
  'disclosureOnTime',
  /** P6: remedies in the year filed (litigation at every stage: 一审, 二审 and 再审 each count). */
  'reconsiderationsFiled',
  'litigationsFiled',
  /** P6: outcomes in the year decided. */
  ...REMEDY_OUTCOMES.map((o) => `remedyOutcome_${o}` as const),
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Increments = Partial<Record<Counter, number>>;
export type Aggregate = Readonly<Record<Counter, number>>;

export const emptyAggregate = (): Record<Counter, number> => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>;

/**
 * Heaviest first (行政处罚法 Art 9, read from the heaviest): a combined penalty counts once, under the
 * first of its types in this order. Configurable with PENALTY_SEVERITY_ORDER (comma-separated, all types).
 */
export const DEFAULT_SEVERITY_ORDER: readonly PenaltyType[] = [
  'ORDER_CLOSE',
  'REVOKE_PERMIT',
  'RESTRICT_EMPLOYMENT',
  'ORDER_SUSPEND',
  'RESTRICT_ACTIVITY',
  'DOWNGRADE_QUALIFICATION',
  'SUSPEND_PERMIT',
  'CONFISCATE_PROPERTY',
  'CONFISCATE_GAINS',
  'FINE',
  'CRITICISM',
  'WARNING',
  'OTHER',
];

/** The order in `raw`, or without it the configured one (validated in config.ts) or the national default. */
export function severityOrder(raw?: string): readonly PenaltyType[] {
  if (raw === undefined) return config().PENALTY_SEVERITY_ORDER ?? DEFAULT_SEVERITY_ORDER;
  if (raw.trim() === '') return DEFAULT_SEVERITY_ORDER;
  const order = raw.split(',').map((s) => s.trim()) as PenaltyType[];
  const known = new Set<string>(PENALTY_TYPES);
  if (order.length !== PENALTY_TYPES.length || new Set(order).size !== order.length || order.some((p) => !known.has(p))) {
    throw new Error(`PENALTY_SEVERITY_ORDER must list each of ${PENALTY_TYPES.join(', ')} once`);
  }
  return order;
}

export function heaviestPenalty(penalties: readonly PenaltyType[], order: readonly PenaltyType[] = severityOrder()): PenaltyType | undefined {
  return order.find((p) => penalties.includes(p));
}

export const LICENSING_OUTCOMES = ['GRANTED', 'REFUSED', 'REVOKED'] as const;
export type LicensingOutcome = (typeof LICENSING_OUTCOMES)[number];

/** What issuing a decision adds (the year is the decision date's). */
export function issueIncrements(d: Pick<DecisionDraftBody, 'kind' | 'penalties' | 'fine' | 'confiscatedValue'> & { licensingOutcome?: LicensingOutcome | undefined }, order?: readonly PenaltyType[]): Increments {
  switch (d.kind) {
    case 'PENALTY': {
      const heaviest = heaviestPenalty(d.penalties, order);
      return {
        penaltiesTotal: 1,
        ...(heaviest ? { [`penalty_${heaviest}`]: 1 } : {}),
        finesFen: yuanToFen(d.fine),
        confiscatedFen: yuanToFen(d.confiscatedValue),
      };
    }
    case 'LICENSING':
      return d.licensingOutcome === 'GRANTED' ? { licensingGranted: 1 } : d.licensingOutcome === 'REFUSED' ? { licensingRefused: 1 } : d.licensingOutcome === 'REVOKED' ? { licensingRevoked: 1 } : {};
    case 'COERCION':
      return { coerciveMeasures: 1 };
    case 'INSPECTION':
      return { inspections: 1 };
    default:
      return { otherActs: 1 };
  }
}

/** P6: what filing a reconsideration or a lawsuit adds (the year is the filing date's). */
export function remedyFiledIncrements(kind: RemedyKind): Increments {
  return kind === 'RECONSIDERATION' ? { reconsiderationsFiled: 1 } : { litigationsFiled: 1 };
}

/** P6: what an outcome adds (the year is the decision date's). */
export function remedyOutcomeIncrements(outcome: RemedyOutcome): Increments {
  return { [`remedyOutcome_${outcome}`]: 1 };
}
