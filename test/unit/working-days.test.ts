/**
 * Working days on the official PRC holiday calendar (D7, N4, N9, N10) and calendar periods (N5, N11).
 * Expected dates below were worked out by hand from the State Council notices as transcribed in
 * chinese-days 1.5.7 (node_modules/chinese-days/src/holidays/generate.ts).
 */
import { describe, expect, it, vi } from 'vitest';

// chinese-days builds its tables in local time: run this file in the bureau's zone, before it loads,
// so the comparisons with the package's own functions always run (no conditional skip).
vi.hoisted(() => {
  process.env.TZ = 'Asia/Shanghai';
});
import fc from 'fast-check';
import chineseDays from 'chinese-days';
import { ValidationError } from '../../shared/domain/errors.ts';
import { HOLIDAY_OVERRIDES, type FestivalArrangement, type HolidayArrangement } from '../../shared/domain/holiday-overrides.ts';
import {
  addCalendarDays,
  addMonths,
  addWorkingDays,
  addYears,
  createCalendar,
  type DayKind,
  describeDay,
  HOLIDAY_DATA_SOURCE,
  isWorkingDay,
  workingDayCalendar,
  workingDaysBetween,
} from '../../shared/domain/working-days.ts';
import { catchError } from './support.ts';


function datesFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

