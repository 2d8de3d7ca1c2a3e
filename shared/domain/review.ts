/**
 * Legal review of major decisions (重大执法决定法制审核, L1–L7, N8–N10): the reviewer's checklist and
 * opinion, who may review, the coordination and collective-discussion records, leader approval, and
 * the staffing ratio. Pure rules and schemas; the workflow runs them (statemachines/legal-review).
 * The review catalogue (L3) is review-catalogue.ts: it needs the decision rules, which the review
 * routes and tasks do not load at init (issue 13).
 */
import * as z from './z.ts';
import { config } from './config.ts';
import { pastDate } from './dates.ts';
import { versionNo } from './numbers.ts';
import { multiLineText, singleLineText } from './text.ts';
import type { Officer } from './officer.ts';
import { effectiveCertificateStatus } from './officer.ts';
import { CHECKLIST_POINTS, ISSUE_REQUIRED_MESSAGE, MAX_CHECKLIST_TEXT, MAX_OPINION_TEXT, MIN_OPINION_TEXT, OPINION_OUTCOMES, checklistEntryComplete, outcomeProblems, type ChecklistPoint } from './review-opinion.ts';

// The checklist, the outcomes and the rule between them: zod-free, shared with the staff console.
export { CHECKLIST_LABELS, CHECKLIST_POINTS, OPINION_OUTCOMES, OUTCOME_LABELS } from './review-opinion.ts';
export type { ChecklistPoint, OpinionOutcome } from './review-opinion.ts';

/**
 * Limits of a reviewer's opinion. Every opinion (one per return-for-supplement round) is kept in the
 * review item, which DynamoDB caps at 400 KB: an opinion with its checklist and materials is at most
 * about 78 KB of UTF-8 (3 bytes a character), so four rounds fit; the store refuses what does not (413).
 */
export { MAX_CHECKLIST_TEXT, MAX_OPINION_TEXT } from './review-opinion.ts';

const checklistEntry = z
  .strictObject({
    passed: z.boolean(),
    issue: multiLineText({ max: MAX_CHECKLIST_TEXT }).optional().meta({ description: '发现的问题' }),
    comment: multiLineText({ max: MAX_CHECKLIST_TEXT }).optional(),
  })
  .refine(checklistEntryComplete, { message: ISSUE_REQUIRED_MESSAGE, path: ['issue'] });

