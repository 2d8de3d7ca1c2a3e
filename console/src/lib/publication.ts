/**
 * 公示管理 (issue 16, point 5; D7–D11, N1–N5): which issued decisions wait for publication (overdue
 * first), the exempt / correct / withdraw forms as drafts and bodies, and what changed under a 409.
 * Pure: the section fetches, this decides. The grounds are the API's own lists
 * (shared/domain/decision.ts, which carries zod and stays out of the bundle; a unit test keeps them equal).
 */
import type { ApiError } from './errors.ts';

export const EXEMPTION_LABELS: Readonly<Record<string, string>> = {
  LAW_PROVIDES_OTHERWISE: '法律、行政法规另有规定',
  STATE_SECRET: '涉及国家秘密',
  WORK_SECRET: '涉及工作秘密',
  SECURITY: '可能危及国家安全、公共安全、经济安全',
  SOCIAL_STABILITY: '可能危及社会稳定',
  OBSTRUCTS_ENFORCEMENT: '可能妨碍正常执法活动',
};

export const WITHDRAWAL_LABELS: Readonly<Record<string, string>> = {
  REVOKED: '被依法撤销',
  CONFIRMED_UNLAWFUL: '被确认违法',
  VOID: '被确认无效',
  REMADE: '被责令重新作出',
  CHANGED: '被依法变更',
};

export const DECISION_STATUS_TEXT: Readonly<Record<string, string>> = {
  ISSUED: '已作出，待公示',
  PUBLISHED: '已公示',
  EXEMPT: '不予公开',
  WITHDRAWN: '已撤下公示',
};

/** The decision fields this page reads (GET /cases/{id}/decision). */
export interface PublicationDecision {
  readonly caseId: string;
  readonly publicId: string;
  readonly status: string;
  readonly version: number;
  readonly publicationDue?: { readonly dueDate: string };
  readonly publicationDate?: string;
  readonly publicVersion?: number;
  readonly corrections: readonly { readonly at: string; readonly reason: string; readonly by: string; readonly publicVersion: number }[];
  readonly exemption?: { readonly ground: string; readonly approver: string };
  readonly withdrawal?: { readonly ground: string; readonly reason: string };
}

/** One decision waiting for publication: the deadline check's item when it has one. */
export interface Waiting<D> {
  readonly decision: D;
  readonly dueDate?: string;
  readonly daysLeft?: number;
  readonly overdue: boolean;
}

/**
 * Issued decisions, overdue first, then by days left; those the check does not yet list (due later than
 * its warning window) after, by their own due date.
 */
export function waitingForPublication<D extends PublicationDecision>(decisions: readonly D[], deadlines: readonly { kind: string; subjectId: string; dueDate: string; daysLeft: number; state: string }[]): Waiting<D>[] {
  const byCase = new Map(deadlines.filter((i) => i.kind === 'PUBLICATION').map((i) => [i.subjectId, i]));
  return decisions
    .filter((d) => d.status === 'ISSUED')
    .map((d): Waiting<D> => {
      const item = byCase.get(d.caseId);
      const dueDate = item?.dueDate ?? d.publicationDue?.dueDate;
      return { decision: d, ...(dueDate ? { dueDate } : {}), ...(item ? { daysLeft: item.daysLeft } : {}), overdue: item?.state === 'OVERDUE' };
    })
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.decision.caseId.localeCompare(b.decision.caseId));
}

// ---------------------------------------------------------------- the forms

export interface ExemptDraft {
  ground: string;
  approver: string;
  note: string;
}
export const emptyExempt = (): ExemptDraft => ({ ground: '', approver: '', note: '' });
export function exemptBody(d: ExemptDraft, version: number) {
  // An empty choice is the API's to refuse, beside its field.
  return { version, ground: d.ground as 'STATE_SECRET', approver: d.approver.trim(), note: d.note.trim() };
}

