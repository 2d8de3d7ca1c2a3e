/**
 * 节假日安排 (issue 16, point 5; D7, N4, issue 11): the pure parts of the legal division's calendar
 * page — the year's view as the API answers it, the form's draft and the PUT body, where each of the
 * API's problems belongs (`body.festivals.2.off.1` is the third festival's 放假日期), and the words
 * for sources and days.
 */
import type { ApiError, FormErrors } from './errors.ts';

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

export type CalendarSource = 'PACKAGE' | 'OVERRIDE_FILE' | 'ENTERED' | 'NONE';

export const SOURCE_LABELS: Record<CalendarSource, string> = {
  PACKAGE: '程序包数据',
  OVERRIDE_FILE: '随程序发布的补充数据',
  ENTERED: '管理员录入',
  NONE: '尚无安排',
};

export interface FestivalView {
  readonly name: string;
  readonly off: readonly [string, string];
  readonly work: readonly string[];
}

interface DaySide {
  readonly working: boolean;
  readonly kind: string;
  readonly reason: string | null;
}

export interface CalendarYearView {
  readonly year: number;
  readonly source: CalendarSource;
  readonly package: { readonly name: string; readonly version: string; readonly covers: boolean };
  readonly version: number;
  readonly notice: { readonly title: string; readonly documentNo: string } | null;
  readonly festivals: readonly FestivalView[];
  readonly enteredAt: string | null;
  readonly differsFromPackage: boolean;
  readonly differences: readonly { readonly date: string; readonly package: DaySide; readonly entered: DaySide }[];
  readonly note: string;
  readonly enteredBy: string | null;
  readonly reason: string | null;
  readonly history: readonly { readonly version: number; readonly notice: { readonly title: string; readonly documentNo: string }; readonly enteredAt: string; readonly enteredBy: string; readonly reason: string | null; readonly differsFromPackage: boolean }[];
  /** Only in the PUT's answer: when the provisional deadlines reaching the year are counted again. */
  readonly recount?: string;
}

/** What the page says about deadlines (shared/services/calendar.ts: RECOUNT_NOTE, the NONE note). */
export const DEADLINE_EFFECT =
  '工作日期限按此安排计算。某年的安排尚未录入时，跨入该年的期限暂按周一至周五计算（暂定期限）；录入或修改后，这些暂定期限由每小时的定时任务重新计算，并记入各决定的时间线。';


const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** 周六 for 2027-02-20; empty for anything that is not a date. */
export function weekday(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return '';
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(t) ? '' : (WEEKDAYS[new Date(t).getUTCDay()] ?? '');
}

/** Days from `from` to `to`, both counted; 0 when either is not a date or they are reversed. */
export function spanDays(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return 0;
  return Math.round((b - a) / 86_400_000) + 1;
}

/** 2 月 10 日（周三）至 2 月 16 日（周二），共 7 天 */
export function offText(off: readonly [string, string]): string {
  const [from, to] = off;
  const day = (d: string) => `${Number(d.slice(5, 7))} 月 ${Number(d.slice(8, 10))} 日（${weekday(d)}）`;
  if (from === to) return `${day(from)}，共 1 天`;
  return `${day(from)}至 ${day(to)}，共 ${spanDays(from, to)} 天`;
}

export const workText = (work: readonly string[]): string => (work.length === 0 ? '无调休' : work.map((d) => `${Number(d.slice(5, 7))} 月 ${Number(d.slice(8, 10))} 日（${weekday(d)}）`).join('、'));

/** The year's totals: days off and adjusted working days. */
export function totals(festivals: readonly FestivalView[]): { off: number; work: number } {
  return festivals.reduce((t, f) => ({ off: t.off + spanDays(f.off[0], f.off[1]), work: t.work + f.work.length }), { off: 0, work: 0 });
}

export const dayKindLabel = (s: DaySide): string => ({ WORKDAY: '工作日', WEEKEND: '休息日', HOLIDAY: '放假', ADJUSTED_WORKDAY: '调休上班' })[s.kind] ?? (s.working ? '工作日' : '休息日');

// ---------------------------------------------------------------------------------------------
// The form

export interface FestivalDraft {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  /** 调休上班日, as typed: dates separated by commas, spaces or 、. */
  readonly work: string;
}

export interface CalendarDraft {
  readonly title: string;
  readonly documentNo: string;
  readonly festivals: FestivalDraft[];
  readonly reason: string;
}

export const emptyFestival = (): FestivalDraft => ({ name: '', from: '', to: '', work: '' });

