/**
 * The holiday calendar as data (D7, N4; issue 11): the request and answer schemas of
 * `GET|PUT /calendar/{year}` and `GET /public/calendar/{year}`, and the pure parts of the year view —
 * which source a year's days come from, the package's festivals, and where an entered year disagrees
 * with the package.
 *
 * The rules an arrangement must meet (off days a range, adjusted days on weekends, dates in the year's
 * window, no name or date twice) are `arrangementProblems` in working-days.ts, the same check the
 * override file gets at load: the zod schemas here only check the shape.
 */
import * as z from './z.ts';
import { calendarDate, FIRST_YEAR, LAST_YEAR } from './dates.ts';
import { versionOrNew } from './numbers.ts';
import { multiLineText, singleLineText } from './text.ts';
import type { FestivalArrangement, HolidayNotice } from './holiday-overrides.ts';
import {
  arrangementDays,
  createCalendar,
  HOLIDAY_DATA_SOURCE,
  packageDaysOf,
  type ArrangementDay,
  type DayInfo,
  type WorkingDayCalendar,
} from './working-days.ts';

// ---------------------------------------------------------------------------------------------
// Requests

export const calendarYear = z
  .string()
  .regex(/^\d{4}$/, { message: '年份应为四位数字' })
  .transform(Number)
  .pipe(z.number().int().min(FIRST_YEAR, { message: `年份应在 ${FIRST_YEAR}–${LAST_YEAR} 之间` }).max(LAST_YEAR, { message: `年份应在 ${FIRST_YEAR}–${LAST_YEAR} 之间` }))
  .meta({ description: '年份（通知所属年度）', example: '2027' });

export const calendarYearParams = z.strictObject({ year: calendarYear });

export const holidayNotice = z
  .strictObject({
    title: singleLineText({ min: 4, max: 200 }).meta({ description: '通知名称，如 国务院办公厅关于2027年部分节假日安排的通知' }),
    documentNo: singleLineText({ min: 2, max: 60 }).meta({ description: '文号，如 国办发明电〔2026〕7号' }),
  })
  .meta({ id: 'HolidayNotice' });

export const festivalArrangement = z
  .strictObject({
    name: singleLineText({ min: 1, max: 20 }).meta({ description: '节日名称，如 春节；合并放假可写 国庆节、中秋节' }),
    off: z.tuple([calendarDate, calendarDate]).meta({ description: '放假日期 [起始日, 结束日]（含两端）' }),
    work: z.array(calendarDate).max(10).default([]).meta({ description: '调休上班日（须为周六或周日）' }),
  })
  .meta({ id: 'FestivalArrangement' });

/** PUT /calendar/{year}: one notice, transcribed. */
export const calendarPutBody = z.strictObject({
  version: versionOrNew.meta({ description: '读取时的版本号（乐观锁）；首次录入为 0' }),
  notice: holidayNotice,
  festivals: z.array(festivalArrangement).min(1).max(20),
  reason: multiLineText({ min: 2, max: 500 })
    .optional()
    .meta({ description: '修改已录入的年份，或录入程序包已有数据的年份时必填' }),
});
export type CalendarPutBody = z.infer<typeof calendarPutBody>;

// ---------------------------------------------------------------------------------------------
// Answers

/**
 * Where a year's days come from: the bundled package, the override file shipped with the code, an
 * administrator's entry (which wins over both), or nowhere (deadlines reaching it are provisional).
 */
export const CALENDAR_SOURCES = ['PACKAGE', 'OVERRIDE_FILE', 'ENTERED', 'NONE'] as const;
export type CalendarSource = (typeof CALENDAR_SOURCES)[number];

const daySide = z.object({
  working: z.boolean(),
  kind: z.enum(['WORKDAY', 'WEEKEND', 'HOLIDAY', 'ADJUSTED_WORKDAY']),
  reason: z.string().nullable(),
});
export type DaySide = z.infer<typeof daySide>;

export const dayDifference = z
  .object({ date: z.string(), package: daySide, entered: daySide })
  .meta({ id: 'CalendarDayDifference', description: '录入的安排与程序包数据计算结果不同的日期' });
export type DayDifference = z.infer<typeof dayDifference>;

const festivalOut = z.object({ name: z.string(), off: z.tuple([z.string(), z.string()]), work: z.array(z.string()) });

