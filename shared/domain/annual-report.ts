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

export { REPORT_STAGES } from './report-labels.ts';
export type { Percent, RemedyFigures, ReportFigures, ReportStage } from './report-labels.ts';
import type { Percent, RemedyFigures, ReportFigures, ReportStage } from './report-labels.ts';

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

export { FIGURE_LABELS } from './report-labels.ts';

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
