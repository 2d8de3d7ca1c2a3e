/**
 * 审核任务 and the review page (issue 16, point 3; L1–L7, N8–N10): the queue's order and due words,
 * what a review waits for, and the 7-point opinion form's draft, its checks and its body. Pure: the
 * sections fetch and render. The outcome rule is shared/domain/review-opinion.ts's, the same function
 * the API's schema runs, so the form refuses exactly what the API would.
 */
import {
  CHECKLIST_POINTS,
  ISSUE_REQUIRED_MESSAGE,
  MIN_ISSUE_LENGTH,
  MIN_OPINION_TEXT,
  OPINION_OUTCOMES,
  OUTCOME_LABELS,
  allClear,
  outcomeProblems,
  type ChecklistPoint,
  type OpinionOutcome,
} from '../../../shared/domain/review-opinion.ts';
import type { OpinionRequest, ReviewView } from '../api/types.ts';
import { daysBetween, daysLeftText, type DueTone } from './cases.ts';
import { draftKey } from './drafts.ts';
import type { ApiError } from './errors.ts';
import type { KeyValueStore } from './session.ts';

export const REVIEW_STATUS_LABELS: Record<string, string> = {
  IN_PROGRESS: '审核中',
  PASSED: '审核通过',
  REJECTED: '未通过',
  NOT_REQUIRED: '无需法制审核',
  FAILED: '流程异常',
  WITHDRAWN: '已撤回',
};

/** The step in which the assigned reviewer gives the opinion (statemachines/legal-review). */
export const OPINION_STEP = 'AwaitOpinion';

type QueueReview = Pick<ReviewView, 'status' | 'step' | 'opinionDueDate' | 'updatedAt' | 'caseNo' | 'reviewerId'>;

export const waitsForOpinion = (r: Pick<ReviewView, 'status' | 'step'>): boolean => r.status === 'IN_PROGRESS' && r.step === OPINION_STEP;

/** The review waits for this officer's opinion: the only time the opinion form is shown. */
export const waitsForMe = (r: Pick<ReviewView, 'status' | 'step' | 'reviewerId'>, officerId: string | undefined): boolean =>
  waitsForOpinion(r) && officerId !== undefined && r.reviewerId === officerId;

export interface OpinionDue {
  readonly tone: DueTone;
  readonly text: string;
}

/** How near the opinion's due date is; only a review waiting for an opinion runs against it. */
export function opinionDue(r: Pick<ReviewView, 'status' | 'step' | 'opinionDueDate'>, today: string): OpinionDue {
  if (!r.opinionDueDate || !waitsForOpinion(r)) return { tone: 'done', text: '—' };
  const days = daysBetween(today, r.opinionDueDate);
  return { tone: days < 0 ? 'overdue' : days <= 1 ? 'soon' : 'ok', text: daysLeftText(days) };
}

/**
 * The queue's order: reviews waiting for an opinion first, overdue ones first among them and then the
 * nearest due date; then the rest (already answered, or waiting for someone else), latest change first.
 */
export function byOpinionDue(a: QueueReview, b: QueueReview): number {
  const wa = waitsForOpinion(a) ? 0 : 1;
  const wb = waitsForOpinion(b) ? 0 : 1;
  if (wa !== wb) return wa - wb;
  if (wa === 0) {
    // A review without a due date (not counted yet) after the dated ones.
    const da = a.opinionDueDate ?? '9999-12-31';
    const db = b.opinionDueDate ?? '9999-12-31';
    return da.localeCompare(db) || a.caseNo.localeCompare(b.caseNo);
  }
  return b.updatedAt.localeCompare(a.updatedAt) || a.caseNo.localeCompare(b.caseNo);
}

