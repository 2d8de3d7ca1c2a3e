/**
 * 待审批 and 期限看板 (issue 16, point 4: leaders, L5–L7, N8): what a leader may do at a review's step
 * (the rules are access.ts's own), the reviewer's checklist in short, the collective-discussion and
 * approval forms as drafts and bodies, errors by field, what changed under a 409, and the deadline
 * check grouped for the board. Pure: the sections fetch, this decides.
 */
import { permits } from '../../../shared/domain/access.ts';
import { DEADLINE_KINDS, DEADLINE_KIND_LABELS, type DeadlineKind } from '../../../shared/domain/deadlines.ts';
import type { Identity } from '../../../shared/domain/identity.ts';
import type { ApiError, FormErrors } from './errors.ts';
import { CHECKLIST_LABELS as CHECKLIST_NAMES, CHECKLIST_POINTS } from '../../../shared/domain/review-opinion.ts';

// ---------------------------------------------------------------- labels

/** The checklist's points and names: the API's own (shared/domain/review-opinion.ts, zod-free), read by code. */
export const CHECKLIST_LABELS: Readonly<Record<string, string>> = CHECKLIST_NAMES;
export const CHECKLIST_ORDER: readonly string[] = CHECKLIST_POINTS;

/** As shared/domain/review.ts OUTCOME_LABELS. */
export const OPINION_OUTCOME_LABELS: Record<string, string> = { APPROVE: '同意', RETURN: '退回补充材料', AMEND: '建议修改', DISAGREE: '不同意' };

export const REVIEW_STATUS_LABELS: Record<string, string> = {
  IN_PROGRESS: '审核中',
  PASSED: '法制审核通过',
  REJECTED: '未通过（不予作出决定）',
  NOT_REQUIRED: '无需法制审核',
  FAILED: '流程异常终止',
  WITHDRAWN: '承办机构已撤回',
};

export const APPROVAL_LABELS: Record<ApprovalDecision, string> = {
  APPROVE: '同意审核意见',
  OVERRIDE: '改变审核意见',
  REJECT: '不同意作出决定',
};

export const DISCUSSION_DECISION_LABELS: Record<'APPROVE' | 'REJECT', string> = { APPROVE: '同意作出决定', REJECT: '不同意作出决定' };

/** What `GET /cases/{id}/responsibility` records for an override (shared/services/reviews.ts). */
export const OVERRIDE_RESPONSIBILITY = '改变审核意见，由该负责人承担相应责任';

// ---------------------------------------------------------------- steps and permissions

export const DISCUSSION_STEP = 'AwaitCollectiveDiscussion';
export const APPROVAL_STEP = 'AwaitLeaderApproval';

/** An agency and the ones above it: the API lets an agency's staff act on the agencies below. */
export function agencyChain(id: string, agencies: readonly { id: string; parentId?: string | null }[]): string[] {
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const chain: string[] = [];
  for (let cur: string | null | undefined = id; cur && !chain.includes(cur); cur = byId.get(cur)?.parentId) chain.push(cur);
  return chain;
}

/** What the user may do on this review now: its step, and access.ts's rules. The API still judges. */
export function leaderActions(who: Identity | undefined, review: { step: string; status: string; agencyId: string }, chain: readonly string[] = [review.agencyId]): { discuss: boolean; approve: boolean } {
  if (!who || review.status !== 'IN_PROGRESS') return { discuss: false, approve: false };
  const target = { agencies: chain.length > 0 ? chain : [review.agencyId] };
  return {
    discuss: review.step === DISCUSSION_STEP && permits(who, 'review.discuss', target),
    approve: review.step === APPROVAL_STEP && permits(who, 'review.approve', target),
  };
}

/** The agencies a user may pick on the leaders' pages: their own and those below; the legal division all. */
export function selectableAgencies<T extends { id: string; parentId?: string | null }>(who: Pick<Identity, 'groups' | 'agencyId'>, agencies: readonly T[]): T[] {
  if (who.groups.includes('admin')) return [...agencies];
  if (!who.agencyId) return [];
  const own = who.agencyId;
  return agencies.filter((a) => agencyChain(a.id, agencies).includes(own));
}

// ---------------------------------------------------------------- the reviewer's opinion

export interface ChecklistResult {
  readonly passed: number;
  readonly total: number;
  readonly failed: readonly { readonly point: string; readonly label: string; readonly issue?: string }[];
}

