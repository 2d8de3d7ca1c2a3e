/**
 * How a case ends other than by a penalty (不予处罚, 移送, 撤销立案: P8), the first-violation list
 * (首违不罚清单: P9), and closing (结案: P8) with what must hold first. Pure rules and schemas.
 */
import * as z from './z.ts';
import { calendarDate } from './dates.ts';
import { versionNo } from './numbers.ts';
import { multiLineText, singleLineText } from './text.ts';
import { fenToYuan } from './money.ts';
import type { Case } from './case.ts';
import type { DecisionStatus } from './decision.ts';
import { DOCUMENT_TYPES } from '../documents/types.ts';
import type { DocumentType } from '../documents/types.ts';
export { ENDING_KINDS, ENDING_LABELS, NO_PENALTY_GROUNDS, NO_PENALTY_GROUND_LABELS, TRANSFER_TARGETS, TRANSFER_TARGET_LABELS, endedCaseProblem, endingInWords } from './closing-state.ts';
export type { EndingKind, NoPenaltyGround, StateProblem, TransferTarget } from './closing-state.ts';
import { ENDING_LABELS, NO_PENALTY_GROUNDS, TRANSFER_TARGETS } from './closing-state.ts';
import type { StateProblem } from './closing-state.ts';

// ---------------------------------------------------------------- endings (P8, P9)

const approval = {
  version: versionNo.meta({ description: '读取时的案件版本号' }),
  approver: singleLineText({ min: 2, max: 30 }).meta({ description: '批准人（负责人）姓名' }),
  approvedOn: calendarDate.meta({ description: '批准日期（不早于立案日期，不能晚于今天）' }),
};
const reason = multiLineText({ min: 2, max: 2000 });

export const endingBody = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('NO_PENALTY'),
      ground: z.enum(NO_PENALTY_GROUNDS).meta({ description: '不予处罚的理由' }),
      firstViolationItemCode: singleLineText({ min: 2, max: 40 }).optional().meta({ description: '首违不罚清单的事项编码（理由为 FIRST_VIOLATION 时必填）' }),
      reason: reason.meta({ description: '事实和理由' }),
      ...approval,
    })
    .superRefine((b, ctx) => {
      if (b.ground === 'FIRST_VIOLATION' && !b.firstViolationItemCode) ctx.addIssue({ code: 'custom', path: ['firstViolationItemCode'], message: '首违不罚须注明所依据的首违不罚清单事项编码' });
      if (b.ground !== 'FIRST_VIOLATION' && b.firstViolationItemCode) ctx.addIssue({ code: 'custom', path: ['firstViolationItemCode'], message: '只有首违不罚才注明清单事项' });
    }),
  z.strictObject({
    kind: z.literal('TRANSFER'),
    target: z.enum(TRANSFER_TARGETS).meta({ description: '移送对象类别' }),
    recipient: singleLineText({ min: 2, max: 100 }).meta({ description: '接收移送的机关名称' }),
    reason: reason.meta({ description: '移送理由（如涉嫌犯罪的事实、无管辖权的依据）' }),
    ...approval,
  }),
  z.strictObject({
    kind: z.literal('CANCEL_FILING'),
    reason: reason.meta({ description: '撤销立案的理由' }),
    ...approval,
  }),
]);
export type EndingBody = z.infer<typeof endingBody>;

/** How the case ended when it did not end with a penalty (P8). */
type WithoutVersion<T> = T extends unknown ? Omit<T, 'version'> : never;
export type CaseEnding = WithoutVersion<EndingBody> & {
  /** The list item version in force on the approval date, for FIRST_VIOLATION. */
  readonly firstViolationItem?: { readonly code: string; readonly versionNo: number; readonly name: string };
  readonly recordedBy: string;
  readonly recordedAt: string;
};


/** Decision states in which the decision has been made (issued): the case has its penalty. */
export const ISSUED_DECISION_STATUSES: readonly DecisionStatus[] = ['ISSUED', 'PUBLISHED', 'WITHDRAWN', 'EXEMPT', 'EXPIRED'];


