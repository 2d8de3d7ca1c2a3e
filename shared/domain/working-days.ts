/**
 * Working days and calendar periods (D7 disclosure within 7/20 working days, N4 withdrawal within 3,
 * N9 review within 10, N10 hearing request within 5; N11 90 calendar days; N5 3 months / 3 years).
 *
 * Working days follow the official PRC holiday calendar: the days off and adjusted working days
 * (调休上班) published each year by the State Council. The data comes from the `chinese-days`
 * package's bundled JSON plus `holiday-overrides.ts` for years the package does not cover yet.
 *
 * Why the JSON and not the package's functions: the package parses `YYYY-MM-DD` as UTC midnight but
 * reads dates back with local-time getters, both for its arguments and when it builds its tables at
 * load, so west of UTC its answers are a day off. The JSON was generated once by the package's build;
 * working on its `YYYY-MM-DD` keys with UTC weekdays keeps this module independent of the process
 * time zone, and keeps the package's lunar tables out of the Lambda bundles.
 *
 * Why the provisional mark: the package treats a year it has no data for as plain Monday–Friday,
 * which would quietly put a deadline on what turns out to be a holiday. A deadline must never block a
 * legal act either, so a day in a year without an arrangement is counted Monday–Friday and the result
 * says so (`provisional`, naming the year); the deadline is recomputed once the year is entered
 * (shared/services/provisional.ts).
 *
 * Everything here is pure and synchronous: the data is bundled and indexed once at module load.
 */
import packageHolidayData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import packageManifest from 'chinese-days/package.json' with { type: 'json' };
import { isCalendarDate } from './dates.ts';
import { ValidationError } from './errors.ts';
import { HOLIDAY_OVERRIDES, type FestivalArrangement, type HolidayNotice } from './holiday-overrides.ts';

// ---------------------------------------------------------------------------------------------
// Public types

/** A non-working day passed over while counting, with why it does not count. */
export interface SkippedDay {
  readonly date: string;
  /** '周六', '周日' or the festival, e.g. '国庆节'. */
  readonly reason: string;
}

/** A Saturday or Sunday that counted because the official arrangement made it a working day. */
export interface AdjustedWorkday {
  readonly date: string;
  /** e.g. '国庆节调休上班'. */
  readonly reason: string;
}

/** A working-day deadline and how it was reached (shown in the case view). */
export interface WorkingDayResult {
  /** The starting date (day 0, e.g. the decision date); it never counts itself. */
  readonly start: string;
  /** The n-th working day after `start`; `start` itself when n = 0. */
  readonly dueDate: string;
  /** n, the number of working days in (start, dueDate]. */
  readonly workingDays: number;
  /** Every non-working day in (start, dueDate], in date order. */
  readonly skipped: readonly SkippedDay[];
  /** Weekend days in (start, dueDate] that counted as working days, in date order. */
  readonly adjustedWorkdays: readonly AdjustedWorkday[];
  /**
   * Present when a day counted lies in a year without an official arrangement: those days were
   * counted Monday–Friday, and the deadline is recomputed once the year is entered.
   */
  readonly provisional?: ProvisionalNote;
}

/** Why a deadline is provisional: the years whose holiday arrangement is still missing. */
export interface ProvisionalNote {
  readonly missingYears: readonly number[];
  /** zh-CN, e.g. "尚无 2027 年法定节假日安排，暂按周一至周五计算；录入后自动重新计算". */
  readonly note: string;
}

/** The zh-CN explanation shown wherever a provisional deadline is. */
export const provisionalNote = (missingYears: readonly number[]): ProvisionalNote => ({
  missingYears: [...missingYears],
  note: `尚无 ${missingYears.join('、')} 年法定节假日安排，暂按周一至周五计算；录入该年安排后自动重新计算`,
});

export type DayKind = 'WORKDAY' | 'WEEKEND' | 'HOLIDAY' | 'ADJUSTED_WORKDAY';