export function checklistResult(checklist: Record<string, { passed: boolean; issue?: string }>): ChecklistResult {
  const points = [...CHECKLIST_ORDER, ...Object.keys(checklist).filter((p) => !CHECKLIST_ORDER.includes(p))].filter((p) => checklist[p] !== undefined);
  const failed = points
    .filter((p) => !checklist[p]?.passed)
    .map((p) => ({ point: p, label: CHECKLIST_LABELS[p] ?? p, ...(checklist[p]?.issue ? { issue: checklist[p].issue } : {}) }));
  return { passed: points.length - failed.length, total: points.length, failed };
}

/** How long a review has waited at its step, from its last change: 已等待 3 日 / 5 小时 / 不足 1 小时. */
export function waitingText(since: string, now: Date): string {
  const hours = Math.floor((now.getTime() - Date.parse(since)) / 3_600_000);
  if (!Number.isFinite(hours) || hours < 1) return '等待不足 1 小时';
  return hours < 24 ? `已等待 ${hours} 小时` : `已等待 ${Math.floor(hours / 24)} 日`;
}

// ---------------------------------------------------------------- the forms

export interface ParticipantDraft {
  name: string;
  role: 'LEADER' | 'MEMBER';
  view: string;
}

export interface DiscussionDraft {
  date: string;
  chair: string;
  participants: ParticipantDraft[];
  decision: string;
  summary: string;
}

const participant = (role: ParticipantDraft['role']): ParticipantDraft => ({ name: '', role, view: '' });

/** A new record: today, three leaders' lines to fill in (the fewest the API accepts). */
export const emptyDiscussion = (today: string): DiscussionDraft => ({
  date: today,
  chair: '',
  participants: [participant('LEADER'), participant('LEADER'), participant('LEADER')],
  decision: '',
  summary: '',
});

/** A stored draft's participants, each checked: an old or edited draft must not break the form. */
export function cleanParticipants(value: unknown): ParticipantDraft[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p: unknown): ParticipantDraft[] => {
    if (typeof p !== 'object' || p === null) return [];
    const { name, role, view } = p as Record<string, unknown>;
    return [{ name: typeof name === 'string' ? name : '', role: role === 'MEMBER' ? 'MEMBER' : 'LEADER', view: typeof view === 'string' ? view : '' }];
  });
}

export const leaderCount = (d: Pick<DiscussionDraft, 'participants'>): number => d.participants.filter((p) => p.role === 'LEADER').length;

export function discussionBody(d: DiscussionDraft, version: number) {
  return {
    version,
    date: d.date,
    chair: d.chair.trim(),
    participants: d.participants.map((p) => ({ name: p.name.trim(), role: p.role, view: p.view.trim() })),
    // The choice is the user's; an empty one is the API's to refuse, next to its field.
    decision: d.decision as 'APPROVE' | 'REJECT',
    summary: d.summary.trim(),
  };
}

export type ApprovalDecision = 'APPROVE' | 'OVERRIDE' | 'REJECT';

export interface ApprovalDraft {
  decision: string;
  reason: string;
}

export const emptyApproval = (): ApprovalDraft => ({ decision: '', reason: '' });

export function approvalBody(d: ApprovalDraft, version: number) {
  const reason = d.reason.trim();
  return { version, decision: d.decision as ApprovalDecision, ...(reason ? { reason } : {}) };
}

/** An override goes through a confirmation that the leader's responsibility is recorded (L7). */
export const needsConfirmation = (d: ApprovalDraft): boolean => d.decision === 'OVERRIDE';

// ---------------------------------------------------------------- errors by field

export type { FormErrors } from './errors.ts';

/**
 * The API's details by form field; `body.participants.1.view` is that participant's field. A rule the
 * API checks without a path belongs to the field it is about (TOO_FEW_LEADERS: the participants).
 */
export function formErrors(error: ApiError, fields: readonly string[]): FormErrors {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  const add = (f: string, m: string) => (byField[f] ??= []).push(m);
  for (const d of error.details) {
    const parts = (d.path ?? '').split('.');
    const p = parts[0] === 'body' ? parts.slice(1) : parts;
    const head = p[0];
    if (head === undefined || !fields.includes(head)) general.push(d.message);
    else if (head === 'participants' && p[1] !== undefined && /^\d+$/.test(p[1]) && p[2] !== undefined) add(`participants.${p[1]}.${p[2]}`, d.message);
    else add(head, d.message);
  }
  if (error.code === 'TOO_FEW_LEADERS' && fields.includes('participants')) add('participants', error.message);
  return { byField, general };
}

export const DISCUSSION_FIELDS = ['date', 'chair', 'participants', 'decision', 'summary'] as const;
export const APPROVAL_FIELDS = ['decision', 'reason'] as const;

