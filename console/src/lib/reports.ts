/**
 * 统计年报 (issue 16, point 5; D13, N13): the annual report's stages as the legal division moves it on
 * (草稿 → 已报送 → 已公开, shared/services/annual-report.ts), the next action with its confirmation, the
 * correction after publication, and the figures as rows. Pure: the section fetches, this decides.
 *
 * The rows, their formatting and the stage names are those of the PDF and the .xlsx
 * (shared/report/figure-rows.ts, data only, bundled here).
 */
import type { FIGURE_LABELS, ReportFigures } from '../../../shared/domain/report-labels.ts';
import { PENALTY_TYPE_LABELS } from '../../../shared/domain/penalty-labels.ts';
import { STAGE_LABELS, beijingTime } from '../../../shared/report/figure-rows.ts';

export { FIGURE_ROWS, NOT_APPLICABLE, STAGE_LABELS, beijingTime, formatFigure, formatYuan, type FigureKind, type FigureRow } from '../../../shared/report/figure-rows.ts';

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
const STAGES: readonly ReportStage[] = ['DRAFT', 'DELIVERED', 'PUBLISHED'];


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

/** The portal's page of a year's published report (the console is served from the portal's origin). */
export const portalReportPath = (year: number): string => `/reports/${year}`;