/** Why a case may not end otherwise now (409), or undefined: only an open case without an issued decision. */
export function endingStateProblem(c: Pick<Case, 'status' | 'caseNo' | 'ending'>, decisionStatus: DecisionStatus | undefined): StateProblem | undefined {
  if (c.status === 'CLOSED') return { code: 'CASE_CLOSED', message: `案件 ${c.caseNo} 已结案` };
  if (c.ending) return { code: 'CASE_ENDED', message: `案件 ${c.caseNo} 已于 ${c.ending.approvedOn} 以「${ENDING_LABELS[c.ending.kind]}」终结` };
  if (decisionStatus && ISSUED_DECISION_STATUSES.includes(decisionStatus)) return { code: 'DECISION_ISSUED', message: `案件 ${c.caseNo} 已作出行政处罚决定（状态 ${decisionStatus}），不能再以不予处罚、移送或撤销立案终结` };
  if (c.status !== 'OPEN') return { code: 'CASE_DECIDED', message: `案件 ${c.caseNo} 已作出处理决定（状态 ${c.status}）` };
  return undefined;
}


// ---------------------------------------------------------------- first-violation list (P9)

export { firstViolationContent } from './first-violation.ts';
export type { FirstViolationContent } from './first-violation.ts';
import type { FirstViolationContent } from './first-violation.ts';

/** Why a case may not rely on a list item version (422 NOT_ON_FIRST_VIOLATION_LIST), or undefined. */
export function firstViolationProblem(
  item: { readonly code: string; readonly content: FirstViolationContent } | undefined,
  code: string,
  c: Pick<Case, 'agencyId' | 'powerCode'>,
  asOf: string,
): string | undefined {
  if (!item) return `首违不罚清单中没有在 ${asOf} 有效的事项 ${code}`;
  if (item.content.agencyId !== c.agencyId) return `首违不罚清单事项 ${code} 由 ${item.content.agencyId} 发布，不适用于本机构的案件`;
  if (!item.content.powerCodes.includes(c.powerCode)) return `本案的职权事项 ${c.powerCode} 不在首违不罚清单事项 ${code}「${item.content.name}」的范围内`;
  return undefined;
}

// ---------------------------------------------------------------- closing (P8)

export const CLOSING_REASONS = ['PERFORMED', 'ENDED', 'ENFORCED', 'OTHER'] as const;
export type ClosingReason = (typeof CLOSING_REASONS)[number];
export const CLOSING_REASON_LABELS: Record<ClosingReason, string> = {
  PERFORMED: '行政处罚决定履行完毕',
  ENDED: '案件以其他方式终结',
  ENFORCED: '行政处罚决定强制执行完毕',
  OTHER: '其他应予结案的情形',
};

export const closeBody = z
  .strictObject({
    ...approval,
    approvedOn: calendarDate.meta({ description: '结案批准日期（不早于决定或终结的日期，不能晚于今天）' }),
    reason: z.enum(CLOSING_REASONS).meta({ description: '结案理由' }),
    reasonText: multiLineText({ min: 2, max: 1000 }).optional().meta({ description: '理由为 OTHER 时的说明' }),
    approvalOpinion: singleLineText({ min: 2, max: 200 }).default('同意结案').meta({ description: '审批意见' }),
    performance: multiLineText({ min: 2, max: 1000 }).optional().meta({ description: '执行情况（缺省由缴款记录和终结情况生成）' }),
    unpaidReason: multiLineText({ min: 2, max: 1000 }).optional().meta({ description: '罚款未缴清仍结案的理由（如已申请法院强制执行、依法核销）' }),
    openRemedyReason: multiLineText({ min: 2, max: 1000 }).optional().meta({ description: '行政复议或诉讼尚未终结仍结案的理由' }),
  })
  .superRefine((b, ctx) => {
    if (b.reason === 'OTHER' && !b.reasonText) ctx.addIssue({ code: 'custom', path: ['reasonText'], message: '其他理由须说明' });
  });
export type CloseBody = z.infer<typeof closeBody>;