/** What one day is in the official calendar. */
export interface DayInfo {
  readonly date: string;
  readonly working: boolean;
  readonly kind: DayKind;
  /** zh-CN explanation for every day except an ordinary Monday–Friday working day (null). */
  readonly reason: string | null;
  /** The year whose missing arrangement makes this day's answer provisional (Monday–Friday). */
  readonly provisionalYear?: number;
}

export interface WorkingDayCalendar {
  /** Years with an official arrangement (package and overrides), ascending. */
  readonly coveredYears: readonly number[];
  /** Years whose arrangement comes from the override file, ascending. */
  readonly overrideYears: readonly number[];
  isWorkingDay(date: string): boolean;
  describeDay(date: string): DayInfo;
  addWorkingDays(start: string, n: number): WorkingDayResult;
  /** Signed working days from `from` to `to` (see the module-level `workingDaysBetween`). */
  workingDaysBetween(from: string, to: string): number;
}

// ---------------------------------------------------------------------------------------------
// Date arithmetic on `YYYY-MM-DD` strings, in UTC so the host time zone never shifts a day.

const MS_PER_DAY = 86_400_000;
const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;

function assertDate(value: string, path: string): void {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new ValidationError('日期无效，应为真实存在的日期，格式 YYYY-MM-DD', [
      { path, message: `“${String(value)}”不是有效日期` },
    ]);
  }
}