export const opinionBody = z
  .strictObject({
    version: versionNo,
    checklist: z.strictObject(Object.fromEntries(CHECKLIST_POINTS.map((p) => [p, checklistEntry])) as Record<ChecklistPoint, typeof checklistEntry>),
    documentsComplete: z.boolean().meta({ description: '文书是否齐全规范' }),
    suspectedCrime: z.boolean().meta({ description: '是否涉嫌犯罪需移送司法机关（L4）' }),
    outcome: z.enum(OPINION_OUTCOMES),
    opinion: multiLineText({ min: MIN_OPINION_TEXT, max: MAX_OPINION_TEXT }).meta({ description: `书面审核意见（L5），不超过 ${MAX_OPINION_TEXT} 字` }),
    requestedMaterials: z.array(singleLineText({ min: 2, max: 100 })).max(20).default([]).meta({ description: '退回补充时须补充的材料' }),
  })
  .superRefine((o, ctx) => {
    for (const p of outcomeProblems(o)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
  });
export type OpinionBody = z.infer<typeof opinionBody>;

export const supplementBody = z.strictObject({
  version: versionNo,
  materials: z.array(singleLineText({ min: 2, max: 100 })).min(1).max(50).meta({ description: '补充的材料' }),
  note: multiLineText({ max: 2000 }).default(''),
});

export const coordinationBody = z.strictObject({
  version: versionNo,
  response: z.enum(['ACCEPT', 'DISPUTE']).meta({ description: '承办机构：接受审核意见或提出异议' }),
  reason: multiLineText({ min: 2, max: 4000 }),
});

export const collectiveDiscussionBody = z.strictObject({
  version: versionNo,
  date: pastDate({ futureMessage: '集体讨论日期不能晚于今天' }),
  chair: singleLineText({ min: 2, max: 30 }).meta({ description: '主持人' }),
  participants: z
    .array(z.strictObject({ name: singleLineText({ min: 2, max: 30 }), role: z.enum(['LEADER', 'MEMBER']), view: multiLineText({ min: 2, max: 2000 }) }))
    .min(3)
    .max(30)
    .meta({ description: '参加人员及其意见' }),
  decision: z.enum(['APPROVE', 'REJECT']).meta({ description: '集体讨论决定' }),
  summary: multiLineText({ min: 2, max: 8000 }),
});

export const approvalBody = z
  .strictObject({
    version: versionNo,
    decision: z.enum(['APPROVE', 'OVERRIDE', 'REJECT']).meta({ description: '同意审核结论、改变审核结论（须说明理由）、不同意作出决定' }),
    reason: multiLineText({ max: 4000 }).optional(),
  })
  .refine((a) => a.decision !== 'OVERRIDE' || (a.reason !== undefined && a.reason.length >= 10), {
    message: '改变审核或承办机构意见须写明理由（不少于 10 字），并由作出改变的负责人承担责任（L7）',
    path: ['reason'],
  });

/** Materials still missing for a submission; a hearing record only when a hearing was held. */
export function missingMaterials(required: readonly string[], submitted: readonly string[], hearingHeld: boolean): string[] {
  const have = new Set(submitted.map((m) => m.trim()));
  return required.filter((m) => (m.includes('听证') ? hearingHeld : true)).filter((m) => !have.has(m) && !have.has(m.replace(/（.*）$/, '')));
}

// ---------------------------------------------------------------- reviewers (N8 Art 49, 51; L2)

export interface ReviewerCandidate {
  readonly officer: Pick<Officer, 'id' | 'name' | 'reviewer' | 'legalQualification' | 'certificateStatus' | 'validUntil' | 'agencyId'>;
  /** Reviews this reviewer has completed before (a first-time reviewer needs the qualification). */
  readonly completedReviews: number;
  /** Open reviews assigned now (the load). */
  readonly openReviews: number;
}

/** Why a candidate may not review this case, or undefined (N8: no handler reviews their own case). */
export function reviewerProblem(c: ReviewerCandidate, involvedOfficerIds: ReadonlySet<string>, today: string): string | undefined {
  if (!c.officer.reviewer) return `${c.officer.name} 不是法制审核人员`;
  if (involvedOfficerIds.has(c.officer.id)) return `${c.officer.name} 是本案承办人员或记录过本案执法行为，不得审核本案`;
  if (effectiveCertificateStatus(c.officer, today) !== 'VALID') return `${c.officer.name} 的执法证件无效`;
  if (c.completedReviews === 0 && !c.officer.legalQualification) return `${c.officer.name} 初次从事法制审核，须取得法律职业资格`;
  return undefined;
}

/** The least-loaded eligible reviewer (ties: fewer completed reviews, then id, for a stable choice). */
export function chooseReviewer(candidates: readonly ReviewerCandidate[], involved: ReadonlySet<string>, today: string): ReviewerCandidate | undefined {
  return candidates
    .filter((c) => reviewerProblem(c, involved, today) === undefined)
    .sort((a, b) => a.openReviews - b.openReviews || a.completedReviews - b.completedReviews || (a.officer.id < b.officer.id ? -1 : 1))[0];
}

/** L2: reviewers at least 5% of enforcement officers. */
export const MIN_REVIEWER_RATIO = config().MIN_REVIEWER_RATIO;

export function staffing(officers: readonly Pick<Officer, 'agencyId' | 'reviewer' | 'certificateStatus' | 'validUntil'>[], today: string) {
  const active = officers.filter((o) => effectiveCertificateStatus(o, today) === 'VALID');
  const ratio = (list: typeof active) => {
    const reviewers = list.filter((o) => o.reviewer).length;
    const enforcement = list.length;
    const value = enforcement === 0 ? 0 : reviewers / enforcement;
    return { reviewers, officers: enforcement, ratio: Math.round(value * 10000) / 10000, belowMinimum: value < MIN_REVIEWER_RATIO };
  };
  const agencies = [...new Set(active.map((o) => o.agencyId))].sort();
  return {
    minimumRatio: MIN_REVIEWER_RATIO,
    overall: ratio(active),
    agencies: agencies.map((agencyId) => ({ agencyId, ...ratio(active.filter((o) => o.agencyId === agencyId)) })),
  };
}
