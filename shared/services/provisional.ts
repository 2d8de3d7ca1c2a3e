/**
 * Provisional deadlines (D7, N4, N9; issue 11): a working-day deadline that reaches a year without an
 * official holiday arrangement is counted Monday–Friday and marked provisional, so that no act waits
 * for the calendar. Once the year is entered (PUT /calendar/{year}), and on every daily deadline
 * check, each provisional deadline is counted again; a changed due date is written with a timeline
 * event and an audit event, and the mark is dropped when the count is final.
 *
 * Cost follows the provisional deadlines, never the tables: decisions are read from their sparse
 * `PROVISIONAL#DEADLINES` entry (keyed by the first missing year), review opinions from the queue of
 * steps waiting for a person. Idempotent: a final deadline leaves the queue, a still-provisional one
 * with the same count is left as it is.
 */
import { WITHDRAWAL_WORKING_DAYS } from '../domain/decision.ts';
import type { Decision } from '../domain/decision-record.ts';
import { VersionConflictError } from '../domain/errors.ts';
import { SYSTEM_ACTOR } from '../domain/identity.ts';
import type { Identity } from '../domain/identity.ts';
import type { Review } from '../domain/review-record.ts';
import type { ProvisionalNote, WorkingDayCalendar, WorkingDayResult } from '../domain/working-days.ts';
import * as caseStore from '../store/cases.ts';
import { putReview, reviewsAwaitingPeople } from '../store/reviews.ts';
import { commit } from '../store/transact.ts';
import type { Write } from '../store/transact.ts';
import { currentCalendar } from './calendar.ts';
import { commitContext, systemContext } from './context.ts';

const RECOUNTER: Identity = { ...SYSTEM_ACTOR, sub: 'system:deadline-recount', name: '期限重新计算' };

export interface RecomputeResult {
  /** Provisional deadlines read. */
  readonly read: number;
  /** Deadlines written again (a new due date, or the provisional mark dropped). */
  readonly changed: number;
  /** Still provisional (their year is still missing, the run's budget ran out, or an edit raced it). */
  readonly remaining: number;
}

const sameMissing = (a: ProvisionalNote | undefined, b: ProvisionalNote | undefined): boolean =>
  (a?.missingYears ?? []).join(',') === (b?.missingYears ?? []).join(',');

/** The recount changes nothing stored: same due date, same missing years. */
const unchanged = (dueDate: string, provisional: ProvisionalNote | undefined, due: WorkingDayResult): boolean =>
  dueDate === due.dueDate && sameMissing(provisional, due.provisional);

const describe = (from: string, due: WorkingDayResult): string =>
  due.dueDate === from
    ? `期限 ${from} 不变，${due.provisional ? '仍为暂定' : '已按法定节假日安排确认'}`
    : `期限由 ${from} 改为 ${due.dueDate}${due.provisional ? '（仍为暂定）' : ''}`;

/** The decision with its live deadline recounted on `calendar`, or undefined when nothing changes. */
function recountDecision(d: Decision, calendar: WorkingDayCalendar, at: string): { next: Decision; label: string; from: string; to: string } | undefined {
  const provisional = (due: WorkingDayResult) => (due.provisional ? { provisional: due.provisional } : {});
  if (d.status === 'ISSUED' && d.publicationDue?.provisional) {
    const { provisional: _old, ...rest } = d.publicationDue;
    const due = calendar.addWorkingDays(d.draft.decisionDate, d.publicationDue.workingDays);
    if (unchanged(d.publicationDue.dueDate, d.publicationDue.provisional, due)) return undefined;
    const publicationDue = { ...rest, dueDate: due.dueDate, skipped: due.skipped, adjustedWorkdays: due.adjustedWorkdays, ...provisional(due) };
    return { next: { ...d, publicationDue, version: d.version + 1, updatedAt: at }, label: `公示${describe(d.publicationDue.dueDate, due)}`, from: d.publicationDue.dueDate, to: due.dueDate };
  }
  if (d.status === 'PUBLISHED' && d.pendingWithdrawal?.provisional) {
    const { provisional: _old, ...rest } = d.pendingWithdrawal;
    const due = calendar.addWorkingDays(d.pendingWithdrawal.changedOn, WITHDRAWAL_WORKING_DAYS);
    if (unchanged(d.pendingWithdrawal.dueDate, d.pendingWithdrawal.provisional, due)) return undefined;
    const pendingWithdrawal = { ...rest, dueDate: due.dueDate, ...provisional(due) };
    return { next: { ...d, pendingWithdrawal, version: d.version + 1, updatedAt: at }, label: `撤下公示${describe(d.pendingWithdrawal.dueDate, due)}`, from: d.pendingWithdrawal.dueDate, to: due.dueDate };
  }
  return undefined;
}

