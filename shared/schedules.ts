/**
 * The one list of scheduled jobs: CDK turns each into an EventBridge Scheduler schedule (time zone
 * Asia/Shanghai, retries, dead-letter queue); local mode's scheduler fires the same handlers at the same
 * times. Pure data, like the manifest.
 */
import type { FunctionId } from './manifest.ts';

export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';
/** Asia/Shanghai has had no daylight saving since 1991: a fixed offset is exact. */
export const SCHEDULE_UTC_OFFSET_MINUTES = 8 * 60;

export type JobId = 'abort-abandoned-uploads' | 'deadline-check' | 'evidence-verify' | 'recount-provisional' | 'holiday-data-check' | 'annual-report-draft' | 'annual-report-deliver' | 'annual-report-publish' | 'audit-checkpoint';

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

/**
 * When the audit checkpoints are built (issue 12): hourly by default. A shorter period narrows the window
 * in which a change to the table goes unsigned; each run costs the events since the last one.
 */
export const AUDIT_CHECKPOINT_CRON = 'cron(5 * * * ? *)';

export const schedules: readonly ScheduleSpec[] = [
  {
    id: 'abandoned-uploads',
    description: 'Abort evidence uploads left unfinished for 24 hours and record them (R4)',
    cron: 'cron(15 * * * ? *)',
    fn: 'evidence-seal',
    job: 'abort-abandoned-uploads',
  },
  {
    id: 'deadline-check',
    description: 'Daily deadline check at 08:00: publication, case limits, review opinions, certificates, disclosure periods, uploads; one digest per agency (D7, N5, N9, N11, D5)',
    cron: 'cron(0 8 * * ? *)',
    fn: 'jobs',
    job: 'deadline-check',
  },
  {
    id: 'holiday-data-check',
    description: 'On 1 December: alert the admins if next year\'s official holiday arrangement is still missing',
    cron: 'cron(0 9 1 12 ? *)',
    fn: 'jobs',
    job: 'holiday-data-check',
  },
  {
    id: 'evidence-verify',
    description: 'Daily at 02:30: re-hash the sealed evidence objects whose quarterly check is due (sparse queue by due date); a mismatch marks the record INTEGRITY_FAILED and alerts (R6, R7)',
    cron: 'cron(30 2 * * ? *)',
    fn: 'jobs',
    job: 'evidence-verify',
  },
  {
    id: 'recount-provisional',
    description: 'Hourly: recount the deadlines counted Monday-Friday for lack of a holiday year, once the year is entered; a new due date goes on the timeline (D7, N4, N9)',
    cron: 'cron(40 * * * ? *)',
    fn: 'jobs',
    job: 'recount-provisional',
  },
  {
    id: 'audit-checkpoint',
    description: 'Hourly: extend each audit chain\'s Merkle tree with the events since its last checkpoint and store a signed checkpoint (table and Object Lock bucket) (R7, I2)',
    cron: AUDIT_CHECKPOINT_CRON,
    fn: 'jobs',
    job: 'audit-checkpoint',
  },
  // The annual report of the year before (D13, N13): draft, delivery, publication.
  { id: 'annual-report-draft', description: 'On 5 January: build the draft annual report of the year before and tell the admins', cron: 'cron(0 9 5 1 ? *)', fn: 'jobs', job: 'annual-report-draft' },
  { id: 'annual-report-deliver', description: 'On 15 January: deliver the annual report (PDF, .xlsx) to the justice bureau and the superior bureau', cron: 'cron(0 9 15 1 ? *)', fn: 'jobs', job: 'annual-report-deliver' },
  { id: 'annual-report-publish', description: 'On 31 January: publish the annual report (GET /public/reports/{year})', cron: 'cron(0 9 31 1 ? *)', fn: 'jobs', job: 'annual-report-publish' },
];

export const isScheduledEvent = (event: unknown): event is ScheduledEvent =>
  typeof event === 'object' && event !== null && typeof (event as ScheduledEvent).job === 'string' && typeof (event as ScheduledEvent).schedule === 'string';
