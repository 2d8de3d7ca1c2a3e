/**
 * 统计年报 (issue 16, point 5; D13, N13): the annual report's stages as the legal division moves it on
 * (草稿 → 已报送 → 已公开, shared/services/annual-report.ts), the next action with its confirmation, the
 * correction after publication, and the figures as rows. Pure: the section fetches, this decides.
 *
 * The rows are those of the PDF and the .xlsx (shared/report/figure-rows.ts FIGURE_ROWS, same keys,
 * labels, kinds and order). That module cannot be bundled here (it loads the decision schemas, zod and
 * node:crypto), so its labels are restated and a unit test holds them equal to the shared ones.
 */
import type { FIGURE_LABELS, Percent, ReportFigures } from '../../../shared/domain/annual-report.ts';
import { PENALTY_TYPE_LABELS } from '../../../shared/domain/penalty-labels.ts';

export type ReportStage = 'DRAFT' | 'DELIVERED' | 'PUBLISHED';
export type ReportAction = 'draft' | 'deliver' | 'publish';
export type { ReportFigures };

export interface Correction {
  readonly reason: string;
  readonly previousVersion: number;
}

/** `GET /reports/annual/{year}` (functions/compliance/report-routes.ts reportView). */
export interface AnnualReportView {
  readonly year: number;
  readonly current: {
    readonly version: number;
    readonly stage: ReportStage;
    readonly bureauName?: string;
    readonly generatedAt: string;
    readonly deliveredAt?: string;
    readonly publishedAt?: string;
    readonly correction?: Correction;
    readonly total: ReportFigures;
    readonly agencies: readonly (ReportFigures & { readonly agencyId: string; readonly agencyName: string })[];
    readonly files: { readonly pdf: string; readonly xlsx: string };
  } | null;
  readonly published: {
    readonly version: number;
    readonly publishedAt?: string;
    readonly history: readonly { readonly version: number; readonly publishedAt: string; readonly correction?: Correction }[];
  } | null;
}

/** The stages' names, as the files and the portal say them (figure-rows.ts STAGE_LABELS). */
export const STAGE_LABELS: Readonly<Record<ReportStage, string>> = { DRAFT: '草稿', DELIVERED: '已报送', PUBLISHED: '已公开' };
const STAGES: readonly ReportStage[] = ['DRAFT', 'DELIVERED', 'PUBLISHED'];

/** `2026-01-15T02:30:00.000Z` → `2026-01-15 10:30` (Beijing time, as figure-rows.ts beijingTime). */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

// ---------------------------------------------------------------- the year

const shanghaiYear = (now: Date): number => new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();

/** The report of last year: the one drafted in January (a year must have ended to be reported). */
export const defaultYear = (now: Date): number => shanghaiYear(now) - 1;

/** The years offered: the ten that have ended, newest first (never before 2000, the API's floor). */
export function yearOptions(now: Date, count = 10): number[] {
  const last = defaultYear(now);
  return Array.from({ length: count }, (_, i) => last - i).filter((y) => y >= 2000);
}

// ---------------------------------------------------------------- the stages

export interface Step {
  readonly stage: ReportStage;
  readonly label: string;
  readonly state: 'done' | 'current' | 'todo';
  readonly at?: string;
}

/** The stepper: each stage done, current or still to come, with when it happened (Beijing time). */
export function stageSteps(current: AnnualReportView['current']): Step[] {
  const reached = current ? STAGES.indexOf(current.stage) : -1;
  const when: Record<ReportStage, string | undefined> = { DRAFT: current?.generatedAt, DELIVERED: current?.deliveredAt, PUBLISHED: current?.publishedAt };
  return STAGES.map((stage, i) => {
    const at = i <= reached ? when[stage] : undefined;
    return { stage, label: STAGE_LABELS[stage], state: i < reached ? 'done' : i === reached ? 'current' : 'todo', ...(at ? { at: beijingTime(at) } : {}) };
  });
}

/** What the report's stage allows next (the service's rules), the main step first. */
export interface ActionOffer {
  readonly action: ReportAction;
  readonly label: string;
  readonly primary: boolean;
  readonly confirmTitle: string;
  readonly confirmLabel: string;
  readonly confirmText: string;
}