/** The public view: what counts and why, without who entered it. */
export const publicCalendarYear = z
  .object({
    year: z.number().int(),
    source: z.enum(CALENDAR_SOURCES).meta({ description: '数据来源：PACKAGE 程序包；OVERRIDE_FILE 随程序发布的补充数据；ENTERED 管理员录入；NONE 尚无' }),
    package: z.object({ name: z.string(), version: z.string(), covers: z.boolean() }),
    version: z.number().int().meta({ description: '录入的版本号；未录入为 0' }),
    notice: z.object({ title: z.string(), documentNo: z.string() }).nullable(),
    festivals: z.array(festivalOut),
    enteredAt: z.string().nullable(),
    differsFromPackage: z.boolean(),
    differences: z.array(dayDifference),
    note: z.string(),
  })
  .meta({ id: 'CalendarYear' });
export type PublicCalendarYear = z.infer<typeof publicCalendarYear>;

/** One stored version of an entered year (history, staff only). */
export interface CalendarHistoryEntry {
  readonly version: number;
  readonly notice: HolidayNotice;
  readonly enteredAt: string;
  readonly enteredBy: string;
  readonly reason: string | null;
  readonly differsFromPackage: boolean;
}

export interface CalendarYearView extends PublicCalendarYear {
  readonly enteredBy: string | null;
  readonly reason: string | null;
  readonly history: readonly CalendarHistoryEntry[];
}

// ---------------------------------------------------------------------------------------------
// Pure parts of the view

const side = (info: DayInfo): DaySide => ({ working: info.working, kind: info.kind, reason: info.reason });

let packageOnly: WorkingDayCalendar | undefined;

/**
 * The dates on which an arrangement entered for `year` is counted differently (working or not) from
 * the package's data; empty when the package does not cover the year or agrees.
 */
export function differencesFromPackage(year: number, festivals: readonly FestivalArrangement[]): DayDifference[] {
  const packaged = packageDaysOf(year);
  if (packaged.size === 0) return [];
  const entered = { year, festivals, source: 'entered' as const };
  packageOnly ??= createCalendar([]);
  const withEntry = createCalendar([entered]);
  const dates = [...new Set([...packaged.keys(), ...arrangementDays(entered).keys()])].sort();
  const out: DayDifference[] = [];
  for (const date of dates) {
    const before = packageOnly.describeDay(date);
    const after = withEntry.describeDay(date);
    if (before.working !== after.working) out.push({ date, package: side(before), entered: side(after) });
  }
  return out;
}

const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const isWeekendDay = (date: string): boolean => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

/** Whether `date` continues a run ending on `last`: the next day, or after weekend days only (2011 端午节 lacks its Sunday). */
function continues(last: string, date: string, days: ReadonlyMap<string, ArrangementDay>): boolean {
  for (let d = nextDay(last); d < date; d = nextDay(d)) if (!isWeekendDay(d) || days.has(d)) return false;
  return true;
}

/**
 * The package's days of a year as festivals: each run of consecutive days off is one festival (named
 * after the festivals in it, e.g. 国庆节、中秋节; a weekend the package left out inside one festival
 * does not break it), with the adjusted working days of the same festival nearest to it.
 */
export function festivalsFromDays(days: ReadonlyMap<string, ArrangementDay>): FestivalArrangement[] {
  const sorted = [...days].sort(([a], [b]) => a.localeCompare(b));
  const runs: { dates: string[]; names: string[]; work: string[] }[] = [];
  for (const [date, entry] of sorted) {
    if (entry.working) continue;
    const last = runs.at(-1);
    if (last && (nextDay(last.dates.at(-1)!) === date || (last.names.includes(entry.name) && continues(last.dates.at(-1)!, date, days)))) {
      last.dates.push(date);
      if (!last.names.includes(entry.name)) last.names.push(entry.name);
    } else runs.push({ dates: [date], names: [entry.name], work: [] });
  }
  const distance = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b));
  for (const [date, entry] of sorted) {
    if (!entry.working || runs.length === 0) continue;
    const candidates = runs.some((r) => r.names.includes(entry.name)) ? runs.filter((r) => r.names.includes(entry.name)) : runs;
    const nearest = candidates.reduce((best, r) =>
      Math.min(distance(date, r.dates[0]!), distance(date, r.dates.at(-1)!)) < Math.min(distance(date, best.dates[0]!), distance(date, best.dates.at(-1)!)) ? r : best,
    );
    nearest.work.push(date);
  }
  return runs.map((r) => ({ name: r.names.join('、'), off: [r.dates[0]!, r.dates.at(-1)!] as const, work: r.work }));
}

/** The package's arrangement of `year` as festivals (empty when the package does not cover it). */
export const packageFestivals = (year: number): FestivalArrangement[] => festivalsFromDays(packageDaysOf(year));

export const PACKAGE_INFO = { name: HOLIDAY_DATA_SOURCE.package, version: HOLIDAY_DATA_SOURCE.version } as const;
