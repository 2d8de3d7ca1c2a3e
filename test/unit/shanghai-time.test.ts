/**
 * Asia/Shanghai local time without Intl at import (shared/domain/shanghai-time.ts): the same answer as
 * the time-zone database for every instant, before and after China's last daylight-saving year (1991).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { shanghaiDateTime } from '../../shared/domain/shanghai-time.ts';
import { shanghaiToday } from '../../shared/domain/dates.ts';

const tzdb = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const reference = (d: Date): string => {
  const p = Object.fromEntries(tzdb.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
};

describe('Asia/Shanghai local time', () => {
  it('agrees with the time-zone database from 1980 to 2200 (property), daylight-saving years included', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2200, 0, 1) }), (t) => {
        expect(shanghaiDateTime(new Date(t))).toBe(reference(new Date(t)));
      }),
      { numRuns: 2000 },
    );
  });

  it('turns the date at 16:00 UTC, and in the summer of 1988 at 15:00 UTC (daylight saving)', () => {
    expect(shanghaiToday(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(shanghaiToday(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(shanghaiDateTime(new Date('1988-07-01T15:30:00Z'))).toBe('1988-07-02T00:30');
  });
});