/** The form opened on a year: what is in force now (to change), or one empty row. */
export function draftFromView(view: Pick<CalendarYearView, 'notice' | 'festivals'>): CalendarDraft {
  return {
    title: view.notice?.title ?? '',
    documentNo: view.notice?.documentNo ?? '',
    festivals: view.festivals.length > 0 ? view.festivals.map((f) => ({ name: f.name, from: f.off[0], to: f.off[1], work: f.work.join(', ') })) : [emptyFestival()],
    reason: '',
  };
}

/** A saved draft's rows, only the fields a row has (sessionStorage holds whatever was written). */
export function cleanFestivals(value: unknown): FestivalDraft[] {
  if (!Array.isArray(value)) return [emptyFestival()];
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const rows = value.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null).map((r) => ({ name: str(r.name), from: str(r.from), to: str(r.to), work: str(r.work) }));
  return rows.length > 0 ? rows : [emptyFestival()];
}

export const splitDates = (text: string): string[] => text.split(/[\s,，、;；]+/).filter((s) => s.length > 0);

/** Whether changing this year needs a reason: an entered year, or one the package or file already covers. */
export const reasonRequired = (view: Pick<CalendarYearView, 'source'>): boolean => view.source !== 'NONE';

/** PUT /calendar/{year}: the version read, the notice, every row as typed (the API judges them). */
export function putBody(d: CalendarDraft, version: number) {
  const reason = d.reason.trim();
  return {
    version,
    notice: { title: d.title.trim(), documentNo: d.documentNo.trim() },
    festivals: d.festivals.map((f) => ({ name: f.name.trim(), off: [f.from, f.to] as [string, string], work: splitDates(f.work) })),
    ...(reason ? { reason } : {}),
  };
}

/**
 * Each of the API's problems beside what it concerns: `notice.title`, `notice.documentNo`, `reason`,
 * and per row `festivals.<i>.name|off|work` (`off.0`, `off.1` and `work.<k>` belong to the row's
 * field); `festivals` itself (none at all, too many) to the rows' heading. The rest stays above.
 */
export function calendarErrors(error: ApiError): FormErrors {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  const add = (f: string, m: string) => (byField[f] ??= []).push(m);
  for (const d of error.details) {
    const p = (d.path ?? '').split('.');
    const parts = p[0] === 'body' ? p.slice(1) : p;
    const [head, a, b] = parts;
    if (head === 'notice' && (a === 'title' || a === 'documentNo')) add(`notice.${a}`, d.message);
    else if (head === 'notice') add('notice.title', d.message);
    else if (head === 'reason') add('reason', d.message);
    else if (head === 'festivals' && a !== undefined && /^\d+$/.test(a) && (b === 'name' || b === 'off' || b === 'work')) add(`festivals.${a}.${b}`, d.message);
    else if (head === 'festivals' && a !== undefined && /^\d+$/.test(a)) add(`festivals.${a}.name`, d.message);
    else if (head === 'festivals') add('festivals', d.message);
    else general.push(d.message);
  }
  return { byField, general };
}

/** Years the picker offers: a few back (corrections) and two ahead (the next notice). */
export function pickerYears(thisYear: number, selected: number): number[] {
  const years = new Set<number>();
  for (let y = Math.max(FIRST_YEAR, thisYear - 5); y <= Math.min(LAST_YEAR, thisYear + 2); y++) years.add(y);
  years.add(selected);
  return [...years].sort((a, b) => a - b);
}

/**
 * What changed in the year between the version the form was opened on and the one reloaded after a
 * 409, in words: the form keeps what was typed, so the user sees what they would overwrite.
 */
export function calendarChanges(before: CalendarYearView, after: CalendarYearView): string[] {
  const out: string[] = [];
  if (after.version !== before.version) out.push(`现为第 ${after.version} 版${after.enteredBy ? `（${after.enteredBy} 录入${after.reason ? `：${after.reason}` : ''}）` : ''}`);
  if (before.notice?.title !== after.notice?.title) out.push(`通知名称：${after.notice?.title ?? '无'}`);
  if (before.notice?.documentNo !== after.notice?.documentNo) out.push(`文号：${before.notice?.documentNo ?? '无'} → ${after.notice?.documentNo ?? '无'}`);
  const text = (f: FestivalView) => `${offText(f.off)}；调休：${workText(f.work)}`;
  const was = new Map(before.festivals.map((f) => [f.name, f]));
  const now = new Map(after.festivals.map((f) => [f.name, f]));
  for (const [name, f] of now) {
    const old = was.get(name);
    if (!old) out.push(`新增 ${name}：${text(f)}`);
    else if (text(old) !== text(f)) out.push(`${name}：${text(f)}`);
  }
  for (const name of was.keys()) if (!now.has(name)) out.push(`删去 ${name}`);
  return out;
}
