/**
 * What every step of the penalty procedure asks first (P1–P8): the clock of the action, the case at the
 * version the caller read, a case still open, a date someone gives that is neither before what it
 * follows nor in the future. One place, so the notice, the hearing, payments, remedies and closing
 * answer alike.
 */
import type { Case } from '../domain/case.ts';
import { shanghaiToday } from '../domain/dates.ts';
import { BusinessRuleError, ConflictError, VersionConflictError } from '../domain/errors.ts';
import type { ErrorDetail } from '../domain/errors.ts';
import { getEvidence } from '../store/evidence.ts';
import type { ActionContext } from './context.ts';

export const nowIso = (ctx: ActionContext): string => (ctx.now ?? new Date()).toISOString();
export const today = (ctx: Pick<ActionContext, 'now'>): string => shanghaiToday(ctx.now ?? new Date());

export function checkCaseVersion(c: Case, expected: number): void {
  if (c.version !== expected) throw new VersionConflictError('案件', expected, c.version);
}

/** 409 unless the case is still open (neither decided, ended nor closed). */
export function requireOpen(c: Case, action: string): void {
  if (c.status === 'CLOSED') throw new ConflictError('CASE_CLOSED', `案件已结案，不能${action}`);
  if (c.status !== 'OPEN') throw new ConflictError('CASE_DECIDED', `案件已作出决定，不能${action}`);
}

/** 422 with the rule's code when a date someone gives is before `earliest` or after today. */
export function assertDateWithin(date: string, earliest: { date: string; label: string }, ctx: ActionContext, codes: { early: string; future: string }, path: string): void {
  if (date < earliest.date) throw new BusinessRuleError(codes.early, `${path} ${date} 早于${earliest.label} ${earliest.date}`, [{ path, message: `不早于 ${earliest.date}` }]);
  if (date > today(ctx)) throw new BusinessRuleError(codes.future, `${path} ${date} 晚于今天（${today(ctx)}）`, [{ path, message: `不晚于 ${today(ctx)}` }]);
}

/** How a document names the party: its credit code, else its ID number. */
export const partyIdOf = (c: Case): { partyIdLabel?: string; partyId?: string } =>
  c.party.creditCode ? { partyIdLabel: '统一社会信用代码', partyId: c.party.creditCode } : c.party.idNumber ? { partyIdLabel: '身份证号码', partyId: c.party.idNumber } : {};

/** 422 EVIDENCE_NOT_IN_CASE unless every id is evidence of this case (what a party handed in, a signed receipt…). */
export async function requireCaseEvidence(caseId: string, ids: readonly string[], path: string): Promise<void> {
  const found = await Promise.all(ids.map((id) => getEvidence(id)));
  const problems: ErrorDetail[] = ids.flatMap((id, i) => (found[i]?.caseId === caseId ? [] : [{ path, message: `证据 ${id} 不属于本案` }]));
  if (problems.length) throw new BusinessRuleError('EVIDENCE_NOT_IN_CASE', problems.map((p) => p.message).join('；'), problems);
}
