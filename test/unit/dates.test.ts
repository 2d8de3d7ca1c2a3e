/**
 * Calendar dates in Asia/Shanghai (D7, D13): deadlines and certificate expiry are counted in the
 * bureau's calendar, so "today" changes at midnight Beijing time, not UTC.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarDate, isCalendarDate, shanghaiToday, yearOf } from '../../shared/domain/dates.ts';

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true, 'leap year'],
    ['2000-02-29', true, 'century divisible by 400'],
    ['2026-02-29', false, 'not a leap year'],
    ['1900-02-29', false, 'century not divisible by 400'],
    ['2026-02-28', true, 'last day of February'],
    ['2026-04-31', false, 'April has 30 days'],
    ['2026-12-31', true, 'last day of the year'],
    ['2026-13-01', false, 'month 13'],
    ['2026-00-10', false, 'month 0'],
    ['2026-01-00', false, 'day 0'],
    ['2026-01-32', false, 'day 32'],
    ['2026-1-5', false, 'no zero padding'],
    ['2026/01/05', false, 'slashes'],
    ['2026-01-05T00:00:00Z', false, 'an instant, not a date'],
    [' 2026-01-05', false, 'leading space'],
    ['', false, 'empty'],
  ])('%s → %s (%s)', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('agrees with the proleptic Gregorian calendar for every day from 1900 to 2200 (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }),
        (d) => {
          expect(isCalendarDate(d.toISOString().slice(0, 10))).toBe(true);
        },
      ),
    );
  });

  it('refuses every day 29–31 that the month does not have (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 31 }), (y, m, d) => {
        const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
        const value = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

        expect(isCalendarDate(value)).toBe(d <= lastDay);
      }),
    );
  });

  it('the zod schema refuses a non-existent date with a Chinese message', () => {
    const result = calendarDate.safeParse('2026-02-29');

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('日期无效，应为真实存在的日期，格式 YYYY-MM-DD');
  });

  it('the zod schema accepts a real date unchanged', () => {
    expect(calendarDate.parse('2024-02-29')).toBe('2024-02-29');
  });
});

describe('shanghaiToday', () => {
  it('is already the next day after 16:00 UTC (midnight in Shanghai)', () => {
    expect(shanghaiToday(new Date('2026-11-25T16:30:00Z'))).toBe('2026-11-26');
  });

  it('is still the same day just before 16:00 UTC', () => {
    expect(shanghaiToday(new Date('2026-11-25T15:59:59.999Z'))).toBe('2026-11-25');
    expect(shanghaiToday(new Date('2026-11-25T16:00:00.000Z'))).toBe('2026-11-26');
  });

  it('turns the year at 16:00 UTC on 31 December', () => {
    expect(shanghaiToday(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  // China has kept UTC+8 all year since 1992 (summer time ran 1986–1991).
  it('equals the UTC date shifted by +8 hours, for any instant since 1992 (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1992-01-01T00:00:00Z'), max: new Date('2150-12-31T00:00:00Z'), noInvalidDate: true }),
        (instant) => {
          const shifted = new Date(instant.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);

          expect(shanghaiToday(instant)).toBe(shifted);
        },
      ),
    );
  });

  it('yearOf reads the year of a calendar date', () => {
    expect(yearOf('2026-01-01')).toBe(2026);
  });
});