/** The review with its opinion due date recounted, or undefined when nothing changes. */
function recountReview(r: Review, calendar: WorkingDayCalendar, at: string): { next: Review; label: string; from: string; to: string } | undefined {
  const p = r.opinionDueProvisional;
  if (!p || r.opinionDueDate === undefined) return undefined;
  const due = calendar.addWorkingDays(p.start, p.workingDays);
  if (unchanged(r.opinionDueDate, p, due)) return undefined;
  const { opinionDueProvisional: _old, ...rest } = r;
  const next: Review = { ...rest, opinionDueDate: due.dueDate, ...(due.provisional ? { opinionDueProvisional: { ...due.provisional, start: p.start, workingDays: p.workingDays } } : {}), version: r.version + 1, updatedAt: at };
  return { next, label: `审核意见${describe(r.opinionDueDate, due)}`, from: r.opinionDueDate, to: due.dueDate };
}

/**
 * Recounts the provisional deadlines: all of them, or (with `year`) those waiting for that year or an
 * earlier one. Stops writing when `budgetMs` is spent (what is left stays provisional for the next
 * run). A deadline edited meanwhile (a version conflict) is left for the next run too.
 */
export async function recomputeProvisionalDeadlines(options: { readonly year?: number; readonly budgetMs?: number; readonly calendar?: WorkingDayCalendar } = {}): Promise<RecomputeResult> {
  const started = Date.now();
  const calendar = options.calendar ?? (await currentCalendar());
  const over = () => options.budgetMs !== undefined && Date.now() - started > options.budgetMs;
  const ctx = commitContext(systemContext(RECOUNTER));
  const decisions = await caseStore.provisionalDecisions(options.year);
  const reviews = (await reviewsAwaitingPeople()).filter((r) => r.opinionDueProvisional && (options.year === undefined || r.opinionDueProvisional.missingYears[0]! <= options.year));
  let changed = 0;
  let remaining = 0;
  const apply = async (write: Write, caseId: string, entityType: string, entityId: string, recount: { label: string; from: string; to: string }, stillProvisional: boolean) => {
    if (over()) {
      remaining++;
      return;
    }
    const at = new Date().toISOString();
    try {
      await commit(ctx, [write, caseStore.putEvent(caseId, { type: 'deadline.recounted', label: recount.label, at, by: RECOUNTER.name, details: { from: recount.from, to: recount.to, provisional: stillProvisional } })], [
        { action: 'deadline.recount', entityType, entityId, change: { from: recount.from, to: recount.to, provisional: stillProvisional } },
      ]);
      changed++;
      if (stillProvisional) remaining++;
    } catch (e) {
      if (!(e instanceof VersionConflictError)) throw e;
      remaining++;
    }
  };
  for (const d of decisions) {
    const recount = recountDecision(d, calendar, new Date().toISOString());
    if (!recount) {
      remaining++;
      continue;
    }
    await apply(caseStore.putDecision(recount.next, d.version), d.caseId, 'Decision', d.caseId, recount, caseStore.liveProvisional(recount.next) !== undefined);
  }
  for (const r of reviews) {
    const recount = recountReview(r, calendar, new Date().toISOString());
    if (!recount) {
      remaining++;
      continue;
    }
    await apply(putReview(recount.next, r.version), r.caseId, 'Review', r.id, recount, recount.next.opinionDueProvisional !== undefined);
  }
  return { read: decisions.length + reviews.length, changed, remaining };
}

/** How many live deadlines are provisional now (for the digest's warning): one read of each sparse set. */
export async function countProvisionalDeadlines(): Promise<number> {
  const [decisions, reviews] = await Promise.all([caseStore.provisionalDecisions(), reviewsAwaitingPeople()]);
  return decisions.length + reviews.filter((r) => r.opinionDueProvisional).length;
}
