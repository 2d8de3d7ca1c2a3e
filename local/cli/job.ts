/**
 * `npm run job -- <job> [--date YYYY-MM-DD]`: runs a scheduled job now, with the handler the schedule
 * runs (shared/schedules.ts), against a running `npm start`, the local data dir, or AWS (see connect.ts).
 *
 *   npm run job -- deadline-check --date 2027-01-04
 *   npm run job -- holiday-data-check --date 2026-12-01
 *   npm run job -- abort-abandoned-uploads
 *   npm run job -- evidence-verify [--date YYYY-MM-DD]   (re-hash the sealed evidence due by then)
 *   npm run job -- annual-report --year 2026 --stage draft|deliver|publish [--reason "更正原因"]
 */
import { parseArgs } from 'node:util';
import { isCalendarDate } from '../../shared/domain/dates.ts';
import { setWorkflowClient } from '../../shared/aws/workflows.ts';
import { schedules, type JobId } from '../../shared/schedules.ts';
import { connect, runTool } from './connect.ts';

const JOBS = [...new Set(schedules.map((s) => s.job)), 'annual-report'];
const STAGES = ['draft', 'deliver', 'publish'] as const;

const USAGE = `用法 / usage: npm run job -- <${JOBS.filter((j) => !j.startsWith('annual-report-')).join('|')}> [--date YYYY-MM-DD]
       npm run job -- annual-report --year YYYY --stage draft|deliver|publish [--reason 更正原因]
  --date    按哪一天运行（北京时间 08:00），缺省为今天 / the day to run for (08:00 Asia/Shanghai), default today
  --year    年报所属年度 / the report's year;  --stage 生成草稿、报送或公开 / draft, deliver or publish
  --reason  公开后的更正须说明原因，形成新版本 / a correction after publication needs a reason (new version)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { date: { type: 'string' }, year: { type: 'string' }, stage: { type: 'string' }, reason: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  let job = positionals[0] as JobId | 'annual-report' | undefined;
  if (values.help || !job || !JOBS.includes(job) || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  let year: number | undefined;
  if (job === 'annual-report') {
    year = Number(values.year);
    if (!/^\d{4}$/.test(values.year ?? '') || !STAGES.includes(values.stage as (typeof STAGES)[number])) {
      console.error(`需要 --year YYYY 与 --stage draft|deliver|publish / need --year and --stage\n${USAGE}`);
      return 2;
    }
    job = `annual-report-${values.stage as (typeof STAGES)[number]}`;
  }
  if (values.date !== undefined && !isCalendarDate(values.date)) {
    console.error(`日期无效 / invalid date: ${values.date}\n${USAGE}`);
    return 2;
  }
  const spec = schedules.find((s) => s.job === job)!;
  const jobId: JobId = spec.job;
  // The same code the schedule's function runs (functions/jobs, functions/evidence-seal).
  // 08:00 in Shanghai is 00:00 UTC on the same day.
  const scheduledTime = values.date ? `${values.date}T00:00:00.000Z` : new Date().toISOString();
  const connection = await connect();
  console.log(`${jobId}：${connection.description}`);
  try {
    if (process.env.LOCAL_MODE === 'true') {
      // Local workflow executions live in the npm start process; only its scheduler can reach them.
      let skipped = 0;
      setWorkflowClient({
        start: () => Promise.reject(new Error('not available to the job CLI')),
        sendTaskSuccess: () => Promise.reject(new Error('not available to the job CLI')),
        sendTaskFailure: () => Promise.reject(new Error('not available to the job CLI')),
        sendTaskHeartbeat: async () => void skipped++,
        stop: () => Promise.reject(new Error('not available to the job CLI')),
      });
      process.on('exit', () => skipped > 0 && console.log(`（${skipped} 个审核步骤的心跳由运行中的 npm start 的调度器发送 / heartbeats are sent by the running instance's scheduler）`));
    }
    const event = { schedule: spec.id, job: jobId, scheduledTime, ...(year !== undefined ? { year } : {}), ...(values.reason ? { reason: values.reason } : {}) };
    const started = performance.now();
    let result: unknown;
    if (jobId === 'abort-abandoned-uploads') {
      const { abortAbandonedUploads } = await import('../../shared/services/evidence.ts');
      const { aborted, verified } = await abortAbandonedUploads(values.date ? new Date(scheduledTime) : new Date());
      result = { aborted: aborted.map((e) => e.id), verified };
    } else {
      result = await (await import('../../functions/jobs/handler.ts')).runJob(event, (line) => console.log(`  · ${line}`));
    }
    console.log(JSON.stringify(result, null, 2));
    console.log(`完成 / done (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  } finally {
    await connection.close();
  }
}

runTool(main);
