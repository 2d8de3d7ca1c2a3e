/**
 * Local mode's EventBridge Scheduler: fires each schedule of `shared/schedules.ts` at the times AWS
 * would (cron in Asia/Shanghai), calling the same handler with the same payload. Missed runs while
 * `npm start` was stopped are not made up (AWS's flexible window does not either); a run still going
 * when the next is due is skipped, not stacked.
 */
import type { Context } from 'aws-lambda';
import { nextFireTime, parseCron } from '../shared/domain/cron.ts';
import { functions as functionSpecs } from '../shared/manifest.ts';
import { SCHEDULE_UTC_OFFSET_MINUTES, schedules as scheduleSpecs, type ScheduleSpec, type ScheduledEvent } from '../shared/schedules.ts';
import { buildContext, type HandlerLoader } from './server.ts';
import type { Log } from './services.ts';

/** Longest single wait: timers beyond ~24.8 days overflow, so long waits are taken in steps. */
const MAX_WAIT_MS = 24 * 60 * 60 * 1000;

export interface LocalScheduler {
  stop(): void;
}

export function startLocalScheduler(options: { loadHandler: HandlerLoader; log: Log; schedules?: readonly ScheduleSpec[]; now?: () => Date }): LocalScheduler {
  const now = options.now ?? (() => new Date());
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  for (const spec of options.schedules ?? scheduleSpecs) {
    const cron = parseCron(spec.cron);
    const fnSpec = functionSpecs.find((f) => f.id === spec.fn);
    if (!fnSpec) throw new Error(`Schedule ${spec.id} names unknown function ${spec.fn}`);
    let running = false;

    const arm = (after: Date): void => {
      if (stopped) return;
      const at = nextFireTime(cron, after, SCHEDULE_UTC_OFFSET_MINUTES);
      if (!at) return;
      const wait = Math.min(at.getTime() - now().getTime(), MAX_WAIT_MS);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (now().getTime() < at.getTime()) return arm(new Date(at.getTime() - 60_000));
        void fire(at);
        arm(at);
      }, Math.max(0, wait));
      timer.unref();
      timers.add(timer);
    };

    const fire = async (at: Date): Promise<void> => {
      if (running || stopped) {
        options.log(`schedule ${spec.id}: previous run still going, skipped ${at.toISOString()}`);
        return;
      }
      running = true;
      const event: ScheduledEvent = { schedule: spec.id, job: spec.job, scheduledTime: at.toISOString() };
      try {
        const handler = (await options.loadHandler(spec.fn)) as unknown as (e: ScheduledEvent, c: Context) => Promise<unknown>;
        const result = await handler(event, buildContext(fnSpec));
        options.log(`schedule ${spec.id} ${at.toISOString()}: ${JSON.stringify(summarise(result))}`);
      } catch (error) {
        options.log(`ERROR schedule ${spec.id}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        running = false;
      }
    };

    arm(now());
  }

  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

/** Counts, not contents: results may list ids only, but keep the log line short anyway. */
function summarise(result: unknown): unknown {
  if (!result || typeof result !== 'object') return result;
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, Array.isArray(v) ? v.length : v]));
}
