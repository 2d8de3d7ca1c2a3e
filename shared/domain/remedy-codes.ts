/** The remedies' codes (P6), without zod: the annual report's counters need them in every function. */
export const REMEDY_KINDS = ['RECONSIDERATION', 'LITIGATION'] as const;
export type RemedyKind = (typeof REMEDY_KINDS)[number];

export const REMEDY_OUTCOMES = ['UPHELD', 'CHANGED', 'REVOKED', 'CONFIRMED_UNLAWFUL', 'REMANDED'] as const;
export type RemedyOutcome = (typeof REMEDY_OUTCOMES)[number];
