/**
 * Scheduled compliance jobs (shared/schedules.ts): EventBridge Scheduler in AWS, the local scheduler
 * and `npm run job` in local mode, all with the same payload `{schedule, job, scheduledTime}`.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { shanghaiToday, yearOf } from '#domain/dates.ts';
import { config } from '#domain/config.ts';
import { logFailures, logger } from '#http/logger.ts';
import { systemContext } from '#services/context.ts';
import { SYSTEM_ACTOR } from '#domain/identity.ts';
import type { Identity } from '#domain/identity.ts';
import { isScheduledEvent } from '../../shared/schedules.ts';
import type { ScheduledEvent } from '../../shared/schedules.ts';

export type JobResult = Record<string, unknown>;

// Each job's code is loaded when that job runs (its own chunks in the deployed bundle, infra/bundling.ts):
// an invocation runs one job, so the daily check never loads the PDF stack, nor the report S3 and KMS.
const alerts = () => import('#aws/alerts.ts');
const deadlines = () => import('#services/deadlines.ts');

const REPORTER: Identity = { ...SYSTEM_ACTOR, sub: 'system:annual-report', name: '年度报告' };

/** The day a run is for: the schedule's own time (a late or replayed run checks the day it was due). */
const dayOf = (event: ScheduledEvent): string => shanghaiToday(new Date(event.scheduledTime));

export async function runJob(event: ScheduledEvent & { year?: number; reason?: string }, progress?: (line: string) => void): Promise<JobResult> {
  switch (event.job) {
    case 'deadline-check': {
      const { deadlineCheck } = await deadlines();
      const run = await deadlineCheck(dayOf(event), { act: true, ...(progress ? { progress } : {}) });
      const counts: Record<string, number> = {};
      for (const i of run.items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
      return { date: run.date, items: run.items.length, counts, digests: run.digests.length, expired: run.expired.length, heartbeats: run.heartbeats, heartbeatsFailed: run.heartbeatsFailed, recounted: run.recounted };
    }
    case 'holiday-data-check': {
      const date = dayOf(event);
      // On 1 December (or whenever run): is next year's arrangement in?
      const [{ holidayWarning }, { currentCalendar }, { sendAlert }] = await Promise.all([deadlines(), import('#services/calendar.ts'), alerts()]);
      const item = await holidayWarning(date.slice(5) < '12-01' ? `${date.slice(0, 4)}-12-01` : date, (await currentCalendar()).coveredYears);
      if (!item) return { date, missing: false };
      await sendAlert({ subject: `Holiday data for ${Number(date.slice(0, 4)) + 1} is missing`, text: item.text, agencyId: '*', kind: 'holiday-data' });
      return { date, missing: true };
    }
    case 'recount-provisional': {
      // Cost follows the provisional deadlines; an empty set is one Query. 12 of the 15 minutes at most.
      const { recomputeProvisionalDeadlines } = await import('#services/provisional.ts');
      return { ...(await recomputeProvisionalDeadlines({ budgetMs: 12 * 60_000 })) };
    }
    case 'evidence-verify': {
      // What is due by the time the schedule fired: a late or replayed run checks the same set.
      const { verifyDueEvidence } = await import('#services/evidence-integrity.ts');
      const run = await verifyDueEvidence(new Date(event.scheduledTime), progress ? { progress } : {});
      return { ...run, failed: run.failed.length, failedIds: run.failed };
    }
    case 'audit-checkpoint': {
      // Signed Merkle checkpoints of the audit chains with new events (issue 12); counts only.
      const { runCheckpoints } = await import('#services/checkpoints.ts');
      const run = await runCheckpoints(progress ? { progress } : {});
      const broken = run.chains.filter((c) => c.status === 'BROKEN').map((c) => ({ chain: c.chain, seq: c.seq }));
      if (broken.length > 0) {
        logger.error('audit chains not checkpointed: broken', { broken });
        // R7: a chain that no longer matches its signed checkpoint is tampering (or data loss): tell the admins.
        const { sendAlert } = await alerts();
        await sendAlert({
          subject: `Audit chain integrity: ${broken.map((b) => b.chain).join(', ')}`,
          text: `审计链完整性异常：${run.chains.filter((c) => c.status === 'BROKEN').map((c) => c.message ?? `${c.chain} 第 ${c.seq ?? '?'} 号`).join('；')}。这些链未生成新的检查点，请立即运行 npm run audit:verify 查明。`,
          agencyId: '*',
          kind: 'audit-integrity',
        });
      }
      return { created: run.created, eventsRead: run.eventsRead, nodesWritten: run.nodesWritten, broken };
    }
    case 'annual-report-draft':
    case 'annual-report-deliver':
    case 'annual-report-publish': {
      // The report of the year before the one the schedule fires in (or `year` from the CLI).
      const year = event.year ?? yearOf(dayOf(event)) - 1;
      const ctx = { ...systemContext(REPORTER), now: new Date(event.scheduledTime) };
      const { deliverReport, draftReport, publishReport } = await import('#services/annual-report.ts');
      if (event.job === 'annual-report-draft') {
        const stored = await draftReport(ctx, year, { ...(event.reason ? { correctionReason: event.reason } : {}), ...(progress ? { progress } : {}) });
        return { year, version: stored.report.version, stage: stored.report.stage, files: stored.files };
      }
      if (event.job === 'annual-report-deliver') {
        const stored = await deliverReport(ctx, year);
        return { year, version: stored.report.version, stage: stored.report.stage };
      }
      const published = await publishReport(ctx, year);
      return { year, version: published.report.version, stage: published.report.stage };
    }
    default:
      throw new Error(`Unknown job ${String(event.job)}`);
  }
}

// At cold start: a bad configuration value fails start-up, naming the variable.
config();

export const handler = middy<ScheduledEvent, JobResult, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logFailures())
  .handler(async (event) => {
    if (!isScheduledEvent(event)) throw new Error('InvalidPayload: not a scheduled job event');
    const result = await runJob(event);
    // Counts only: no names or case numbers in the logs.
    logger.info('job done', { job: event.job, schedule: event.schedule, ...result });
    return result;
  });