export interface CaseClosing extends Omit<CloseBody, 'version'> {
  readonly documentId: string;
  readonly documentNo: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/** What closing looks at, read from the case's items. */
export interface ClosingFacts {
  readonly case: Pick<Case, 'status' | 'caseNo' | 'ending' | 'filingDate'>;
  readonly decision?: { readonly status: DecisionStatus; readonly decisionDate: string };
  /** The fine's account when the decision has a fine (P5): what is owed includes the late surcharge. */
  readonly fine?: { readonly fineFen: number; readonly paidFen: number; readonly surchargeFen: number; readonly outstandingFen: number };
  /** Remedies (reconsideration, litigation) without an outcome. */
  readonly openRemedies: number;
}

export type ClosingProblem = { readonly status: 409 | 422; readonly code: string; readonly message: string; readonly path?: string };

/** The first reason the case may not close as asked, or undefined (P8). Dates against `today`. */
export function closingProblem(f: ClosingFacts, b: Pick<CloseBody, 'reason' | 'approvedOn' | 'unpaidReason' | 'openRemedyReason'>, today: string): ClosingProblem | undefined {
  const c = f.case;
  if (c.status === 'CLOSED') return { status: 409, code: 'CASE_CLOSED', message: `案件 ${c.caseNo} 已结案` };
  const issued = f.decision !== undefined && ISSUED_DECISION_STATUSES.includes(f.decision.status);
  if (!c.ending && !issued) {
    return { status: 409, code: 'CASE_NOT_DECIDED', message: `案件 ${c.caseNo} 尚未作出行政处罚决定，也未以不予处罚、移送或撤销立案终结，不能结案（状态 ${c.status}）` };
  }
  if (b.reason === 'ENDED' && !c.ending) return { status: 422, code: 'CLOSING_REASON_MISMATCH', message: '案件未以不予处罚、移送或撤销立案终结：结案理由不能为「案件以其他方式终结」', path: 'body.reason' };
  if ((b.reason === 'PERFORMED' || b.reason === 'ENFORCED') && !issued) {
    return { status: 422, code: 'CLOSING_REASON_MISMATCH', message: `案件未作出行政处罚决定：结案理由不能为「${CLOSING_REASON_LABELS[b.reason]}」`, path: 'body.reason' };
  }
  const since = c.ending?.approvedOn ?? f.decision?.decisionDate ?? c.filingDate;
  if (b.approvedOn < since) return { status: 422, code: 'CLOSING_BEFORE_DECISION', message: `结案批准日期 ${b.approvedOn} 早于${c.ending ? '案件终结' : '处罚决定'}的日期 ${since}`, path: 'body.approvedOn' };
  if (b.approvedOn > today) return { status: 422, code: 'CLOSING_DATE_IN_FUTURE', message: `结案批准日期 ${b.approvedOn} 晚于今天（${today}）`, path: 'body.approvedOn' };
  if (issued && f.fine && f.fine.outstandingFen > 0 && !b.unpaidReason) {
    const surcharge = f.fine.surchargeFen > 0 ? `，加处罚款 ${fenToYuan(f.fine.surchargeFen)} 元` : '';
    return {
      status: 409,
      code: 'FINE_UNPAID',
      message: `罚款 ${fenToYuan(f.fine.fineFen)} 元${surcharge}，已缴 ${fenToYuan(f.fine.paidFen)} 元，尚欠 ${fenToYuan(f.fine.outstandingFen)} 元：缴清后方可结案，或注明未缴清仍结案的理由（unpaidReason）`,
      path: 'body.unpaidReason',
    };
  }
  if (f.openRemedies > 0 && !b.openRemedyReason) {
    return { status: 409, code: 'REMEDY_OPEN', message: `有 ${f.openRemedies} 项行政复议或行政诉讼尚未终结：终结后方可结案，或注明理由（openRemedyReason）`, path: 'body.openRemedyReason' };
  }
  return undefined;
}

// ---------------------------------------------------------------- documents on demand (P7)

export const ON_DEMAND_DOCUMENT_TYPES = ['FILING_APPROVAL'] as const;

export const filingApprovalBody = z.strictObject({
  type: z.literal('FILING_APPROVAL'),
  caseSource: singleLineText({ min: 2, max: 60 }).meta({ description: '案件来源，如“投诉举报”“监督检查”' }),
  approvalOpinion: singleLineText({ min: 2, max: 200 }).meta({ description: '审批意见' }),
  approver: singleLineText({ min: 2, max: 30 }).meta({ description: '审批人' }),
  date: calendarDate.optional().meta({ description: '审批日期（缺省为立案日期；不晚于立案日期和今天）' }),
});
export type FilingApprovalBody = z.infer<typeof filingApprovalBody>;

/** The other types pass the schema so that a type made by its own step is named in a 422, not a 400. */
const stepMadeType = z.enum(DOCUMENT_TYPES.filter((t) => !(ON_DEMAND_DOCUMENT_TYPES as readonly string[]).includes(t)) as [DocumentType, ...DocumentType[]]);
export const documentOnDemandBody = z.union([filingApprovalBody, z.looseObject({ type: stepMadeType.meta({ description: '由其步骤生成的文书类型：不能单独制作' }) })]);
export type DocumentOnDemandBody = z.infer<typeof documentOnDemandBody>;
