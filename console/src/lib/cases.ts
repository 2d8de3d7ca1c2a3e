/**
 * 我的案件 (issue 16, point 2): the agency's cases with the officer's own first, and how near each
 * case's decision limit is (N11). Pure: the section fetches, this decides the order and the words.
 */
export interface CaseSummary {
  readonly id: string;
  readonly caseNo: string;
  readonly agencyId: string;
  readonly enforcementType: string;
  readonly powerName: string;
  readonly party: { readonly kind: string; readonly name: string };
  readonly handlingOfficerIds: string[];
  readonly filingDate: string;
  readonly summary: string;
  readonly decisionDueDate: string;
  readonly status: string;
}

/** Days before the limit from which a case is shown as due soon (the deadline check warns then too). */
export const DUE_SOON_DAYS = 15;

export type DueTone = 'overdue' | 'soon' | 'ok' | 'done';

export interface DueState {
  readonly tone: DueTone;
  /** Calendar days from today to the due date; negative when overdue. */
  readonly daysLeft: number;
  readonly text: string;
}

const DAY_MS = 86_400_000;

/** Today in Beijing time (UTC+8, no daylight saving since 1991), as YYYY-MM-DD. */
export const shanghaiDate = (now: Date): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Now in Beijing time as a `datetime-local` value (YYYY-MM-DDTHH:mm). */
export const shanghaiDateTimeLocal = (now: Date): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

/** Calendar days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export function dueState(c: Pick<CaseSummary, 'status' | 'decisionDueDate'>, today: string): DueState {
  const daysLeft = daysBetween(today, c.decisionDueDate);
  // Only an open case runs against the decision limit.
  if (c.status !== 'OPEN') return { tone: 'done', daysLeft, text: '—' };
  return { tone: daysLeft < 0 ? 'overdue' : daysLeft <= DUE_SOON_DAYS ? 'soon' : 'ok', daysLeft, text: daysLeftText(daysLeft) };
}

/** Calendar days left as words: 剩余 3 日, 今日到期, 已逾期 2 日. */
export const daysLeftText = (daysLeft: number): string => (daysLeft < 0 ? `已逾期 ${-daysLeft} 日` : daysLeft === 0 ? '今日到期' : `剩余 ${daysLeft} 日`);

/**
 * The deadline check's reminders about one case (leaders and the legal division read the check),
 * without the decision limit, which the case itself already shows.
 */
export function remindersFor<T extends { kind: string; subjectId: string; caseNo?: string }>(c: Pick<CaseSummary, 'id' | 'caseNo'>, items: readonly T[]): T[] {
  return items.filter((d) => d.kind !== 'CASE_LIMIT' && (d.subjectId === c.id || d.caseNo === c.caseNo));
}

const STATUS_ORDER: Record<string, number> = { OPEN: 0, DECIDED: 1, CLOSED: 2 };

/** Open cases first, the nearest limit first; then decided and closed ones, latest filing first. */
export function byUrgency(a: CaseSummary, b: CaseSummary): number {
  const s = (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3);
  if (s !== 0) return s;
  if (a.status === 'OPEN') return a.decisionDueDate.localeCompare(b.decisionDueDate) || a.caseNo.localeCompare(b.caseNo);
  return b.filingDate.localeCompare(a.filingDate) || a.caseNo.localeCompare(b.caseNo);
}

/** The officer's own cases (they are among its handling officers) apart from the rest of the agency's. */
export function splitMine(cases: readonly CaseSummary[], officerId: string | undefined): { mine: CaseSummary[]; others: CaseSummary[] } {
  const mine: CaseSummary[] = [];
  const others: CaseSummary[] = [];
  for (const c of cases) (officerId !== undefined && c.handlingOfficerIds.includes(officerId) ? mine : others).push(c);
  return { mine: mine.sort(byUrgency), others: others.sort(byUrgency) };
}