function assertInteger(value: number, path: string, min = Number.MIN_SAFE_INTEGER): void {
  // A non-integer count is a programming error (the periods are constants), not user input.
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${path} must be an integer ≥ ${min}, got ${value}`);
  }
}

function parts(date: string): [year: number, month: number, day: number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function toDayNumber(date: string): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Results outside the range `calendarDate` accepts would not round-trip through the API. */
function checkedResult(date: string): string {
  if (!isCalendarDate(date)) throw new RangeError(`date arithmetic left the supported range (1900–2200): ${date}`);
  return date;
}

function weekday(date: string): number {
  return new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay();
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `start` plus n calendar days (n may be negative). N11: the 90-day case limit. */
export function addCalendarDays(start: string, n: number): string {
  assertDate(start, 'start');
  assertInteger(n, 'n');
  return checkedResult(fromDayNumber(toDayNumber(start) + n));
}

/**
 * The same day of the month n months later (n may be negative), clamped to the month's last day:
 * 2026-01-31 + 1 month = 2026-02-28. N5: the 3-month disclosure period. Whether a period ends on this
 * date or the day before is the caller's rule, not this function's.
 */
export function addMonths(start: string, n: number): string {
  assertDate(start, 'start');
  assertInteger(n, 'n');
  const [y, m, d] = parts(start);
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return checkedResult(format(year, month, Math.min(d, daysInMonth(year, month))));
}

/** n years later, clamped like addMonths: 2024-02-29 + 1 year = 2025-02-28. N5: 3 years. */
export function addYears(start: string, n: number): string {
  assertInteger(n, 'n');
  return addMonths(start, n * 12);
}

// ---------------------------------------------------------------------------------------------
// The package's data

interface DayEntry {
  readonly working: boolean;
  readonly name: string;
}

/**
 * The package writes some festivals short (清明, 端午, 中秋); users read deadlines explained with the
 * names the State Council's notices use.
 */
const FULL_NAMES: Readonly<Record<string, string>> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

/** Package values look like "National Day,国庆节,3": English name, Chinese name, statutory days. */
function packageName(date: string, value: string): string {
  const zh = value.split(',')[1]?.trim();
  if (!zh) throw new Error(`chinese-days ${packageManifest.version}: unexpected holiday entry ${date} = ${value}`);
  return FULL_NAMES[zh] ?? zh;
}

function loadPackageData(): { days: Map<string, DayEntry>; years: number[] } {
  const days = new Map<string, DayEntry>();
  for (const [date, value] of Object.entries(packageHolidayData.holidays as Record<string, string>)) {
    days.set(date, { working: false, name: packageName(date, value) });
  }
  for (const [date, value] of Object.entries(packageHolidayData.workdays as Record<string, string>)) {
    days.set(date, { working: true, name: packageName(date, value) });
  }
  // A year counts as covered when the package has days off in it: every official arrangement has
  // at least New Year's Day. Adjusted working days are not used because a New Year arrangement can
  // put one in late December of the previous year (2018-12-29 belongs to the 2019 notice).
  const years = [...new Set(Object.keys(packageHolidayData.holidays).map((d) => Number(d.slice(0, 4))))].sort(
    (a, b) => a - b,
  );
  if (years.length === 0) throw new Error(`chinese-days ${packageManifest.version} holds no holiday data`);
  return { days, years };
}

// Built on first use, not at import: most invocations never count a working day, and building the
// days of twenty years costs every cold start about 5 ms (issue 13).
let packageData: ReturnType<typeof loadPackageData> | undefined;
const PACKAGE_DATA = (): ReturnType<typeof loadPackageData> => (packageData ??= loadPackageData());

/** Where the built-in data comes from; shown in diagnostics and pinned by the unit tests. */
export const HOLIDAY_DATA_SOURCE: { readonly package: 'chinese-days'; readonly version: string; readonly firstYear: number; readonly lastYear: number } = {
  package: 'chinese-days',
  version: packageManifest.version,
  get firstYear(): number {
    return PACKAGE_DATA().years[0]!;
  },
  get lastYear(): number {
    return PACKAGE_DATA().years.at(-1)!;
  },
};

// ---------------------------------------------------------------------------------------------
// Holiday arrangements: the override file and the years an administrator enters at run time
// (issue 11). One validation serves both: `arrangementProblems` names each bad field, the file
// fails at load with them, and PUT /calendar/{year} answers them as 422 details.

const OVERRIDE_FILE = 'shared/domain/holiday-overrides.ts';

/**
 * From this day of December on, a date also depends on the next year's notice: New Year
 * arrangements have moved 29–31 December before (2006, 2007, 2011, 2018, 2022). A week's margin.
 */
const DECEMBER_SPILL_FROM = 25;

/** The longest arrangement so far (Spring Festival 2020, extended) lasted under a month. */
const MAX_OFF_SPAN_DAYS = 31;

/** Where an arrangement given to `createCalendar` comes from. */
export type ArrangementSource = 'file' | 'entered';

/** One year's arrangement as `createCalendar` takes it. */
export interface CalendarArrangement {
  readonly year: number;
  readonly notice?: HolidayNotice;
  readonly festivals: readonly FestivalArrangement[];
  /** `file`: holiday-overrides.ts (needs its notice); `entered`: PUT /calendar/{year}. @default 'file' */
  readonly source?: ArrangementSource;
}

/** A day an arrangement names: off (`working: false`) or an adjusted working day, with its festival. */
export type ArrangementDay = DayEntry;

/** A bad field of an arrangement; `path` is relative to the arrangement, e.g. `festivals.1.off`. */
export interface ArrangementProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The official arrangement a date belongs to: its own year's, except 25–31 December, which belong to
 * the next year's notice (every late-December day in the package is a New Year day).
 */
export function noticeYearOf(date: string): number {
  const [y, m, d] = parts(date);
  return m === 12 && d >= DECEMBER_SPILL_FROM ? y + 1 : y;
}

/** The dates an arrangement for `year` may name: the year, and 25–31 December before it. */
export function arrangementWindow(year: number): { readonly first: string; readonly last: string } {
  return { first: format(year - 1, 12, DECEMBER_SPILL_FROM), last: format(year, 12, 31) };
}

const isWeekend = (date: string): boolean => [0, 6].includes(weekday(date));

/** Every field-level problem of one arrangement (empty when it is valid), in field order. */
export function arrangementProblems(arrangement: CalendarArrangement): ArrangementProblem[] {
  const problems: ArrangementProblem[] = [];
  const problem = (path: string, message: string) => void problems.push({ path, message });
  const { year } = arrangement;
  if (!Number.isInteger(year) || year < 1901 || year > 2199) {
    problem('year', '年份无效');
    return problems;
  }
  if (arrangement.notice !== undefined || (arrangement.source ?? 'file') === 'file') {
    if (!arrangement.notice?.title?.trim()) problem('notice.title', '缺少通知名称');
    if (!arrangement.notice?.documentNo?.trim()) problem('notice.documentNo', '缺少通知文号');
  }
  if (!Array.isArray(arrangement.festivals) || arrangement.festivals.length === 0) {
    problem('festivals', '没有任何节日安排');
    return problems;
  }
  const window = arrangementWindow(year);
  const dateProblem = (date: unknown, what: string): string | undefined => {
    if (typeof date !== 'string' || !isCalendarDate(date)) return `${what}“${String(date)}”不是有效日期（YYYY-MM-DD）`;
    if (date < window.first || date > window.last) return `${what} ${date} 不在 ${year} 年内（或上一年 12 月 ${DECEMBER_SPILL_FROM}–31 日）`;
    return undefined;
  };
  // Which festival claimed each date first, to name the other one when a date appears twice.
  const claimed = new Map<string, string>();
  const names = new Map<string, number>();
  arrangement.festivals.forEach((festival, i) => {
    const at = `festivals.${i}`;
    const name = typeof festival.name === 'string' ? festival.name.trim() : '';
    if (!name) problem(`${at}.name`, '节日名称为空');
    else if (names.has(name)) problem(`${at}.name`, `节日“${name}”重复出现（与第 ${names.get(name)! + 1} 项同名）`);
    else names.set(name, i);
    const label = name || `第 ${i + 1} 项节日`;

    const off: readonly unknown[] = Array.isArray(festival.off) ? festival.off : [];
    const offProblems = [0, 1].map((k) => dateProblem(off[k], `${label}放假${k === 0 ? '起始' : '结束'}日`));
    if (off.length !== 2) problem(`${at}.off`, '放假日期应为 [起始日, 结束日]（含两端）');
    else if (offProblems[0]) problem(`${at}.off.0`, offProblems[0]);
    else if (offProblems[1]) problem(`${at}.off.1`, offProblems[1]);
    else {
      const [first, last] = off as [string, string];
      const span = toDayNumber(last) - toDayNumber(first);
      if (span < 0) problem(`${at}.off`, `${label}放假日期范围倒置：结束日 ${last} 早于起始日 ${first}`);
      else if (span > MAX_OFF_SPAN_DAYS) problem(`${at}.off`, `${label}放假日期范围 ${first}–${last} 超过 ${MAX_OFF_SPAN_DAYS + 1} 天`);
      else {
        const overlaps: string[] = [];
        for (let day = toDayNumber(first); day <= toDayNumber(last); day++) {
          const date = fromDayNumber(day);
          const other = claimed.get(date);
          if (other !== undefined) overlaps.push(`${date}（已属${other}）`);
          else claimed.set(date, label);
        }
        if (overlaps.length > 0) problem(`${at}.off`, `${label}放假日期与其他安排重叠：${overlaps.join('、')}`);
      }
    }

    const work: readonly unknown[] = Array.isArray(festival.work) ? festival.work : [];
    if (!Array.isArray(festival.work)) problem(`${at}.work`, '调休上班日应为日期列表（可为空）');
    work.forEach((date, k) => {
      const path = `${at}.work.${k}`;
      const bad = dateProblem(date, `${label}调休上班日`);
      if (bad) return problem(path, bad);
      const d = date as string;
      if (!isWeekend(d)) return problem(path, `${label}调休上班日 ${d} 是${WEEKDAY_NAMES[weekday(d)]}，调休上班日应为周六或周日`);
      const other = claimed.get(d);
      if (other !== undefined) return problem(path, `${d} 重复出现（已属${other}）`);
      claimed.set(d, `${label}调休上班`);
    });
  });
  return problems;
}

/** The days a valid arrangement names (check `arrangementProblems` first). */
export function arrangementDays(arrangement: CalendarArrangement): Map<string, ArrangementDay> {
  const days = new Map<string, ArrangementDay>();
  for (const festival of arrangement.festivals) {
    const name = festival.name.trim();
    const [first, last] = festival.off;
    for (let day = toDayNumber(first); day <= toDayNumber(last); day++) days.set(fromDayNumber(day), { working: false, name });
    for (const date of festival.work) days.set(date, { working: true, name });
  }
  return days;
}

/** The package's days of one notice year (see `noticeYearOf`); empty for a year it does not cover. */
let packageDaysByYear: ReadonlyMap<number, ReadonlyMap<string, ArrangementDay>> | undefined;
const PACKAGE_DAYS_BY_YEAR = (): ReadonlyMap<number, ReadonlyMap<string, ArrangementDay>> =>
  (packageDaysByYear ??= (() => {
    const byYear = new Map<number, Map<string, ArrangementDay>>();
    for (const [date, entry] of [...PACKAGE_DATA().days].sort(([a], [b]) => a.localeCompare(b))) {
      const year = noticeYearOf(date);
      if (!byYear.has(year)) byYear.set(year, new Map());
      byYear.get(year)!.set(date, entry);
    }
    return byYear;
  })());

/** Whether the packaged data holds an official arrangement for `year`. */
export const packageCovers = (year: number): boolean => PACKAGE_DATA().years.includes(year);

/** The packaged days of `year`'s arrangement, in date order (empty when the package lacks the year). */
export function packageDaysOf(year: number): ReadonlyMap<string, ArrangementDay> {
  return PACKAGE_DAYS_BY_YEAR().get(year) ?? new Map();
}

/** Checks an arrangement given to `createCalendar` and returns its days; a bad one fails at load. */
function overrideDays(arrangement: CalendarArrangement): Map<string, ArrangementDay> {
  const problems = arrangementProblems(arrangement);
  if (problems.length > 0) {
    const where = (arrangement.source ?? 'file') === 'file' ? `节假日补充数据 ${OVERRIDE_FILE} 中` : '已录入的';
    throw new Error(`${where} ${String(arrangement.year)} 年的安排有误：${problems.map((p) => `${p.path}：${p.message}`).join('；')}`);
  }
  return arrangementDays(arrangement);
}

// ---------------------------------------------------------------------------------------------
// The calendar

/**
 * A calendar from the package's data plus the given arrangements (the override file, the years
 * entered at run time: shared/services/calendar.ts), each of which replaces the package's days of its
 * year. Tests inject a fake year here; `currentCalendar()` builds the application's.
 */
export function createCalendar(overrides: readonly CalendarArrangement[]): WorkingDayCalendar {
  const days = new Map(PACKAGE_DATA().days);
  const covered = new Set(PACKAGE_DATA().years);
  const overrideYears: number[] = [];
  for (const arrangement of overrides) {
    if (overrideYears.includes(arrangement.year)) throw new Error(`${arrangement.year} 年的节假日安排出现多次（同一年份出现多次）`);
    overrideYears.push(arrangement.year);
    const arranged = overrideDays(arrangement);
    // A year's arrangement replaces the package's days of that year as a whole (an entered
    // correction may drop a day), then its own days apply.
    for (const date of packageDaysOf(arrangement.year).keys()) days.delete(date);
    for (const [date, entry] of arranged) days.set(date, entry);
    covered.add(arrangement.year);
  }

  /**
   * The year whose arrangement a date depends on and that is missing, if any: its own year, or, from
   * 25 December, the next year (a New Year arrangement can move the last days of December).
   */
  const missingYear = (date: string): number | undefined => {
    const [y, m, d] = parts(date);
    if (!covered.has(y)) return y;
    if (m === 12 && d >= DECEMBER_SPILL_FROM && !covered.has(y + 1)) return y + 1;
    return undefined;
  };

  // The official calendar where the year is covered; Monday–Friday (provisional) where it is not.
  const classify = (date: string): DayInfo => {
    const entry = days.get(date);
    const provisional = missingYear(date);
    const mark = provisional === undefined ? {} : { provisionalYear: provisional };
    if (entry?.working) return { date, working: true, kind: 'ADJUSTED_WORKDAY', reason: `${entry.name}调休上班`, ...mark };
    if (entry) return { date, working: false, kind: 'HOLIDAY', reason: entry.name, ...mark };
    const wd = weekday(date);
    if (wd === 0 || wd === 6) return { date, working: false, kind: 'WEEKEND', reason: WEEKDAY_NAMES[wd]!, ...mark };
    return { date, working: true, kind: 'WORKDAY', reason: null, ...mark };
  };

  const describeDay = (date: string): DayInfo => {
    assertDate(date, 'date');
    return classify(date);
  };

  return {
    coveredYears: [...covered].sort((a, b) => a - b),
    overrideYears: [...overrideYears].sort((a, b) => a - b),
    describeDay,
    isWorkingDay: (date) => describeDay(date).working,
    addWorkingDays(start, n) {
      assertDate(start, 'start');
      assertInteger(n, 'n', 0);
      const skipped: SkippedDay[] = [];
      const adjustedWorkdays: AdjustedWorkday[] = [];
      const missing = new Set<number>();
      // Day 0 is `start` itself (the decision date); counting begins the next day, whatever `start` is.
      let day = toDayNumber(start);
      let counted = 0;
      while (counted < n) {
        day += 1;
        const date = fromDayNumber(day);
        const info = classify(date);
        if (info.provisionalYear !== undefined) missing.add(info.provisionalYear);
        if (!info.working) skipped.push({ date, reason: info.reason! });
        else {
          counted += 1;
          if (info.kind === 'ADJUSTED_WORKDAY') adjustedWorkdays.push({ date, reason: info.reason! });
        }
      }
      const result: WorkingDayResult = { start, dueDate: fromDayNumber(day), workingDays: n, skipped, adjustedWorkdays };
      return missing.size === 0 ? result : { ...result, provisional: provisionalNote([...missing].sort((a, b) => a - b)) };
    },
    workingDaysBetween(from, to) {
      assertDate(from, 'from');
      assertDate(to, 'to');
      const sign = to >= from ? 1 : -1;
      const [lo, hi] = sign === 1 ? [toDayNumber(from), toDayNumber(to)] : [toDayNumber(to), toDayNumber(from)];
      let count = 0;
      for (let day = lo + 1; day <= hi; day++) if (classify(fromDayNumber(day)).working) count++;
      return sign * count;
    },
  };
}

let appCalendar: WorkingDayCalendar | undefined;
const app = (): WorkingDayCalendar => (appCalendar ??= createCalendar(HOLIDAY_OVERRIDES));

/**
 * The application's calendar: the package's data plus the repository's override file, built on first
 * use (an invalid override file therefore fails the first count, and the unit tests load it at once).
 */
export const workingDayCalendar: WorkingDayCalendar = {
  get coveredYears() {
    return app().coveredYears;
  },
  get overrideYears() {
    return app().overrideYears;
  },
  isWorkingDay: (date) => app().isWorkingDay(date),
  describeDay: (date) => app().describeDay(date),
  addWorkingDays: (start, n) => app().addWorkingDays(start, n),
  workingDaysBetween: (from, to) => app().workingDaysBetween(from, to),
};

/**
 * The n-th working day after `start` (day 0), with the days skipped and the adjusted working days
 * counted. D7: 7 / 20 working days after the decision; N4: 3; N9: 10; N10: 5. A day in a year
 * without an official arrangement counts Monday–Friday and makes the result `provisional`: a
 * deadline tracks an act, it never blocks one.
 */
export function addWorkingDays(start: string, n: number): WorkingDayResult {
  return workingDayCalendar.addWorkingDays(start, n);
}

/** Whether the bureau works on `date` (Monday–Friday, provisionally, in a year without data). */
export function isWorkingDay(date: string): boolean {
  return workingDayCalendar.isWorkingDay(date);
}

/** What `date` is and why (`provisionalYear` set in a year without data). */
export function describeDay(date: string): DayInfo {
  return workingDayCalendar.describeDay(date);
}

/**
 * Working days from `from` to `to`: the working days in (from, to] when `to` is later, minus those in
 * (to, from] when it is earlier (an overdue deadline), 0 on the day.
 */
export function workingDaysBetween(from: string, to: string): number {
  return workingDayCalendar.workingDaysBetween(from, to);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return Math.round((Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10)) - Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))) / 86_400_000);
}
