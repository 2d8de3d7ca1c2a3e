/**
 * The annual statistics report (D13, N13) and its calendar: a draft on 5 January for the year before,
 * delivered by 15 January (PDF and .xlsx to the justice bureau and the superior bureau), published by
 * 31 January. Built from the per-agency counters (one item per agency, whatever the year's volume) and
 * the officers at the end of the year. Before publication a draft may be regenerated and re-delivered;
 * after it, a correction is a new, visible version.
 */
import { figuresOf, sumAggregates } from '../domain/annual-report.ts';
import type { AgencyReport, AnnualReport } from '../domain/annual-report.ts';
import { shanghaiToday, yearOf } from '../domain/dates.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../domain/errors.ts';
import { config } from '../domain/config.ts';
import { MIN_REVIEWER_RATIO } from '../domain/review.ts';
import { emptyAggregate, severityOrder } from '../domain/report-aggregates.ts';
import { sendAlert } from '../aws/alerts.ts';
import { putReportFile, reportFileUrl } from '../aws/reports-bucket.ts';
import { aggregatesOf } from '../store/aggregates.ts';
import { allAgencies, allOfficers } from '../store/registry.ts';
import * as store from '../store/reports.ts';
import { commit } from '../store/transact.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';

const bureauName = (): string => config().BUREAU_NAME;

/** The year must have ended (a report for this year or a future one is refused). */
function checkYear(year: number, now: Date): void {
  const current = yearOf(shanghaiToday(now));
  if (!Number.isInteger(year) || year < 2000) throw new BusinessRuleError('REPORT_YEAR_INVALID', `年份无效：${year}`);
  if (year >= current) throw new BusinessRuleError('REPORT_YEAR_NOT_ENDED', `${year} 年尚未结束，不能生成该年度的统计年报`);
}

/** The figures of `year`, per agency and in total. */
export async function buildReport(year: number, version: number, now: Date, correction?: AnnualReport['correction']): Promise<AnnualReport> {
  const [aggregates, agencies, officers] = await Promise.all([aggregatesOf(year), allAgencies(), allOfficers()]);
  const agencyReports: AgencyReport[] = agencies
    .map((a) => ({
      agencyId: a.id,
      agencyName: a.name,
      ...figuresOf(aggregates.get(a.id) ?? emptyAggregate(), officers.filter((o) => o.agencyId === a.id), year, MIN_REVIEWER_RATIO),
    }))
    .sort((x, y) => (x.agencyId < y.agencyId ? -1 : 1));
  return {
    year,
    version,
    stage: 'DRAFT',
    bureauName: bureauName(),
    generatedAt: now.toISOString(),
    penaltySeverityOrder: severityOrder(),
    agencies: agencyReports,
    total: figuresOf(sumAggregates([...aggregates.values()]), officers, year, MIN_REVIEWER_RATIO),
    ...(correction ? { correction } : {}),
  };
}

const fileKeys = (year: number, version: number) => ({
  pdf: `reports/${year}/v${version}/annual-report-${year}-v${version}.pdf`,
  xlsx: `reports/${year}/v${version}/annual-report-${year}-v${version}.xlsx`,
});

/**
 * Builds (or rebuilds) the draft. Before publication it replaces the draft of the same version; after
 * publication only a correction (with its reason) may make a new version.
 */
