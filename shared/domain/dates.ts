/**
 * Calendar dates are `YYYY-MM-DD` strings in Asia/Shanghai; instants are ISO-8601 strings.
 * Never pass `Date` objects around for calendar days: time zones shift them.
 */
import * as z from './z.ts';
import { shanghaiDateTime } from './shanghai-time.ts';

export { shanghaiDateTime };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when the string is a real calendar date (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || y < 1900 || y > 2200) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/**
 * The years a request's calendar date may fall in. isCalendarDate itself accepts 1900–2200 (it also
 * checks birth dates inside ID numbers); a date the bureau records or plans lies in 2000–2100.
 */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;
const FIRST_DATE = `${FIRST_YEAR}-01-01`;
const LAST_DATE = `${LAST_YEAR}-12-31`;

export const calendarDate = z
  .string()
  .refine(isCalendarDate, { message: '日期无效，应为真实存在的日期，格式 YYYY-MM-DD' })
  // Only for real dates, so that a malformed one gets the one message above.
  .refine((v) => !isCalendarDate(v) || (v >= FIRST_DATE && v <= LAST_DATE), { message: `日期应在 ${FIRST_YEAR} 年至 ${LAST_YEAR} 年之间` })
  .meta({ format: 'date', example: '2026-11-26' });

/** Tolerated lead of a client's clock over ours when it says when something happened. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The earliest instant a request may record: nothing the platform records happened before 2000. */
export const EARLIEST_INSTANT_MS = Date.UTC(FIRST_YEAR, 0, 1);

export interface PastOptions {
  /** The clock to judge "not in the future" by (tests and handlers with their own clock). */
  readonly clock?: () => Date;
  /** How far ahead of the clock a value may be (default CLOCK_SKEW_MS). */
  readonly skewMs?: number;
  /** Message for a value in the future, e.g. '采集时间不能晚于当前时间'. */
  readonly futureMessage?: string;
}

const systemClock = (): Date => new Date();

/**
 * A calendar date on which something happened (training completed, a collective discussion held):
 * from 2000-01-01 to today in Asia/Shanghai, judged at the clock plus the skew, as a field-level 400.
 * Dates of a case and its decision (filing, decision, change) are judged by the services instead, as
 * 422 business rules naming the rule (shared/domain/date-rules.ts).
 */
export function pastDate({ clock = systemClock, skewMs = CLOCK_SKEW_MS, futureMessage = '日期不能晚于今天' }: PastOptions = {}) {
  return calendarDate.refine((v) => !isCalendarDate(v) || v <= shanghaiToday(new Date(clock().getTime() + skewMs)), { message: futureMessage });
}

const INSTANT_MESSAGE = '时间应为带时区的 ISO-8601 时间，如 2026-03-05T09:30:00+08:00';

/** An ISO-8601 date-time with offset (`Z` or `+08:00`), within 2000–2100. */
export const instant = z
  .iso.datetime({ offset: true, message: INSTANT_MESSAGE })
  .refine((v) => {
    const t = Date.parse(v);
    return t >= EARLIEST_INSTANT_MS && t < Date.UTC(LAST_YEAR + 1, 0, 1);
  }, { message: `时间应在 ${FIRST_YEAR} 年至 ${LAST_YEAR} 年之间` });

/**
 * An instant at which something happened (an evidence capture): not before 2000, not later than the
 * clock plus the skew. Judged at parse time.
 */
export function pastInstant({ clock = systemClock, skewMs = CLOCK_SKEW_MS, futureMessage = '时间不能晚于当前时间' }: PastOptions = {}) {
  return z
    .iso.datetime({ offset: true, message: INSTANT_MESSAGE })
    .refine((v) => Date.parse(v) >= EARLIEST_INSTANT_MS, { message: `时间不能早于 ${FIRST_YEAR} 年` })
    .refine((v) => Date.parse(v) <= clock().getTime() + skewMs, { message: futureMessage });
}

/** Today's date in Asia/Shanghai (the bureau's calendar), or the date of the given instant. */
export function shanghaiToday(now: Date = new Date()): string {
  return shanghaiDateTime(now).slice(0, 10);
}

export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

/** Year of a calendar date. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