export function actionsFor(view: AnnualReportView): ActionOffer[] {
  const y = view.year;
  const draft = (primary: boolean, again: boolean): ActionOffer => ({
    action: 'draft',
    label: again ? '重新生成草稿' : '生成草稿',
    primary,
    confirmTitle: again ? '确认重新生成草稿' : '确认生成草稿',
    confirmLabel: again ? '确认重新生成' : '确认生成',
    confirmText: again
      ? `将按当前数据重新汇总 ${y} 年度的统计数字，替换现有草稿（版本号不变）并回到草稿阶段；已报送的需重新报送。`
      : `将汇总 ${y} 年度各执法主体的统计数字，生成统计年报草稿（PDF 和 Excel），供审阅后报送。`,
  });
  const deliver = (primary: boolean, again: boolean): ActionOffer => ({
    action: 'deliver',
    label: again ? '重新报送' : '报送',
    primary,
    confirmTitle: again ? '确认重新报送' : '确认报送',
    confirmLabel: again ? '确认重新报送' : '确认报送',
    confirmText: `将把 ${y} 年度统计年报（PDF 和 Excel）报送司法行政部门和上级主管部门${again ? '，附上新的下载链接' : ''}。报送后方可公开。`,
  });
  const stage = view.current?.stage;
  if (!stage) return [draft(true, false)];
  if (stage === 'DRAFT') return [deliver(true, false), draft(false, true)];
  if (stage === 'DELIVERED') {
    return [
      {
        action: 'publish',
        label: '公开',
        primary: true,
        confirmTitle: '确认公开',
        confirmLabel: '确认公开',
        confirmText: `${y} 年度统计年报将在门户网站向社会公开，任何人都可查看和下载。公开后不能撤回，只能说明原因后更正，形成新的版本，原版本的公开记录保留。`,
      },
      deliver(false, true),
      draft(false, true),
    ];
  }
  return [];
}

/** Whether the report is public: then a new draft is a correction, with its reason. */
export const needsCorrection = (view: AnnualReportView): boolean => view.current?.stage === 'PUBLISHED';

export const CORRECTION_CONFIRM_TEXT = (year: number, version: number): string =>
  `将按当前数据重新汇总，生成 ${year} 年度统计年报第 ${version + 1} 版草稿，注明更正原因。第 ${version} 版继续公开，直到新版本报送并公开。`;

/** The request body of `POST /reports/annual/{year}`. */
export function actionBody(action: ReportAction, correctionReason?: string): { action: ReportAction; correctionReason?: string } {
  return action === 'draft' && correctionReason !== undefined ? { action, correctionReason: correctionReason.trim() } : { action };
}

export interface CorrectionDraft {
  reason: string;
}
export const emptyCorrection = (): CorrectionDraft => ({ reason: '' });
export const CORRECTION_FIELDS = ['correctionReason'] as const;
/** The form's own check before the confirmation (the API checks again: at least 4 characters). */
export const correctionProblem = (d: CorrectionDraft): string | undefined => (d.reason.trim() === '' ? '请填写更正原因' : undefined);

/** What was done, in a sentence, from the view the API answered. */
export function doneText(action: ReportAction, view: AnnualReportView): string {
  const c = view.current;
  const v = c ? `第 ${c.version} 版` : '';
  switch (action) {
    case 'draft':
      return c?.correction ? `已生成更正版本（${v}）草稿：${c.correction.reason}。请审阅后报送、公开。` : `已生成 ${view.year} 年度统计年报草稿（${v}）。请审阅后报送。`;
    case 'deliver':
      return `已报送 ${view.year} 年度统计年报（${v}）给司法行政部门和上级主管部门。`;
    case 'publish':
      return `已公开 ${view.year} 年度统计年报（${v}），门户网站已可查看。`;
  }
}

/** The stage before and after a reload (a 409: someone else moved the report meanwhile), in words. */
export function stageChange(before: AnnualReportView, after: AnnualReportView): string {
  const name = (v: AnnualReportView) => (v.current ? `第 ${v.current.version} 版 ${STAGE_LABELS[v.current.stage]}` : '尚未生成');
  return name(before) === name(after) ? '统计年报没有变化，可以重新操作。' : `统计年报已被他人办理：${name(before)} → ${name(after)}。`;
}

// ---------------------------------------------------------------- the figures

export type FigureKind = 'count' | 'percent' | 'yuan';
export interface FigureRow {
  readonly key: keyof typeof FIGURE_LABELS;
  readonly label: string;
  readonly kind: FigureKind;
  readonly value: (f: ReportFigures) => number | Percent | string;
}