export async function draftReport(ctx: ActionContext, year: number, options: { correctionReason?: string; progress?: (line: string) => void } = {}): Promise<store.StoredReport> {
  const now = ctx.now ?? new Date();
  const say = options.progress ?? (() => undefined);
  checkYear(year, now);
  const current = await store.currentReport(year);
  let version = current?.report.version ?? 1;
  let correction: AnnualReport['correction'];
  if (current?.report.stage === 'PUBLISHED') {
    if (!options.correctionReason) throw new ConflictError('REPORT_PUBLISHED', `${year} 年度报告已公开；更正须说明原因，并形成新的版本`);
    correction = { reason: options.correctionReason, previousVersion: current.report.version };
    version = current.report.version + 1;
  } else if (options.correctionReason) {
    throw new ConflictError('REPORT_NOT_PUBLISHED', '报告尚未公开：直接重新生成草稿即可，无需更正');
  }
  say(`汇总 ${year} 年数据 / aggregating`);
  const report = await buildReport(year, version, now, correction);
  say('生成 PDF 与 Excel / rendering PDF and .xlsx');
  // Loaded here only: pdfkit (with fontkit and brotli) and the spreadsheet writer are most of the jobs
  // bundle, and the hourly and daily jobs must not evaluate them at cold start (issue 13 point 1).
  const [{ renderReportPdf }, { renderReportXlsx }] = await Promise.all([import('../report/render-pdf.ts'), import('../report/render-xlsx.ts')]);
  const [pdf, xlsx] = await Promise.all([renderReportPdf(report), renderReportXlsx(report)]);
  const files = fileKeys(year, version);
  // Files first: a record never names files that are not there (a rerun overwrites the same draft keys).
  say('保存文件 / storing files');
  await putReportFile(files.pdf, pdf, 'application/pdf');
  await putReportFile(files.xlsx, xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const stored: store.StoredReport = { report, files, version: (current?.version ?? 0) + 1 };
  await commit(commitContext(ctx), store.putReport(year, stored, current?.version ?? 0), [
    { action: correction ? 'report.correct' : 'report.draft', entityType: 'AnnualReport', entityId: String(year), change: { version, ...(correction ? { reason: correction.reason } : {}) } },
  ]);
  await sendAlert({
    subject: `Annual enforcement report ${year} v${version}: draft ready`,
    text: `${report.bureauName} ${year} 年度行政执法统计年报（第 ${version} 版）草稿已生成，请审阅；1 月 15 日前报送司法行政部门和上级主管部门。\n文件：${files.pdf}、${files.xlsx}`,
    agencyId: '*',
    kind: 'report-draft',
  });
  return stored;
}

/** Delivered to the justice bureau and the superior bureau: the notification carries the files' links. */
export async function deliverReport(ctx: ActionContext, year: number, options: { linkTtlSeconds?: number } = {}): Promise<store.StoredReport> {
  const now = ctx.now ?? new Date();
  checkYear(year, now);
  const current = await store.currentReport(year);
  if (!current) throw new NotFoundError(`${year} 年度报告尚未生成草稿`, 'REPORT_NOT_FOUND');
  if (current.report.stage === 'PUBLISHED') throw new ConflictError('REPORT_PUBLISHED', `${year} 年度报告已公开；如需更正，请生成更正版本`);
  const next: store.StoredReport = { ...current, report: { ...current.report, stage: 'DELIVERED' }, deliveredAt: now.toISOString(), version: current.version + 1 };
  await commit(commitContext(ctx), store.putReport(year, next, current.version), [
    { action: 'report.deliver', entityType: 'AnnualReport', entityId: String(year), change: { version: current.report.version } },
  ]);
  // Links live 7 days at most (SigV4), and no longer than the signer's credentials.
  const ttl = options.linkTtlSeconds ?? 7 * 24 * 3600;
  const [pdfUrl, xlsxUrl] = await Promise.all([reportFileUrl(current.files.pdf, `${year}年度行政执法统计年报.pdf`, ttl), reportFileUrl(current.files.xlsx, `${year}年度行政执法统计年报.xlsx`, ttl)]);
  await sendAlert({
    subject: `Annual enforcement report ${year} v${current.report.version}: delivered`,
    text: `${current.report.bureauName} ${year} 年度行政执法统计年报（第 ${current.report.version} 版）报送司法行政部门和上级主管部门。\nPDF：${pdfUrl}\nExcel：${xlsxUrl}\n（下载链接有效期有限；过期后可在公开前重新报送，以获得新的链接。存储位置：${current.files.pdf}、${current.files.xlsx}）`,
    agencyId: '*',
    kind: 'report-delivery',
  });
  return next;
}

/** Public from now: `GET /public/reports/{year}`. Only a delivered report may be published. */
export async function publishReport(ctx: ActionContext, year: number): Promise<store.PublishedReport> {
  const now = ctx.now ?? new Date();
  checkYear(year, now);
  const current = await store.currentReport(year);
  if (!current) throw new NotFoundError(`${year} 年度报告尚未生成草稿`, 'REPORT_NOT_FOUND');
  if (current.report.stage === 'PUBLISHED') throw new ConflictError('REPORT_PUBLISHED', `${year} 年度报告第 ${current.report.version} 版已公开`);
  if (current.report.stage !== 'DELIVERED') throw new ConflictError('REPORT_NOT_DELIVERED', `${year} 年度报告尚未报送，不能公开：请先报送`);
  const publishedAt = now.toISOString();
  const next: store.StoredReport = { ...current, report: { ...current.report, stage: 'PUBLISHED' }, publishedAt, version: current.version + 1 };
  const previous = await store.publishedReport(year);
  const published: store.PublishedReport = {
    ...next,
    history: [...(previous?.history ?? []), { version: next.report.version, publishedAt, ...(next.report.correction ? { correction: next.report.correction } : {}) }],
  };
  await commit(commitContext(ctx), [...store.putReport(year, next, current.version), store.putPublished(year, published)], [
    { action: 'report.publish', entityType: 'AnnualReport', entityId: String(year), change: { version: next.report.version } },
  ]);
  return published;
}