/** Who or what a review waits for, in words, for anyone but the reviewer it waits for. */
export function waitingText(r: Pick<ReviewView, 'status' | 'step' | 'stepLabel' | 'reviewerId' | 'reviewerName'>, officerId: string | undefined): string {
  if (r.status !== 'IN_PROGRESS') return `审核已结束：${REVIEW_STATUS_LABELS[r.status] ?? r.status}。`;
  if (r.step === OPINION_STEP) {
    if (r.reviewerId !== undefined && r.reviewerId === officerId) return '等待您出具审核意见。';
    return `等待审核人员${r.reviewerName ? ` ${r.reviewerName} ` : ''}出具审核意见；只有被指派的审核人员可以出具意见。`;
  }
  const who = /Materials|Supplement|Coordination/.test(r.step)
    ? '承办机构'
    : /CollectiveDiscussion|LeaderApproval/.test(r.step)
      ? '机关负责人'
      : /Assign/.test(r.step)
        ? '系统分配审核人员'
        : '系统处理';
  return `当前步骤：${r.stepLabel}，等待${who}。`;
}

// ---------------------------------------------------------------- the opinion form

export type Judgement = '' | 'PASS' | 'FAIL';
export type YesNo = '' | 'YES' | 'NO';

export interface PointDraft {
  judgement: Judgement;
  issue: string;
  comment: string;
}

/** What the reviewer typed, as strings (kept in sessionStorage per review). */
export interface OpinionDraft {
  checklist: Record<ChecklistPoint, PointDraft>;
  documentsComplete: YesNo;
  suspectedCrime: YesNo;
  outcome: '' | OpinionOutcome;
  opinion: string;
  /** One material a line. */
  requestedMaterials: string;
}

export const emptyOpinionDraft = (): OpinionDraft => ({
  checklist: Object.fromEntries(CHECKLIST_POINTS.map((p) => [p, { judgement: '', issue: '', comment: '' }])) as Record<ChecklistPoint, PointDraft>,
  documentsComplete: '',
  suspectedCrime: '',
  outcome: '',
  opinion: '',
  requestedMaterials: '',
});

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): T | '' => (typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : '');

/** A stored draft made safe: unknown or mistyped values (an old or damaged draft) become empty. */
export function normaliseOpinionDraft(raw: unknown): OpinionDraft {
  const empty = emptyOpinionDraft();
  if (typeof raw !== 'object' || raw === null) return empty;
  const r = raw as Record<string, unknown>;
  const checklist = (typeof r.checklist === 'object' && r.checklist !== null ? r.checklist : {}) as Record<string, unknown>;
  return {
    checklist: Object.fromEntries(
      CHECKLIST_POINTS.map((p) => {
        const e = (typeof checklist[p] === 'object' && checklist[p] !== null ? checklist[p] : {}) as Record<string, unknown>;
        return [p, { judgement: oneOf(e.judgement, ['PASS', 'FAIL'] as const), issue: str(e.issue), comment: str(e.comment) }];
      }),
    ) as Record<ChecklistPoint, PointDraft>,
    documentsComplete: oneOf(r.documentsComplete, ['YES', 'NO'] as const),
    suspectedCrime: oneOf(r.suspectedCrime, ['YES', 'NO'] as const),
    outcome: oneOf(r.outcome, OPINION_OUTCOMES),
    opinion: str(r.opinion),
    requestedMaterials: str(r.requestedMaterials),
  };
}

export const materialsOf = (text: string): string[] =>
  text
    .split('\n')
    .map((m) => m.trim())
    .filter((m) => m.length > 0);

/** Every point judged and both questions answered: only then does the outcome rule decide. */
export const judged = (d: OpinionDraft): boolean =>
  CHECKLIST_POINTS.every((p) => d.checklist[p].judgement !== '') && d.documentsComplete !== '' && d.suspectedCrime !== '';

const asChoice = (d: OpinionDraft, outcome: OpinionOutcome) => ({
  checklist: Object.fromEntries(CHECKLIST_POINTS.map((p) => [p, { passed: d.checklist[p].judgement === 'PASS' }])) as Record<ChecklistPoint, { passed: boolean }>,
  documentsComplete: d.documentsComplete === 'YES',
  suspectedCrime: d.suspectedCrime === 'YES',
  outcome,
  requestedMaterials: materialsOf(d.requestedMaterials),
});

