/**
 * EventBridge Scheduler cron expressions as the local scheduler evaluates them (Asia/Shanghai, +08:00):
 * the local scheduler must fire when AWS would.
 */
import { describe, expect, it } from 'vitest';
import { nextFireTime, parseCron } from '../../shared/domain/cron.ts';
import { SCHEDULE_UTC_OFFSET_MINUTES, schedules } from '../../shared/schedules.ts';
import { functions } from '../../shared/manifest.ts';
import { catchError } from './support.ts';

const next = (expr: string, after: string) => nextFireTime(parseCron(expr), new Date(after), SCHEDULE_UTC_OFFSET_MINUTES)?.toISOString();

describe('nextFireTime in Asia/Shanghai', () => {
  it('a daily 08:00 job fires at 00:00 UTC, the next day once today’s has passed', () => {
    expect(next('cron(0 8 * * ? *)', '2026-11-26T03:00:00Z')).toBe('2026-11-27T00:00:00.000Z');
    expect(next('cron(0 8 * * ? *)', '2026-11-25T23:59:00Z')).toBe('2026-11-26T00:00:00.000Z');
    // Strictly after: a job that just fired is not due again.
    expect(next('cron(0 8 * * ? *)', '2026-11-26T00:00:00Z')).toBe('2026-11-27T00:00:00.000Z');
  });

  it('honours days of month, months, days of week (1 = Sunday) and steps', () => {
    expect(next('cron(0 9 5 1 ? *)', '2026-03-01T00:00:00Z')).toBe('2027-01-05T01:00:00.000Z');
    expect(next('cron(0 9 ? * MON *)', '2026-11-26T00:00:00Z')).toBe('2026-11-30T01:00:00.000Z');
    expect(next('cron(0 9 ? * 2 *)', '2026-11-26T00:00:00Z')).toBe('2026-11-30T01:00:00.000Z');
    expect(next('cron(*/20 * * * ? *)', '2026-11-26T03:05:00Z')).toBe('2026-11-26T03:20:00.000Z');
    expect(next('cron(15 * * * ? *)', '2026-11-26T03:15:00Z')).toBe('2026-11-26T04:15:00.000Z');
    // The local day, not the UTC day: 01:00 on 1 December in Shanghai is still 30 November in UTC.
    expect(next('cron(0 1 1 12 ? *)', '2026-11-01T00:00:00Z')).toBe('2026-11-30T17:00:00.000Z');
  });

  it('refuses what it cannot evaluate rather than guess', () => {
    expect((catchError(() => parseCron('0 8 * * ? *')) as Error).message).toMatch(/cron\(/);
    expect((catchError(() => parseCron('cron(0 8 * * * *)')) as Error).message).toMatch(/\?/);
    expect((catchError(() => parseCron('cron(0 8 L * ? *)')) as Error).message).toMatch(/not supported/);
    expect((catchError(() => parseCron('cron(0 24 * * ? *)')) as Error).message).toMatch(/outside/);
  });

  it('every schedule parses and names a function of the manifest', () => {
    for (const s of schedules) {
      expect(() => parseCron(s.cron)).not.toThrow();
      expect(functions.map((f) => f.id)).toContain(s.fn);
    }
  });
});