/** The rows of the report's tables, in its order (FIGURE_ROWS, kept equal by a unit test). */
export const FIGURE_ROWS: readonly FigureRow[] = (
  [
    ['licensingApplied', '行政许可申请（件）', 'count', (f) => f.licensing.applied],
    ['licensingAccepted', '受理（件）', 'count', (f) => f.licensing.accepted],
    ['licensingGranted', '准予许可（件）', 'count', (f) => f.licensing.granted],
    ['licensingRefused', '不予许可（件）', 'count', (f) => f.licensing.refused],
    ['licensingRevoked', '撤销、吊销许可（件）', 'count', (f) => f.licensing.revoked],
    ['penaltiesTotal', '行政处罚决定（件）', 'count', (f) => f.penalties.total],
    ['finesYuan', '罚没款：罚款（元）', 'yuan', (f) => f.penalties.finesYuan],
    ['confiscatedYuan', '罚没款：没收金额（元）', 'yuan', (f) => f.penalties.confiscatedYuan],
    ['finesCollectedYuan', '罚款收缴金额（元）', 'yuan', (f) => f.penalties.finesCollectedYuan],
    ['coerciveMeasures', '行政强制措施（件）', 'count', (f) => f.coerciveMeasures],
    ['inspections', '行政检查（次）', 'count', (f) => f.inspections],
    ['otherActs', '其他行政行为（件）', 'count', (f) => f.otherActs],
    ['reconsiderations', '行政复议（件）', 'count', (f) => f.remedies.reconsiderations],
    ['litigations', '行政诉讼（件，含二审、再审）', 'count', (f) => f.remedies.litigations],
    ['remediesDecided', '复议、诉讼结果（件）', 'count', (f) => f.remedies.decided],
    ['outcomeUpheld', '其中：维持（件）', 'count', (f) => f.remedies.outcomes.UPHELD],
    ['outcomeChanged', '其中：变更（件）', 'count', (f) => f.remedies.outcomes.CHANGED],
    ['outcomeRevoked', '其中：撤销（件）', 'count', (f) => f.remedies.outcomes.REVOKED],
    ['outcomeConfirmedUnlawful', '其中：确认违法（件）', 'count', (f) => f.remedies.outcomes.CONFIRMED_UNLAWFUL],
    ['outcomeRemanded', '其中：责令重新作出（件）', 'count', (f) => f.remedies.outcomes.REMANDED],
    ['remediesCorrectedPercent', '纠错率（%）', 'percent', (f) => f.remedies.correctedPercent],
    ['reviewsDone', '法制审核（件）', 'count', (f) => f.reviews.done],
    ['reviewsPassed', '审核通过（件）', 'count', (f) => f.reviews.passed],
    ['reviewsReturned', '退回补充或修改（件）', 'count', (f) => f.reviews.returned],
    ['disclosureDue', '应公示决定（件）', 'count', (f) => f.disclosure.due],
    ['disclosureOnTime', '按时公示（件）', 'count', (f) => f.disclosure.onTime],
    ['disclosureOnTimePercent', '按时公示率（%）', 'percent', (f) => f.disclosure.onTimePercent],
    ['officersTotal', '执法人员（人）', 'count', (f) => f.officers.total],
    ['officersValid', '持有效执法证件（人）', 'count', (f) => f.officers.validCertificates],
    ['officersValidPercent', '持证率（%）', 'percent', (f) => f.officers.validCertificatesPercent],
    ['officersTrained', '年度培训满 40 学时（人）', 'count', (f) => f.officers.trainedEnough],
    ['officersTrainedPercent', '培训达标率（%）', 'percent', (f) => f.officers.trainedEnoughPercent],
    ['reviewersCount', '法制审核人员（人）', 'count', (f) => f.reviewers.reviewers],
    ['reviewersRatioPercent', '审核人员占执法人员比例（%）', 'percent', (f) => f.reviewers.ratioPercent],
  ] as const satisfies readonly (readonly [keyof typeof FIGURE_LABELS, string, FigureKind, FigureRow['value']])[]
).map(([key, label, kind, value]) => ({ key, label, kind, value }));

/** The rows shown first (the page's summary); all rows, and the penalties by type, on request. */
export const MAIN_FIGURES: readonly (keyof typeof FIGURE_LABELS)[] = [
  'penaltiesTotal',
  'finesYuan',
  'finesCollectedYuan',
  'licensingGranted',
  'coerciveMeasures',
  'inspections',
  'reviewsDone',
  'disclosureOnTimePercent',
  'remediesCorrectedPercent',
  'officersValidPercent',
  'officersTrainedPercent',
  'reviewersRatioPercent',
];

/** 罚款 etc.: the penalties by type, each as a row `其中：警告（件）`. */
export const PENALTY_ROWS: readonly { readonly type: keyof typeof PENALTY_TYPE_LABELS; readonly label: string }[] = (Object.keys(PENALTY_TYPE_LABELS) as (keyof typeof PENALTY_TYPE_LABELS)[]).map((type) => ({
  type,
  label: `其中：${PENALTY_TYPE_LABELS[type]}（件）`,
}));

/** Shown for a percentage with nothing to divide by (无分母，不适用). */
export const NOT_APPLICABLE = '—';

/** "1234567.5" → "1,234,567.50". */
export function formatYuan(decimal: string): string {
  const [int = '0', frac = ''] = decimal.split('.');
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(frac + '00').slice(0, 2)}`;
}

/** A figure as text: counts as integers, percentages with one decimal, yuan as above (figure-rows.ts formatFigure). */
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

/** The portal's page of a year's published report (the console is served from the portal's origin). */
export const portalReportPath = (year: number): string => `/reports/${year}`;