/** A date as a local-time Date, which chinese-days reads back as the same day (a string it shifts). */
function localDate(date: string): Date {
  return new Date(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/**
 * chinese-days builds its lookup tables at load by parsing '2025-10-1' as UTC and formatting it with
 * local-time getters, so west of UTC its own functions are a day off everywhere. Comparisons with
 * them only mean something at or east of UTC (CI runs in UTC; the bureau in Asia/Shanghai).
 */
const packageApiUsable = [0, 6].every((month) => new Date(2025, month, 1).getTimezoneOffset() <= 0);

/** Random dates between two dates (inclusive). */
function dateBetween(first: string, last: string): fc.Arbitrary<string> {
  const span = (Date.parse(last) - Date.parse(first)) / 86_400_000;
  return fc.integer({ min: 0, max: span }).map((n) => addCalendarDays(first, n));
}

describe('data source', () => {
  it('is chinese-days 1.5.7 with arrangements for 2004–2026 (pinned: after an upgrade, review holiday-overrides.ts)', () => {
    expect(HOLIDAY_DATA_SOURCE).toEqual({ package: 'chinese-days', version: '1.5.7', firstYear: 2004, lastYear: 2026 });
  });

  it('the application calendar covers the package years plus the override years, nothing else', () => {
    const expected = new Set<number>(HOLIDAY_OVERRIDES.map((a) => a.year));
    for (let y = HOLIDAY_DATA_SOURCE.firstYear; y <= HOLIDAY_DATA_SOURCE.lastYear; y++) expected.add(y);

    expect(workingDayCalendar.coveredYears).toEqual([...expected].sort((a, b) => a - b));
  });

  it('an override year the package now covers agrees with it (otherwise delete or fix the override)', () => {
    const packageOnly = createCalendar([]);
    for (const year of workingDayCalendar.overrideYears.filter((y) => packageOnly.coveredYears.includes(y))) {
      for (const date of datesFrom(`${year}-01-01`, `${year}-12-24`)) {
        expect(workingDayCalendar.isWorkingDay(date), date).toBe(packageOnly.isWorkingDay(date));
      }
    }
  });

  it("agrees with the package's own isWorkday on every day it covers", () => {
    expect(packageApiUsable).toBe(true);
    for (const date of datesFrom('2004-01-01', '2026-12-24')) {
      if (isWorkingDay(date) !== chineseDays.isWorkday(localDate(date))) throw new Error(`disagreement on ${date}`);
    }
  });
});

describe('isWorkingDay / describeDay on the official arrangements', () => {
  it.each<[string, boolean, DayKind, string | null, string]>([
    ['2025-09-28', true, 'ADJUSTED_WORKDAY', '国庆节调休上班', 'Sunday worked before National Day 2025'],
    ['2025-10-01', false, 'HOLIDAY', '国庆节', 'National Day'],
    ['2025-10-04', false, 'HOLIDAY', '国庆节', 'a Saturday inside the holiday is named after it'],
    ['2025-10-06', false, 'HOLIDAY', '中秋节', 'Mid-Autumn Festival, merged into the National Day week'],
    ['2025-10-08', false, 'HOLIDAY', '国庆节', 'last day off'],
    ['2025-10-09', true, 'WORKDAY', null, 'ordinary Thursday'],
    ['2025-10-11', true, 'ADJUSTED_WORKDAY', '国庆节调休上班', 'Saturday worked after National Day 2025'],
    ['2025-10-12', false, 'WEEKEND', '周日', 'ordinary Sunday'],
    ['2025-10-18', false, 'WEEKEND', '周六', 'ordinary Saturday'],
    ['2025-04-27', true, 'ADJUSTED_WORKDAY', '劳动节调休上班', 'Sunday worked before Labour Day 2025'],
    ['2025-05-05', false, 'HOLIDAY', '劳动节', 'Labour Day 2025 (Monday)'],
    ['2025-05-31', false, 'HOLIDAY', '端午节', 'Dragon Boat Festival: the package writes 端午'],
    ['2025-04-04', false, 'HOLIDAY', '清明节', 'Qingming: the package writes 清明'],
    ['2026-01-04', true, 'ADJUSTED_WORKDAY', '元旦调休上班', 'Sunday worked after New Year 2026'],
    ['2026-02-14', true, 'ADJUSTED_WORKDAY', '春节调休上班', 'Saturday worked before Spring Festival 2026'],
    ['2026-02-15', false, 'HOLIDAY', '春节', 'Spring Festival 2026, first day (Sunday)'],
    ['2026-02-23', false, 'HOLIDAY', '春节', 'Spring Festival 2026, last day (Monday)'],
    ['2026-02-24', true, 'WORKDAY', null, 'back to work'],
    ['2026-02-28', true, 'ADJUSTED_WORKDAY', '春节调休上班', 'Saturday worked after Spring Festival 2026'],
    ['2026-05-09', true, 'ADJUSTED_WORKDAY', '劳动节调休上班', 'Saturday worked after Labour Day 2026'],
    ['2026-09-20', true, 'ADJUSTED_WORKDAY', '国庆节调休上班', 'Sunday worked before National Day 2026'],
    ['2026-10-07', false, 'HOLIDAY', '国庆节', 'National Day 2026, last day'],
    ['2026-10-10', true, 'ADJUSTED_WORKDAY', '国庆节调休上班', 'Saturday worked after National Day 2026'],
  ])('%s working=%s %s %s (%s)', (date, working, kind, reason) => {
    expect(isWorkingDay(date)).toBe(working);
    expect(describeDay(date)).toEqual({ date, working, kind, reason });
  });
});

describe('addWorkingDays', () => {
  it('2025-09-30 + 7 (D7 licensing/penalty): skips National Day week, counts Saturday 11 Oct → 2025-10-16', () => {
    // 1 Oct–8 Oct off; 9 Thu (1), 10 Fri (2), 11 Sat worked (3), 12 Sun off, 13–16 (4–7).
    expect(addWorkingDays('2025-09-30', 7)).toEqual({
      start: '2025-09-30',
      dueDate: '2025-10-16',
      workingDays: 7,
      skipped: [
        { date: '2025-10-01', reason: '国庆节' },
        { date: '2025-10-02', reason: '国庆节' },
        { date: '2025-10-03', reason: '国庆节' },
        { date: '2025-10-04', reason: '国庆节' },
        { date: '2025-10-05', reason: '国庆节' },
        { date: '2025-10-06', reason: '中秋节' },
        { date: '2025-10-07', reason: '国庆节' },
        { date: '2025-10-08', reason: '国庆节' },
        { date: '2025-10-12', reason: '周日' },
      ],
      adjustedWorkdays: [{ date: '2025-10-11', reason: '国庆节调休上班' }],
    });
  });

  it('a Friday decision with no holidays + 7 → the Tuesday of the week after next', () => {
    // Fri 2025-11-07: Mon 10 – Fri 14 (1–5), weekend, Mon 17 (6), Tue 18 (7).
    expect(addWorkingDays('2025-11-07', 7)).toEqual({
      start: '2025-11-07',
      dueDate: '2025-11-18',
      workingDays: 7,
      skipped: [
        { date: '2025-11-08', reason: '周六' },
        { date: '2025-11-09', reason: '周日' },
        { date: '2025-11-15', reason: '周六' },
        { date: '2025-11-16', reason: '周日' },
      ],
      adjustedWorkdays: [],
    });
  });

  it('Spring Festival 2026: Friday 13 Feb + 7 → 2026-03-02, both adjusted Saturdays counted', () => {
    // Sat 14 worked (1); 15–23 off; 24–27 (2–5); Sat 28 worked (6); Sun 1 Mar off; Mon 2 Mar (7).
    const result = addWorkingDays('2026-02-13', 7);

    expect(result.dueDate).toBe('2026-03-02');
    expect(result.skipped).toEqual([
      ...datesFrom('2026-02-15', '2026-02-23').map((date) => ({ date, reason: '春节' })),
      { date: '2026-03-01', reason: '周日' },
    ]);
    expect(result.adjustedWorkdays).toEqual([
      { date: '2026-02-14', reason: '春节调休上班' },
      { date: '2026-02-28', reason: '春节调休上班' },
    ]);
  });

  it('Labour Day 2025 (N4, 3 working days): Friday 25 Apr + 3 counts Sunday 27 Apr → 2025-04-29', () => {
    expect(addWorkingDays('2025-04-25', 3)).toEqual({
      start: '2025-04-25',
      dueDate: '2025-04-29',
      workingDays: 3,
      skipped: [{ date: '2025-04-26', reason: '周六' }],
      adjustedWorkdays: [{ date: '2025-04-27', reason: '劳动节调休上班' }],
    });
  });

  it('Labour Day 2026: 30 Apr + 4 lands on the adjusted Saturday 9 May', () => {
    // 1–5 May off; Wed 6 (1), Thu 7 (2), Fri 8 (3), Sat 9 worked (4).
    const result = addWorkingDays('2026-04-30', 4);

    expect(result.dueDate).toBe('2026-05-09');
    expect(result.skipped).toEqual(datesFrom('2026-05-01', '2026-05-05').map((date) => ({ date, reason: '劳动节' })));
    expect(result.adjustedWorkdays).toEqual([{ date: '2026-05-09', reason: '劳动节调休上班' }]);
  });

  it('a decision taken on a holiday counts from the next day like any other', () => {
    // 2025-10-03 (holiday) + 1: 4–8 Oct off, 9 Oct (1).
    expect(addWorkingDays('2025-10-03', 1).dueDate).toBe('2025-10-09');
  });

  it('n = 0 is the start date itself, even on a holiday, and needs no data', () => {
    expect(addWorkingDays('2025-10-01', 0)).toEqual({
      start: '2025-10-01',
      dueDate: '2025-10-01',
      workingDays: 0,
      skipped: [],
      adjustedWorkdays: [],
    });
    expect(addWorkingDays('2031-06-02', 0).dueDate).toBe('2031-06-02');
  });

  it('refuses an invalid date (400) and a negative or fractional count (programming error)', () => {
    expect(catchError(() => addWorkingDays('2026-02-30', 1))).toBeInstanceOf(ValidationError);
    expect(catchError(() => addWorkingDays('2026/03/01', 1))).toBeInstanceOf(ValidationError);
    expect(() => addWorkingDays('2026-03-02', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-02', 1.5)).toThrow(RangeError);
  });

  it('does not depend on the process time zone (chinese-days does)', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(addWorkingDays('2025-09-30', 7).dueDate, tz).toBe('2025-10-16');
        expect(isWorkingDay('2025-10-11'), tz).toBe(true);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('years without holiday data: counted Monday–Friday and marked provisional, never refused', () => {
  it('a deadline crossing into 2027 is computed on Monday–Friday and names 2027 as missing', () => {
    // Wed 30 Dec + 3: Thu 31 (1); Fri 1 Jan 2027 (2, provisionally: New Year is surely off, but unknown here); Mon 4 (3).
    const result = addWorkingDays('2026-12-30', 3);

    expect(result.dueDate).toBe('2027-01-04');
    expect(result.provisional?.missingYears).toEqual([2027]);
    expect(result.provisional?.note).toContain('尚无 2027 年法定节假日安排');
    expect(result.skipped).toEqual([
      { date: '2027-01-02', reason: '周六' },
      { date: '2027-01-03', reason: '周日' },
    ]);
  });

  it('late December 2026 already depends on 2027 (a New Year arrangement can move 29–31 Dec)', () => {
    // Fri 18 Dec + 7 reaches Tue 29 Dec: provisional.
    const late = addWorkingDays('2026-12-18', 7);
    expect(late.dueDate).toBe('2026-12-29');
    expect(late.provisional?.missingYears).toEqual([2027]);
    expect(describeDay('2026-12-26')).toMatchObject({ kind: 'WEEKEND', provisionalYear: 2027 });
    // Up to 24 December the 2026 arrangement alone decides: Mon 21, Tue 22, Wed 23, final.
    const early = addWorkingDays('2026-12-18', 3);
    expect(early.dueDate).toBe('2026-12-23');
    expect(early.provisional).toBeUndefined();
  });

  it('a date inside 2027 or a year before the package data is Monday–Friday, marked with its year', () => {
    expect(describeDay('2027-03-01')).toEqual({ date: '2027-03-01', working: true, kind: 'WORKDAY', reason: null, provisionalYear: 2027 });
    expect(isWorkingDay('2027-03-06')).toBe(false);
    expect(describeDay('2003-06-02').provisionalYear).toBe(2003);
    expect(addWorkingDays('2003-12-29', 1).provisional?.missingYears).toEqual([2003]);
  });

  it('a deadline inside covered years is final, with no provisional mark', () => {
    const result = addWorkingDays('2026-09-30', 7);
    expect(result.provisional).toBeUndefined();
    expect(describeDay('2026-10-01')).not.toHaveProperty('provisionalYear');
  });

  it('counts working days between dates across a missing year without refusing', () => {
    expect(workingDaysBetween('2026-12-31', '2027-01-08')).toBe(6);
    expect(workingDaysBetween('2027-01-08', '2026-12-31')).toBe(-6);
  });
});

describe('override file (injected)', () => {
  // A made-up 2027 for the test only: not the official arrangement.
  const fake2027: HolidayArrangement = {
    year: 2027,
    notice: { title: '测试数据（非官方）', documentNo: '无' },
    festivals: [
      { name: '元旦', off: ['2027-01-01', '2027-01-03'], work: ['2026-12-26'] },
      { name: '春节', off: ['2027-02-06', '2027-02-12'], work: ['2027-02-20'] },
    ],
  };
  const calendar = createCalendar([fake2027]);

  it('covers the injected year and nothing more', () => {
    expect(calendar.coveredYears.at(-1)).toBe(2027);
    expect(calendar.overrideYears).toEqual([2027]);
    expect(workingDayCalendar.coveredYears).not.toContain(2027);
  });

  it('counts across the year end with the override days', () => {
    // Wed 30 Dec + 2: Thu 31 (1); 1–3 Jan 元旦; Mon 4 Jan (2).
    expect(calendar.addWorkingDays('2026-12-30', 2)).toEqual({
      start: '2026-12-30',
      dueDate: '2027-01-04',
      workingDays: 2,
      skipped: [
        { date: '2027-01-01', reason: '元旦' },
        { date: '2027-01-02', reason: '元旦' },
        { date: '2027-01-03', reason: '元旦' },
      ],
      adjustedWorkdays: [],
    });
  });

  it('an override day in late December of the previous year overrides the package', () => {
    expect(workingDayCalendar.describeDay('2026-12-19').working).toBe(false);
    expect(calendar.describeDay('2026-12-26')).toEqual({
      date: '2026-12-26',
      working: true,
      kind: 'ADJUSTED_WORKDAY',
      reason: '元旦调休上班',
    });
    // Fri 18 Dec + 7: Mon 21 – Fri 25 (1–5), Sat 26 worked (6), Sun 27 off, Mon 28 (7).
    const result = calendar.addWorkingDays('2026-12-18', 7);
    expect(result.dueDate).toBe('2026-12-28');
    expect(result.adjustedWorkdays).toEqual([{ date: '2026-12-26', reason: '元旦调休上班' }]);
  });

  it('counts an override adjusted Saturday and skips the override festival', () => {
    // Fri 5 Feb + 6: 6–12 Feb 春节; Sat 13, Sun 14 off; Mon 15 – Fri 19 (1–5); Sat 20 worked (6).
    const result = calendar.addWorkingDays('2027-02-05', 6);
    expect(result.dueDate).toBe('2027-02-20');
    expect(result.skipped.map((s) => s.reason)).toEqual([...Array(7).fill('春节'), '周六', '周日']);
  });

  it('the year after the override is still provisional; the override year is final', () => {
    expect(calendar.describeDay('2027-12-28').provisionalYear).toBe(2028);
    expect(calendar.addWorkingDays('2027-02-05', 6).provisional).toBeUndefined();
  });

  it.each<[string, FestivalArrangement, string]>([
    ['an adjusted working day on a weekday', { name: '春节', off: ['2027-02-06', '2027-02-12'], work: ['2027-02-15'] }, 'festivals.0.work.0：春节调休上班日 2027-02-15 是周一，调休上班日应为周六或周日'],
    ['a date outside the year', { name: '国庆节', off: ['2027-10-01', '2028-01-07'], work: [] }, 'festivals.0.off.1：国庆节放假结束日 2028-01-07 不在 2027 年内'],
    ['a non-existent date', { name: '劳动节', off: ['2027-04-31', '2027-05-05'], work: [] }, 'festivals.0.off.0：劳动节放假起始日“2027-04-31”不是有效日期'],
    ['a reversed range', { name: '劳动节', off: ['2027-05-05', '2027-05-01'], work: [] }, 'festivals.0.off：劳动节放假日期范围倒置'],
    ['a day both off and worked', { name: '劳动节', off: ['2027-05-01', '2027-05-05'], work: ['2027-05-01'] }, 'festivals.0.work.0：2027-05-01 重复出现'],
  ])('a malformed override fails at load, naming the file and the field: %s', (_label, festival, message) => {
    const arrangement: HolidayArrangement = { year: 2027, notice: { title: '测试', documentNo: '无' }, festivals: [festival] };
    expect(() => createCalendar([arrangement])).toThrow('节假日补充数据 shared/domain/holiday-overrides.ts 中 2027 年的安排有误');
    expect(() => createCalendar([arrangement])).toThrow(message);
  });

  it('an override without its notice fails at load; an entered year is checked the same way', () => {
    const noNotice = { ...fake2027, notice: { title: ' ', documentNo: '' } };
    expect(() => createCalendar([noNotice])).toThrow('notice.title：缺少通知名称；notice.documentNo：缺少通知文号');
    const entered = { year: 2027, festivals: [{ name: '元旦', off: ['2027-01-03', '2027-01-01'] as const, work: [] }], source: 'entered' as const };
    expect(() => createCalendar([entered])).toThrow('已录入的 2027 年的安排有误：festivals.0.off：元旦放假日期范围倒置');
  });

  it("an arrangement for a package year replaces the package's days of that year, not the next year's New Year", () => {
    // Test data: 2018 with only a made-up 元旦 on 1 January; the package's 2018 festivals go, while its
    // 29–31 December 2018 (the 2019 New Year arrangement) stay.
    const only2018 = createCalendar([{ year: 2018, notice: { title: '测试数据', documentNo: '无' }, festivals: [{ name: '元旦', off: ['2018-01-01', '2018-01-01'], work: [] }] }]);
    expect(workingDayCalendar.describeDay('2018-10-01').kind).toBe('HOLIDAY');
    expect(only2018.describeDay('2018-10-01')).toMatchObject({ working: true, kind: 'WORKDAY' });
    expect(only2018.describeDay('2018-12-29')).toMatchObject({ working: true, kind: 'ADJUSTED_WORKDAY' });
    expect(only2018.describeDay('2018-12-31')).toMatchObject({ working: false, kind: 'HOLIDAY' });
  });

  it('a year listed twice fails at load', () => {
    expect(() => createCalendar([fake2027, fake2027])).toThrow('同一年份出现多次');
  });
});

describe('addWorkingDays properties', () => {
  // Starts and counts that stay clear of 25 Dec 2026, the end of the data.
  const start = dateBetween('2004-01-01', '2026-10-31');
  const count = fc.integer({ min: 0, max: 30 });

  it('the due date is a working day for n ≥ 1', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 30 }), (s, n) => {
        expect(isWorkingDay(addWorkingDays(s, n).dueDate)).toBe(true);
      }),
    );
  });

  it('exactly n working days lie in (start, dueDate]; skipped and counted days cover it exactly', () => {
    fc.assert(
      fc.property(start, count, (s, n) => {
        const result = addWorkingDays(s, n);
        const range = n === 0 ? [] : datesFrom(addCalendarDays(s, 1), result.dueDate);
        const working = range.filter(isWorkingDay);
        const skippedDates = result.skipped.map((d) => d.date);

        expect(result.workingDays).toBe(n);
        expect(working).toHaveLength(n);
        expect(skippedDates).toEqual(range.filter((d) => !isWorkingDay(d)));
        expect(skippedDates.length + working.length).toBe(range.length);
        expect(result.adjustedWorkdays.map((d) => d.date)).toEqual(
          working.filter((d) => describeDay(d).kind === 'ADJUSTED_WORKDAY'),
        );
      }),
    );
  });

  it('is strictly increasing in n', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 0, max: 29 }), (s, n) => {
        expect(addWorkingDays(s, n + 1).dueDate > addWorkingDays(s, n).dueDate).toBe(true);
      }),
    );
  });

  it("agrees with chinese-days' findWorkday (its n-th working day after a date)", () => {
    expect(packageApiUsable).toBe(true);
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 30 }), (s, n) => {
        expect(addWorkingDays(s, n).dueDate).toBe(chineseDays.findWorkday(n, localDate(s)));
      }),
    );
  });
});