/**
 * The outcomes the checklist allows as it stands (the shared rule on `outcome`): only 同意 when all is
 * clear, never 同意 otherwise. Before everything is judged, every outcome is still open.
 */
export function allowedOutcomes(d: OpinionDraft): OpinionOutcome[] {
  if (!judged(d)) return [...OPINION_OUTCOMES];
  return OPINION_OUTCOMES.filter((o) => !outcomeProblems(asChoice(d, o)).some((p) => p.path === 'outcome'));
}

/** Why the allowed outcomes are what they are, in words (for the hint beside the outcome). */
export function outcomeHint(d: OpinionDraft): string {
  if (!judged(d)) return '请先逐项判断审核要点、文书是否齐全和是否涉嫌犯罪。';
  return allClear(asChoice(d, 'APPROVE'))
    ? '全部要点通过、文书齐全且不涉嫌犯罪：审核结论应为同意。'
    : '有未通过的要点、文书不全或涉嫌犯罪：不能同意，请选择退回补充材料、建议修改或不同意。';
}

/** What each outcome asks of the reviewer, and what happens next (statemachines/legal-review.asl.json OpinionDecision). */
export const OUTCOME_HINTS: Record<OpinionOutcome, string> = {
  APPROVE: '审核通过，报机关负责人审批；须集体讨论的，先提请集体讨论。',
  RETURN: '退回承办机构补充材料，补充后再行审核：须逐行列明所需材料。',
  AMEND: '由承办机构研究修改意见：接受的报负责人审批，有异议的提请集体讨论。',
  DISAGREE: '由承办机构研究审核意见：接受的报负责人审批，有异议的提请集体讨论。',
};

/** The form's fields, as keys for messages: `checklist.<POINT>` for a point. */
export type OpinionField =
  | `checklist.${ChecklistPoint}`
  | 'documentsComplete'
  | 'suspectedCrime'
  | 'outcome'
  | 'opinion'
  | 'requestedMaterials';

export type OpinionProblems = Partial<Record<OpinionField, string[]>>;

const add = (problems: OpinionProblems, field: OpinionField, message: string) => {
  (problems[field] ??= []).push(message);
};

/**
 * The draft as the API's body, or the problems by field: what the API's schema refuses (the same
 * rules, the outcome one from shared/domain) plus the form's own "not yet answered".
 */
export function toOpinionBody(d: OpinionDraft, version: number): { ok: true; body: OpinionRequest } | { ok: false; problems: OpinionProblems } {
  const problems: OpinionProblems = {};
  for (const p of CHECKLIST_POINTS) {
    const e = d.checklist[p];
    if (e.judgement === '') add(problems, `checklist.${p}`, '请判断此要点是否通过');
    else if (e.judgement === 'FAIL' && e.issue.trim().length < MIN_ISSUE_LENGTH) add(problems, `checklist.${p}`, ISSUE_REQUIRED_MESSAGE);
  }
  if (d.documentsComplete === '') add(problems, 'documentsComplete', '请选择文书是否齐全规范');
  if (d.suspectedCrime === '') add(problems, 'suspectedCrime', '请选择是否涉嫌犯罪');
  if (d.outcome === '') add(problems, 'outcome', '请选择审核结论');
  if (d.opinion.trim().length < MIN_OPINION_TEXT) add(problems, 'opinion', `书面审核意见不少于 ${MIN_OPINION_TEXT} 字`);
  const materials = materialsOf(d.requestedMaterials);
  if (materials.some((m) => m.length < 2)) add(problems, 'requestedMaterials', '每项材料名称不少于 2 个字');
  if (d.outcome !== '' && judged(d)) for (const p of outcomeProblems(asChoice(d, d.outcome))) add(problems, p.path, p.message);
  if (Object.keys(problems).length > 0 || d.outcome === '') return { ok: false, problems };
  const checklist = Object.fromEntries(
    CHECKLIST_POINTS.map((p) => {
      const e = d.checklist[p];
      const issue = e.issue.trim();
      const comment = e.comment.trim();
      // An issue belongs to a failed point only; a passed point may still carry a comment.
      return [p, { passed: e.judgement === 'PASS', ...(e.judgement === 'FAIL' && issue ? { issue } : {}), ...(comment ? { comment } : {}) }];
    }),
  ) as OpinionRequest['checklist'];
  return {
    ok: true,
    body: {
      version,
      checklist,
      documentsComplete: d.documentsComplete === 'YES',
      suspectedCrime: d.suspectedCrime === 'YES',
      outcome: d.outcome,
      opinion: d.opinion.trim(),
      // Materials go with a return only: the API keeps what it is sent.
      requestedMaterials: d.outcome === 'RETURN' ? materials : [],
    },
  };
}

