/**
 * The annual report's figures (their shape, stages and row labels): data and types only, so that the
 * console, which must not load the domain's schemas, renders the same rows as the PDF and the .xlsx
 * through shared/report/figure-rows.ts. annual-report.ts re-exports them.
 */
import type { PENALTY_TYPE_LABELS } from './penalty-labels.ts';
import type { RemedyOutcome } from './remedy-codes.ts';

type PenaltyType = keyof typeof PENALTY_TYPE_LABELS;

export const REPORT_STAGES = ['DRAFT', 'DELIVERED', 'PUBLISHED'] as const;
export type ReportStage = (typeof REPORT_STAGES)[number];

/** A share, as a percentage with one decimal, or null when there is nothing to divide by. */
export type Percent = number | null;

export interface ReportFigures {
  /** 行政许可: applications and what became of them. */
  readonly licensing: {
    readonly applied: number;
    readonly accepted: number;
    readonly granted: number;
    readonly refused: number;
    readonly revoked: number;
  };
  /** 行政处罚: decisions by type, a combined penalty counted once under its heaviest type. */
  readonly penalties: {
    readonly total: number;
    readonly byType: Readonly<Record<PenaltyType, number>>;
    /** Yuan, as a decimal string with two places ("12345.00"). */
    readonly finesYuan: string;
    readonly confiscatedYuan: string;
    /** P5: fines actually paid in the year (罚款收缴金额; not the late surcharge), whatever the decision's year. */
    readonly finesCollectedYuan: string;
  };
  /** P6: 行政复议 and 行政诉讼 filed in the year, and outcomes decided in the year. */
  readonly remedies: RemedyFigures;
  /** 行政强制措施 (sealing, seizure). */
  readonly coerciveMeasures: number;
  /** 行政检查. */
  readonly inspections: number;
  /** 其他行政行为. */
  readonly otherActs: number;
  /** 法制审核. */
  readonly reviews: { readonly done: number; readonly passed: number; readonly returned: number };
  /** Decisions due for publication in the year, and those published on time (D7). */
  readonly disclosure: { readonly due: number; readonly onTime: number; readonly onTimePercent: Percent };
  /** Officers at the end of the year: with a valid certificate (D5), with ≥ 40 training hours (S1). */
  readonly officers: {
    readonly total: number;
    readonly validCertificates: number;
    readonly validCertificatesPercent: Percent;
    readonly trainedEnough: number;
    readonly trainedEnoughPercent: Percent;
  };
  /** L2: reviewers ÷ officers with a valid certificate. */
  readonly reviewers: { readonly reviewers: number; readonly officers: number; readonly ratioPercent: Percent; readonly belowMinimum: boolean };
}

export interface RemedyFigures {
  readonly reconsiderations: number;
  /** Every stage counts: a 二审 or 再审 is a filing of its own. */
  readonly litigations: number;
  /** Outcomes decided in the year, by outcome. */
  readonly outcomes: Readonly<Record<RemedyOutcome, number>>;
  readonly decided: number;
  /** Outcomes other than UPHELD (变更、撤销、确认违法、责令重新作出). */
  readonly corrected: number;
  /** 纠错率: corrected ÷ decided. */
  readonly correctedPercent: Percent;
}


/** Row labels of the report's tables (PDF and .xlsx use the same). */
export const FIGURE_LABELS = {
  licensingApplied: '行政许可申请（件）',
  licensingAccepted: '受理（件）',
  licensingGranted: '准予许可（件）',
  licensingRefused: '不予许可（件）',
  licensingRevoked: '撤销、吊销许可（件）',
  penaltiesTotal: '行政处罚决定（件）',
  finesYuan: '罚没款：罚款（元）',
  confiscatedYuan: '罚没款：没收金额（元）',
  finesCollectedYuan: '罚款收缴金额（元）',
  coerciveMeasures: '行政强制措施（件）',
  inspections: '行政检查（次）',
  otherActs: '其他行政行为（件）',
  reconsiderations: '行政复议（件）',
  litigations: '行政诉讼（件，含二审、再审）',
  remediesDecided: '复议、诉讼结果（件）',
  outcomeUpheld: '其中：维持（件）',
  outcomeChanged: '其中：变更（件）',
  outcomeRevoked: '其中：撤销（件）',
  outcomeConfirmedUnlawful: '其中：确认违法（件）',
  outcomeRemanded: '其中：责令重新作出（件）',
  remediesCorrectedPercent: '纠错率（%）',
  reviewsDone: '法制审核（件）',
  reviewsPassed: '审核通过（件）',
  reviewsReturned: '退回补充或修改（件）',
  disclosureDue: '应公示决定（件）',
  disclosureOnTime: '按时公示（件）',
  disclosureOnTimePercent: '按时公示率（%）',
  officersTotal: '执法人员（人）',
  officersValid: '持有效执法证件（人）',
  officersValidPercent: '持证率（%）',
  officersTrained: '年度培训满 40 学时（人）',
  officersTrainedPercent: '培训达标率（%）',
  reviewersCount: '法制审核人员（人）',
  reviewersRatioPercent: '审核人员占执法人员比例（%）',
} as const;