describe('calendar periods', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28', 'clamped to February'],
    ['2024-01-31', 1, '2024-02-29', 'leap February'],
    ['2026-03-31', 1, '2026-04-30', '30-day month'],
    ['2026-01-15', 3, '2026-04-15', 'N5: 3 months'],
    ['2026-11-30', 3, '2027-02-28', 'across the year end'],
    ['2026-03-31', -1, '2026-02-28', 'backwards'],
    ['2026-01-31', -13, '2024-12-31', 'backwards across years'],
    ['2026-05-20', 0, '2026-05-20', 'zero'],
  ])('addMonths(%s, %i) = %s (%s)', (start, n, expected) => {
    expect(addMonths(start, n)).toBe(expected);
  });

  it.each([
    ['2026-05-20', 3, '2029-05-20', 'N5: 3 years'],
    ['2024-02-29', 1, '2025-02-28', 'leap day clamped'],
    ['2024-02-29', 4, '2028-02-29', 'leap day kept'],
  ])('addYears(%s, %i) = %s (%s)', (start, n, expected) => {
    expect(addYears(start, n)).toBe(expected);
  });

  it.each([
    ['2026-03-01', 90, '2026-05-30', 'N11: 90 days from filing'],
    ['2026-12-15', 30, '2027-01-14', 'no holiday data needed'],
    ['2024-02-28', 1, '2024-02-29', 'leap day'],
    ['2026-03-01', -1, '2026-02-28', 'backwards'],
  ])('addCalendarDays(%s, %i) = %s (%s)', (start, n, expected) => {
    expect(addCalendarDays(start, n)).toBe(expected);
  });

  it('refuses invalid input and results outside 1900–2200', () => {
    expect(catchError(() => addMonths('2026-02-29', 1))).toBeInstanceOf(ValidationError);
    expect(() => addMonths('2026-01-01', 0.5)).toThrow(RangeError);
    expect(() => addYears('2199-06-01', 2)).toThrow(RangeError);
    expect(() => addCalendarDays('1900-01-01', -1)).toThrow(RangeError);
  });

  const anyDate = dateBetween('1950-01-01', '2150-12-31');

  it('addMonths keeps the day when the month has it and clamps to the month end otherwise (property)', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -600, max: 600 }), (s, n) => {
        const result = addMonths(s, n);
        const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
        const total = y * 12 + m - 1 + n;
        const [ry, rm] = [Math.floor(total / 12), (total % 12) + 1];
        const lastDay = new Date(Date.UTC(ry, rm, 0)).getUTCDate();

        expect(result).toBe(`${ry}-${String(rm).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`);
      }),
    );
  });

  it('addMonths composes for days 1–28, and addYears is 12 months (property)', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -60, max: 60 }), fc.integer({ min: -60, max: 60 }), (s, a, b) => {
        const early = `${s.slice(0, 8)}${String(Math.min(Number(s.slice(8)), 28)).padStart(2, '0')}`;

        expect(addMonths(addMonths(early, a), b)).toBe(addMonths(early, a + b));
        expect(addYears(s, Math.trunc(a / 3))).toBe(addMonths(s, 12 * Math.trunc(a / 3)));
      }),
    );
  });

  it('addCalendarDays is invertible and matches Date arithmetic (property)', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -3000, max: 3000 }), (s, n) => {
        const result = addCalendarDays(s, n);

        expect(addCalendarDays(result, -n)).toBe(s);
        expect(result).toBe(new Date(Date.parse(`${s}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10));
      }),
    );
  });
});