/** The form field an API detail's path names (`body.checklist.PARTY.issue` → `checklist.PARTY`), or undefined. */
export function opinionFieldOf(path: string | undefined): OpinionField | undefined {
  if (!path) return undefined;
  const parts = path.split('.');
  const [head, point] = parts[0] === 'body' ? parts.slice(1) : parts;
  if (head === 'checklist') return (CHECKLIST_POINTS as readonly string[]).includes(point ?? '') ? (`checklist.${point}` as OpinionField) : undefined;
  return head === 'documentsComplete' || head === 'suspectedCrime' || head === 'outcome' || head === 'opinion' || head === 'requestedMaterials' ? head : undefined;
}

/** An API error's details by form field; the rest stays general, so no message is lost. */
export function opinionErrors(error: ApiError): { byField: OpinionProblems; general: string[] } {
  const byField: OpinionProblems = {};
  const general: string[] = [];
  for (const d of error.details) {
    const f = opinionFieldOf(d.path);
    if (f) add(byField, f, d.message);
    else general.push(d.message);
  }
  return { byField, general };
}

/**
 * What changed between the review the reviewer was looking at and the one the API has now (after a
 * 409): the step, the status, the reviewer, new opinions or supplements, in words.
 */
export function reviewChanges(before: ReviewView, after: ReviewView): string[] {
  const changes: string[] = [];
  if (before.status !== after.status) changes.push(`审核状态：${REVIEW_STATUS_LABELS[before.status] ?? before.status} → ${REVIEW_STATUS_LABELS[after.status] ?? after.status}`);
  if (before.step !== after.step) changes.push(`当前步骤：${before.stepLabel} → ${after.stepLabel}`);
  if (before.reviewerId !== after.reviewerId) changes.push(`审核人员：${before.reviewerName ?? '未分配'} → ${after.reviewerName ?? '未分配'}`);
  // Assignments made while the page was open (the first is the workflow's own, before any opinion).
  for (const a of after.assignments.slice(before.assignments.length)) changes.push(`${a.by} 改派审核人员为 ${a.reviewerName}：${a.reason}`);
  const opinions = after.opinions.slice(before.opinions.length);
  for (const o of opinions) changes.push(`新的审核意见：${o.reviewerName}（${OUTCOME_LABELS[o.outcome as OpinionOutcome] ?? o.outcome}）`);
  if (after.supplements.length > before.supplements.length) changes.push(`承办机构补充了材料 ${after.supplements.length - before.supplements.length} 次`);
  if (before.opinionDueDate !== after.opinionDueDate) changes.push(`意见期限：${before.opinionDueDate ?? '—'} → ${after.opinionDueDate ?? '—'}`);
  if (changes.length === 0 && before.version !== after.version) changes.push(`审核记录已被他人更新（版本 ${before.version} → ${after.version}）`);
  return changes;
}

// ---------------------------------------------------------------- the draft in sessionStorage

export const opinionDraftKey = (reviewId: string): string => draftKey('opinion', reviewId);

/** The reviewer's draft for this review, or an empty one (a damaged draft is dropped, never trusted). */
export function loadOpinionDraft(store: KeyValueStore, reviewId: string): OpinionDraft {
  const text = store.getItem(opinionDraftKey(reviewId));
  if (text === null) return emptyOpinionDraft();
  try {
    return normaliseOpinionDraft(JSON.parse(text));
  } catch {
    return emptyOpinionDraft();
  }
}
