/**
 * The rows of the annual report's tables (行政执法统计年报), shared by the PDF and the .xlsx so that
 * both show the same figures under the same labels in the same order (FIGURE_LABELS, PENALTY_LABELS).
 */
// Data-only imports (types aside): the console bundles this module for its 统计年报 page.
import { FIGURE_LABELS, type Percent, type ReportFigures, type ReportStage } from '../domain/report-labels.ts';
import { PENALTY_TYPE_LABELS as PENALTY_LABELS } from '../domain/penalty-labels.ts';

/** In the order of severity, as PENALTY_TYPES (decision.ts) lists them. */
const PENALTY_TYPES = Object.keys(PENALTY_LABELS) as (keyof typeof PENALTY_LABELS)[];

/** How a figure is written: a count, a percentage (one decimal, null when nothing to divide) or yuan. */
export type FigureKind = 'count' | 'percent' | 'yuan';

export interface FigureRow {
  readonly key: keyof typeof FIGURE_LABELS;
  readonly label: string;
  readonly kind: FigureKind;
  /** A count or a percentage as a number (null: no denominator), or yuan as the JSON decimal string. */
  readonly value: (figures: ReportFigures) => number | Percent | string;
}

const row = (key: keyof typeof FIGURE_LABELS, kind: FigureKind, value: FigureRow['value']): FigureRow => ({
  key,
  label: FIGURE_LABELS[key],
  kind,
  value,
});

/** In the order of FIGURE_LABELS. */
export const FIGURE_ROWS: readonly FigureRow[] = [
  row('licensingApplied', 'count', (f) => f.licensing.applied),
  row('licensingAccepted', 'count', (f) => f.licensing.accepted),
  row('licensingGranted', 'count', (f) => f.licensing.granted),
  row('licensingRefused', 'count', (f) => f.licensing.refused),
  row('licensingRevoked', 'count', (f) => f.licensing.revoked),
  row('penaltiesTotal', 'count', (f) => f.penalties.total),
  row('finesYuan', 'yuan', (f) => f.penalties.finesYuan),
  row('confiscatedYuan', 'yuan', (f) => f.penalties.confiscatedYuan),
  row('finesCollectedYuan', 'yuan', (f) => f.penalties.finesCollectedYuan),
  row('coerciveMeasures', 'count', (f) => f.coerciveMeasures),
  row('inspections', 'count', (f) => f.inspections),
  row('otherActs', 'count', (f) => f.otherActs),
  row('reconsiderations', 'count', (f) => f.remedies.reconsiderations),
  row('litigations', 'count', (f) => f.remedies.litigations),
  row('remediesDecided', 'count', (f) => f.remedies.decided),
  row('outcomeUpheld', 'count', (f) => f.remedies.outcomes.UPHELD),
  row('outcomeChanged', 'count', (f) => f.remedies.outcomes.CHANGED),
  row('outcomeRevoked', 'count', (f) => f.remedies.outcomes.REVOKED),
  row('outcomeConfirmedUnlawful', 'count', (f) => f.remedies.outcomes.CONFIRMED_UNLAWFUL),
  row('outcomeRemanded', 'count', (f) => f.remedies.outcomes.REMANDED),
  row('remediesCorrectedPercent', 'percent', (f) => f.remedies.correctedPercent),
  row('reviewsDone', 'count', (f) => f.reviews.done),
  row('reviewsPassed', 'count', (f) => f.reviews.passed),
  row('reviewsReturned', 'count', (f) => f.reviews.returned),
  row('disclosureDue', 'count', (f) => f.disclosure.due),
  row('disclosureOnTime', 'count', (f) => f.disclosure.onTime),
  row('disclosureOnTimePercent', 'percent', (f) => f.disclosure.onTimePercent),
  row('officersTotal', 'count', (f) => f.officers.total),
  row('officersValid', 'count', (f) => f.officers.validCertificates),
  row('officersValidPercent', 'percent', (f) => f.officers.validCertificatesPercent),
  row('officersTrained', 'count', (f) => f.officers.trainedEnough),
  row('officersTrainedPercent', 'percent', (f) => f.officers.trainedEnoughPercent),
  row('reviewersCount', 'count', (f) => f.reviewers.reviewers),
  row('reviewersRatioPercent', 'percent', (f) => f.reviewers.ratioPercent),
];

/** Under the totals: how the P5 and P6 figures are counted. */
export const FIGURES_NOTE =
  '注：罚款收缴金额按缴款日期计入年度，不含加处罚款；行政复议、行政诉讼按申请或起诉日期计入年度（诉讼一审、二审、再审各计 1 件），其结果按作出日期计入年度；纠错率为变更、撤销、确认违法、责令重新作出的件数占全部结果的比例。';

/** L2: shown under the figures as 是/否, since a ratio alone does not say whether it is too low. */
export const BELOW_MINIMUM_LABEL = '审核人员比例低于最低要求';
export const yesNo = (value: boolean): string => (value ? '是' : '否');

export const PENALTY_ROWS: readonly { readonly type: keyof typeof PENALTY_LABELS; readonly label: string }[] = PENALTY_TYPES.map(
  (type) => ({ type, label: PENALTY_LABELS[type] }),
);

export const TOTAL_COLUMN_LABEL = '合计';
export const ITEM_COLUMN_LABEL = '项目';
export const PENALTY_TYPE_COLUMN_LABEL = '处罚类型';
/** Shown for a percentage with nothing to divide by (无分母，不适用). */
export const NOT_APPLICABLE = '—';

export const STAGE_LABELS: Record<ReportStage, string> = {
  DRAFT: '草稿',
  DELIVERED: '已报送',
  PUBLISHED: '已公开',
};

export function reportTitle(report: { readonly bureauName: string; readonly year: number }): string {
  return `${report.bureauName} ${report.year} 年度行政执法统计年报`;
}

/** `2026-01-15T02:30:00.000Z` → `2026-01-15 10:30`, Beijing time (UTC+8, no daylight saving). */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * One line under the title: version, the period and when the figures were taken. Not the stage: the
 * same files are drafted, delivered and published, so they must not say "draft".
 */
export function reportSubtitle(report: { readonly year: number; readonly version: number; readonly generatedAt: string }): string {
  return `第 ${report.version} 版 · 统计期间 ${report.year}-01-01 至 ${report.year}-12-31 · 生成时间 ${beijingTime(report.generatedAt)}（北京时间）`;
}

/** "1234567.5" → "1,234,567.50": yuan with two decimals and thousands separators, for reading. */
export function formatYuan(decimal: string): string {
  const [int = '0', frac = ''] = decimal.split('.');
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(frac + '00').slice(0, 2)}`;
}

/** A figure as text in the PDF: counts as integers, percentages with one decimal, yuan as above. */
export function formatFigure(kind: FigureKind, value: number | Percent | string): string {
  if (value === null) return NOT_APPLICABLE;
  switch (kind) {
    case 'count':
      return String(value);
    case 'percent':
      return Number(value).toFixed(1);
    case 'yuan':
      return formatYuan(String(value));
  }
}
