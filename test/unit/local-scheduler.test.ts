/**
 * The local scheduler fires the schedules of shared/schedules.ts when AWS would, with the payload the
 * deployed schedule sends, and never stacks a run on one still going.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalScheduler } from '../../local/scheduler.ts';
import type { LambdaHandler } from '../../local/server.ts';
import type { ScheduleSpec } from '../../shared/schedules.ts';

const hourly: ScheduleSpec = { id: 'abandoned-uploads', description: 'test', cron: 'cron(15 * * * ? *)', fn: 'evidence-seal', job: 'abort-abandoned-uploads' };

afterEach(() => {
  vi.useRealTimers();
});

describe('local scheduler', () => {
  it('fires at the cron times with {schedule, job, scheduledTime}, and stops when told', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T03:14:30Z') });
    const calls: unknown[] = [];
    const handler = (async (event: unknown) => {
      calls.push(event);
      return { aborted: [], verified: [] };
    }) as unknown as LambdaHandler;
    const lines: string[] = [];
    const scheduler = startLocalScheduler({ loadHandler: async () => handler, log: (l) => lines.push(l), schedules: [hourly] });

    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual([{ schedule: 'abandoned-uploads', job: 'abort-abandoned-uploads', scheduledTime: '2026-11-26T03:15:00.000Z' }]);
    expect(lines.at(-1)).toContain('"aborted":0');

    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(calls.map((c) => (c as { scheduledTime: string }).scheduledTime)).toEqual(['2026-11-26T03:15:00.000Z', '2026-11-26T04:15:00.000Z']);

    scheduler.stop();
    await vi.advanceTimersByTimeAsync(2 * 60 * 60 * 1000);
    expect(calls).toHaveLength(2);
  });

  it('skips a run while the previous one is still going, and logs a failed run without stopping', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T03:14:59Z') });
    let release: () => void = () => undefined;
    let n = 0;
    const handler = (async () => {
      n++;
      if (n === 1) await new Promise<void>((r) => (release = r));
      if (n === 3) throw new Error('boom');
      return {};
    }) as unknown as LambdaHandler;
    const lines: string[] = [];
    const scheduler = startLocalScheduler({ loadHandler: async () => handler, log: (l) => lines.push(l), schedules: [{ ...hourly, cron: 'cron(* * * * ? *)' }] });
    await vi.advanceTimersByTimeAsync(2_000); // 03:15 starts and hangs
    await vi.advanceTimersByTimeAsync(60_000); // 03:16 is skipped
    expect(n).toBe(1);
    expect(lines.some((l) => l.includes('skipped'))).toBe(true);
    release();
    await vi.advanceTimersByTimeAsync(60_000); // 03:17 runs
    await vi.advanceTimersByTimeAsync(60_000); // 03:18 fails
    await vi.advanceTimersByTimeAsync(60_000); // 03:19 runs again
    expect(n).toBe(4);
    expect(lines.some((l) => l.startsWith('ERROR schedule abandoned-uploads: boom'))).toBe(true);
    scheduler.stop();
  });
});