export interface CorrectDraft {
  reason: string;
  conclusion: string;
  violationType: string;
  legalBasis: string;
  documentText: string;
}
export const emptyCorrect = (): CorrectDraft => ({ reason: '', conclusion: '', violationType: '', legalBasis: '', documentText: '' });
/** Only the fields the user filled in are corrected; the rest stay as published. */
export function correctBody(d: CorrectDraft, version: number) {
  const opt = (v: string) => v.trim() || undefined;
  const body: { version: number; reason: string; conclusion?: string; violationType?: string; legalBasis?: string; documentText?: string } = { version, reason: d.reason.trim() };
  for (const k of ['conclusion', 'violationType', 'legalBasis', 'documentText'] as const) {
    const v = opt(d[k]);
    if (v !== undefined) body[k] = v;
  }
  return body;
}

export interface WithdrawDraft {
  ground: string;
  changedOn: string;
  reason: string;
}
export const emptyWithdraw = (today: string): WithdrawDraft => ({ ground: '', changedOn: today, reason: '' });
export function withdrawBody(d: WithdrawDraft, version: number) {
  return { version, ground: d.ground as 'REVOKED', changedOn: d.changedOn, reason: d.reason.trim() };
}

export const EXEMPT_FIELDS = ['ground', 'approver', 'note'] as const;
export const CORRECT_FIELDS = ['reason', 'conclusion', 'violationType', 'legalBasis', 'documentText'] as const;
export const WITHDRAW_FIELDS = ['ground', 'changedOn', 'reason'] as const;

/** A correction's business refusal without a path (NOTHING_TO_CORRECT) belongs beside the first field to correct. */
export function pathlessField(error: ApiError): string | undefined {
  return error.code === 'NOTHING_TO_CORRECT' ? 'conclusion' : undefined;
}

/** The confirmation's words for each action: what happens to the public record. */
export function confirmationText(action: 'publish' | 'exempt' | 'correct' | 'withdraw', d: { decisionNo?: string; ground?: string }): string {
  const no = d.decisionNo ? `决定（${d.decisionNo}）` : '该决定';
  switch (action) {
    case 'publish':
      return `${no}将在门户网站公示，当事人的个人信息按规定隐去。公示后只能更正或撤下，不能撤回。`;
    case 'exempt':
      return `${no}将不予公开（${EXEMPTION_LABELS[d.ground ?? ''] ?? '未选择理由'}），不在门户网站公示。`;
    case 'correct':
      return `${no}的公示信息将以更正后的版本替换，门户网站显示更正说明。`;
    case 'withdraw':
      return `${no}将撤下公示（${WITHDRAWAL_LABELS[d.ground ?? ''] ?? '未选择理由'}）：记录离开公众视野，门户网站不再显示。`;
  }
}

// ---------------------------------------------------------------- what changed (409)

/** What differs between the decision the user saw and the one the API has now, in words. */
export function decisionChanges(before: PublicationDecision, after: PublicationDecision): string[] {
  const out: string[] = [];
  const label = (s: string) => DECISION_STATUS_TEXT[s] ?? s;
  if (before.status !== after.status) out.push(`决定状态：${label(before.status)} → ${label(after.status)}`);
  if (after.exemption && !before.exemption) out.push(`已不予公开：${EXEMPTION_LABELS[after.exemption.ground] ?? after.exemption.ground}（批准人 ${after.exemption.approver}）`);
  for (const c of after.corrections.slice(before.corrections.length)) out.push(`已由 ${c.by} 更正（第 ${c.publicVersion} 版）：${c.reason}`);
  if (after.withdrawal && !before.withdrawal) out.push(`已撤下公示：${WITHDRAWAL_LABELS[after.withdrawal.ground] ?? after.withdrawal.ground}`);
  if (out.length === 0 && before.version !== after.version) out.push(`决定已被他人更新（版本 ${before.version} → ${after.version}）`);
  return out;
}

/** The public portal's page of a published decision (the console is served from the portal's origin). */
export const portalDecisionPath = (publicId: string): string => `/decisions/${encodeURIComponent(publicId)}`;
