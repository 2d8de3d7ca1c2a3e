/**
 * The reviewer's checklist and the rules tying an opinion's outcome to it (N9 Art 53–54): data and pure
 * functions without zod, so that the API's schema (review.ts opinionBody) and the staff console's form
 * enforce one and the same rule.
 */

/** N9: the seven points a reviewer checks (Art 53). */
export const CHECKLIST_POINTS = ['JURISDICTION', 'PARTY', 'FACTS_AND_EVIDENCE', 'CHARACTERISATION', 'LEGAL_BASIS', 'PROCEDURE', 'APPROPRIATENESS'] as const;
export type ChecklistPoint = (typeof CHECKLIST_POINTS)[number];

export const CHECKLIST_LABELS: Record<ChecklistPoint, string> = {
  JURISDICTION: '执法主体是否合法、是否超越职权（管辖）',
  PARTY: '当事人认定是否准确',
  FACTS_AND_EVIDENCE: '事实是否清楚、证据是否确凿充分',
  CHARACTERISATION: '定性是否准确',
  LEGAL_BASIS: '适用依据是否正确、裁量基准是否适当',
  PROCEDURE: '程序是否合法',
  APPROPRIATENESS: '处理是否适当',
};

/** N9 Art 54: the four outcomes of a review. */
export const OPINION_OUTCOMES = ['APPROVE', 'RETURN', 'AMEND', 'DISAGREE'] as const;
export type OpinionOutcome = (typeof OPINION_OUTCOMES)[number];
export const OUTCOME_LABELS: Record<OpinionOutcome, string> = {
  APPROVE: '同意',
  RETURN: '退回补充材料',
  AMEND: '建议修改',
  DISAGREE: '不同意',
};

/** The written opinion (L5), in characters. */
export const MIN_OPINION_TEXT = 10;
export const MAX_OPINION_TEXT = 10_000;
/** A checklist entry's issue or comment. */
export const MAX_CHECKLIST_TEXT = 1_000;

/** A failed point must say what is wrong (at least this many characters). */
export const MIN_ISSUE_LENGTH = 2;

export const ISSUE_REQUIRED_MESSAGE = '未通过的审核要点须写明问题';

/** Whether a checklist entry is complete: a failed point names its issue. */
export const checklistEntryComplete = (e: { readonly passed: boolean; readonly issue?: string | undefined }): boolean =>
  e.passed || (e.issue !== undefined && e.issue.length >= MIN_ISSUE_LENGTH);

export interface OutcomeChoice {
  readonly checklist: Readonly<Record<ChecklistPoint, { readonly passed: boolean }>>;
  readonly documentsComplete: boolean;
  readonly suspectedCrime: boolean;
  readonly outcome: OpinionOutcome;
  readonly requestedMaterials: readonly string[];
}

export interface OutcomeProblem {
  readonly path: 'outcome' | 'requestedMaterials';
  readonly message: string;
}

/** Nothing stands against the decision: every point passed, documents complete, no suspected crime. */
export const allClear = (o: Omit<OutcomeChoice, 'outcome' | 'requestedMaterials'>): boolean =>
  CHECKLIST_POINTS.every((p) => o.checklist[p].passed) && o.documentsComplete && !o.suspectedCrime;

/**
 * Why the outcome does not fit the checklist (empty when it does): approve only when all is clear,
 * and only approve then; a return lists the materials it asks for.
 */
export function outcomeProblems(o: OutcomeChoice): OutcomeProblem[] {
  const problems: OutcomeProblem[] = [];
  const clear = allClear(o);
  if (o.outcome === 'APPROVE' && !clear) problems.push({ path: 'outcome', message: '有未通过的审核要点、文书不全或涉嫌犯罪时不能同意' });
  if (o.outcome !== 'APPROVE' && clear) problems.push({ path: 'outcome', message: '全部要点通过时应为同意；否则请指明未通过的要点' });
  if (o.outcome === 'RETURN' && o.requestedMaterials.length === 0) problems.push({ path: 'requestedMaterials', message: '退回补充须列明所需材料' });
  return problems;
}
