/**
 * The annual statistics report on administrative law enforcement (行政执法统计年报, D13, N13, S1, L2):
 * its shape, per agency and in total. Built from aggregates kept in the same transaction as each change
 * (issue 6); rendered as JSON (the public API), a PDF and an .xlsx (delivered to the justice bureau and
 * the superior bureau). Pure types and labels.
 */
import type { PenaltyType } from './decision.ts';
import { PENALTY_TYPES } from './decision.ts';
import { fenToYuan } from './money.ts';
import { effectiveCertificateStatus, trainingSummary } from './officer.ts';
import type { Officer } from './officer.ts';
import { REMEDY_OUTCOMES } from './remedy.ts';
import type { RemedyOutcome } from './remedy.ts';
import { emptyAggregate } from './report-aggregates.ts';
import type { Aggregate } from './report-aggregates.ts';

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

export interface AgencyReport extends ReportFigures {
  readonly agencyId: string;
  readonly agencyName: string;
}

export interface AnnualReport {
  readonly year: number;
  /** 1, 2, …: a regeneration before publication replaces the draft; a correction after is a new version. */
  readonly version: number;
  readonly stage: ReportStage;
  readonly bureauName: string;
  readonly generatedAt: string;
  /** The order in which a combined penalty's heaviest type is chosen (configurable). */
  readonly penaltySeverityOrder: readonly PenaltyType[];
  readonly agencies: readonly AgencyReport[];
  readonly total: ReportFigures;
  /** For a correction after publication: what changed and why. */
  readonly correction?: { readonly reason: string; readonly previousVersion: number };
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

// ---------------------------------------------------------------------------------------------
// Building the figures from the counters and the officers (pure)


const percent = (part: number, whole: number): Percent => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** The figures of one agency (or the total) from its counters and its officers at the end of `year`. */
export function figuresOf(a: Aggregate, officers: readonly Pick<Officer, 'certificateStatus' | 'validUntil' | 'training' | 'reviewer'>[], year: number, minReviewerRatio: number): ReportFigures {
  const yearEnd = `${year}-12-31`;
  const valid = officers.filter((o) => effectiveCertificateStatus(o, yearEnd) === 'VALID');
  const trained = officers.filter((o) => trainingSummary(o.training).some((t) => t.year === year && t.meetsRequirement));
  const reviewers = valid.filter((o) => o.reviewer).length;
  return {
    licensing: { applied: a.licensingApplied, accepted: a.licensingApplied, granted: a.licensingGranted, refused: a.licensingRefused, revoked: a.licensingRevoked },
    penalties: {
      total: a.penaltiesTotal,
      byType: Object.fromEntries(PENALTY_TYPES.map((p) => [p, a[`penalty_${p}`]])) as Record<PenaltyType, number>,
      finesYuan: fenToYuan(a.finesFen),
      confiscatedYuan: fenToYuan(a.confiscatedFen),
      finesCollectedYuan: fenToYuan(a.finesCollectedFen),
    },
    remedies: remedyFigures({
      reconsiderations: a.reconsiderationsFiled,
      litigations: a.litigationsFiled,
      outcomes: Object.fromEntries(REMEDY_OUTCOMES.map((o) => [o, a[`remedyOutcome_${o}`]])) as Record<RemedyOutcome, number>,
    }),
    coerciveMeasures: a.coerciveMeasures,
    inspections: a.inspections,
    otherActs: a.otherActs,
    reviews: { done: a.reviewsDone, passed: a.reviewsPassed, returned: a.reviewsReturned },
    disclosure: { due: a.disclosureDue, onTime: a.disclosureOnTime, onTimePercent: percent(a.disclosureOnTime, a.disclosureDue) },
    officers: {
      total: officers.length,
      validCertificates: valid.length,
      validCertificatesPercent: percent(valid.length, officers.length),
      trainedEnough: trained.length,
      trainedEnoughPercent: percent(trained.length, officers.length),
    },
    reviewers: { reviewers, officers: valid.length, ratioPercent: percent(reviewers, valid.length), belowMinimum: valid.length > 0 && reviewers / valid.length < minReviewerRatio },
  };
}

function remedyFigures(r: Pick<RemedyFigures, 'reconsiderations' | 'litigations' | 'outcomes'>): RemedyFigures {
  const decided = REMEDY_OUTCOMES.reduce((n, o) => n + r.outcomes[o], 0);
  const corrected = decided - r.outcomes.UPHELD;
  return { ...r, decided, corrected, correctedPercent: percent(corrected, decided) };
}

type StoredFigures = Omit<ReportFigures, 'penalties' | 'remedies'> & {
  readonly penalties: Omit<ReportFigures['penalties'], 'finesCollectedYuan'> & { readonly finesCollectedYuan?: string };
  readonly remedies?: Partial<Pick<RemedyFigures, 'reconsiderations' | 'litigations'>> & { readonly outcomes?: Partial<Record<RemedyOutcome, number>> };
};

/**
 * A stored report as today's shape: versions built before a figure existed read it as 0 (their counters
 * did not exist then), so old versions still load, render and answer the public API.
 */
export function withAllFigures<R extends { readonly agencies: readonly unknown[]; readonly total: unknown }>(report: R): R {
  const fill = <F>(f: F): F => {
    const s = f as unknown as StoredFigures;
    return {
      ...s,
      penalties: { ...s.penalties, finesCollectedYuan: s.penalties.finesCollectedYuan ?? fenToYuan(0) },
      remedies: remedyFigures({
        reconsiderations: s.remedies?.reconsiderations ?? 0,
        litigations: s.remedies?.litigations ?? 0,
        outcomes: Object.fromEntries(REMEDY_OUTCOMES.map((o) => [o, s.remedies?.outcomes?.[o] ?? 0])) as Record<RemedyOutcome, number>,
      }),
    } as unknown as F;
  };
  return { ...report, agencies: report.agencies.map(fill), total: fill(report.total) };
}

/** Sums counters (for the total). */
export function sumAggregates(list: readonly Aggregate[]): Aggregate {
  const out = emptyAggregate();
  for (const a of list) for (const k of Object.keys(out) as (keyof Aggregate)[]) out[k] += a[k];
  return out;
}