// ---------------------------------------------------------------- what changed (409)

interface Comparable {
  readonly version: number;
  readonly status: string;
  readonly step: string;
  readonly stepLabel: string;
  readonly reviewerName?: string;
  readonly opinions: readonly { readonly reviewerName: string; readonly outcome: string }[];
  readonly discussions: readonly { readonly date: string; readonly chair: string; readonly decision: 'APPROVE' | 'REJECT' }[];
  readonly approval?: { readonly by: string; readonly decision: ApprovalDecision; readonly reason?: string };
}

/** What differs between the review the user saw and the one the API has now, in words. */
export function reviewChanges(before: Comparable, after: Comparable): string[] {
  const out: string[] = [];
  if (before.status !== after.status) out.push(`审核状态：${REVIEW_STATUS_LABELS[before.status] ?? before.status} → ${REVIEW_STATUS_LABELS[after.status] ?? after.status}`);
  if (before.step !== after.step) out.push(`当前步骤：「${before.stepLabel}」→「${after.stepLabel}」`);
  if (before.reviewerName !== after.reviewerName) out.push(`审核人员：${before.reviewerName ?? '未分配'} → ${after.reviewerName ?? '未分配'}`);
  for (const o of after.opinions.slice(before.opinions.length)) out.push(`新的审核意见：${o.reviewerName}，${OPINION_OUTCOME_LABELS[o.outcome] ?? o.outcome}`);
  for (const d of after.discussions.slice(before.discussions.length)) out.push(`已录入集体讨论：${d.date}，主持人 ${d.chair}，${DISCUSSION_DECISION_LABELS[d.decision]}`);
  if (after.approval && !before.approval) out.push(`已由 ${after.approval.by} 审批：${APPROVAL_LABELS[after.approval.decision]}${after.approval.reason ? `（理由：${after.approval.reason}）` : ''}`);
  if (out.length === 0 && before.version !== after.version) out.push(`审核记录已被他人更新（版本 ${before.version} → ${after.version}）`);
  return out;
}

// ---------------------------------------------------------------- the deadline board

/** Kinds whose subject is a case (shared/services/deadlines.ts): the board links them to the case page. */
const CASE_KINDS: ReadonlySet<string> = new Set(['PUBLICATION', 'WITHDRAWAL', 'CASE_LIMIT', 'SERVICE', 'PAYMENT']);

export const deadlineCaseId = (item: { kind: string; subjectId: string }): string | undefined => (CASE_KINDS.has(item.kind) ? item.subjectId : undefined);

export const DEADLINE_STATE_LABELS: Record<string, string> = { OVERDUE: '已逾期', DUE_SOON: '即将到期', DONE: '已由系统处理' };
const STATE_ORDER = ['OVERDUE', 'DUE_SOON', 'DONE'];

export const deadlineKindLabel = (kind: string): string => DEADLINE_KIND_LABELS[kind as DeadlineKind] ?? kind;

export interface DeadlineGroup<T> {
  readonly state: string;
  readonly label: string;
  readonly count: number;
  readonly kinds: readonly { readonly kind: string; readonly label: string; readonly items: readonly T[] }[];
}

/** Overdue first, then due soon; within each, the kinds in the check's order, the nearest (most overdue) first. */
export function groupDeadlines<T extends { kind: string; state: string; dueDate: string; daysLeft: number; subjectId: string }>(items: readonly T[]): DeadlineGroup<T>[] {
  const states = [...STATE_ORDER, ...[...new Set(items.map((i) => i.state))].filter((s) => !STATE_ORDER.includes(s)).sort()];
  const kinds: string[] = [...DEADLINE_KINDS, ...[...new Set(items.map((i) => i.kind))].filter((k) => !(DEADLINE_KINDS as readonly string[]).includes(k)).sort()];
  return states.flatMap((state) => {
    const inState = items.filter((i) => i.state === state);
    if (inState.length === 0) return [];
    return [
      {
        state,
        label: DEADLINE_STATE_LABELS[state] ?? state,
        count: inState.length,
        kinds: kinds.flatMap((kind) => {
          const list = inState
            .filter((i) => i.kind === kind)
            .sort((a, b) => a.daysLeft - b.daysLeft || a.dueDate.localeCompare(b.dueDate) || a.subjectId.localeCompare(b.subjectId));
          return list.length > 0 ? [{ kind, label: deadlineKindLabel(kind), items: list }] : [];
        }),
      },
    ];
  });
}
