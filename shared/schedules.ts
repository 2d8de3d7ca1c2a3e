/**
 * The one list of scheduled jobs: CDK turns each into an EventBridge Scheduler schedule (time zone
 * Asia/Shanghai, retries, dead-letter queue); local mode's scheduler fires the same handlers at the same
 * times. Pure data, like the manifest.
 */
import type { FunctionId } from './manifest.ts';

export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';
/** Asia/Shanghai has had no daylight saving since 1991: a fixed offset is exact. */
export const SCHEDULE_UTC_OFFSET_MINUTES = 8 * 60;

export type JobId = 'abort-abandoned-uploads';

export interface ScheduleSpec {
  readonly id: string;
  readonly description: string;
  /** EventBridge Scheduler cron expression, in SCHEDULE_TIME_ZONE. */
  readonly cron: string;
  readonly fn: FunctionId;
  readonly job: JobId;
}

/** What the scheduled function receives (the scheduler fills in the time it fired for). */
export interface ScheduledEvent {
  readonly schedule: string;
  readonly job: JobId;
  readonly scheduledTime: string;
}

export const schedules: readonly ScheduleSpec[] = [
  {
    id: 'abandoned-uploads',
    description: 'Abort evidence uploads left unfinished for 24 hours and record them (R4)',
    cron: 'cron(15 * * * ? *)',
    fn: 'evidence-seal',
    job: 'abort-abandoned-uploads',
  },
];

export const isScheduledEvent = (event: unknown): event is ScheduledEvent =>
  typeof event === 'object' && event !== null && typeof (event as ScheduledEvent).job === 'string' && typeof (event as ScheduledEvent).schedule === 'string';
