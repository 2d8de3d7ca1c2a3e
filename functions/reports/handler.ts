/**
 * The annual statistics report's stages for the legal division (D13, N13; issue 16 point 5): the
 * schedules draft, deliver and publish it in January, and the console does the same on demand — a draft
 * regenerated after late corrections, a delivery repeated for fresh links, a correction after publication.
 * The same service functions as the jobs; the figures, PDF and .xlsx only from them.
 */
import * as z from '#domain/z.ts';
import { singleLineText } from '#domain/text.ts';
import { agencyFigures, reportFigures } from '#domain/report-schemas.ts';
import { withAllFigures } from '#domain/annual-report.ts';
import { REPORT_STAGES } from '#domain/annual-report.ts';
import * as reports from '#store/reports.ts';
import { createHttpHandler, route } from '#http/router.ts';
import { ValidationError } from '#domain/errors.ts';

// The PDF and spreadsheet writers and S3 load with the first report call, not at cold start (issue 13).
const service = () => import('#services/annual-report.ts');
const bucket = () => import('#aws/reports-bucket.ts');

/** How long the console's download links live: long enough to click, short enough not to be passed on. */
const LINK_TTL_SECONDS = 300;

const yearParams = z.strictObject({ year: z.coerce.number().int().min(2000).max(2199) });

const REPORT_ACTIONS = ['draft', 'deliver', 'publish'] as const;

const reportView = z
  .object({
    year: z.number(),
    current: z
      .object({
        version: z.number().meta({ description: '报告版本（公开后更正的，版本号加 1）' }),
        stage: z.enum(REPORT_STAGES).meta({ description: 'DRAFT 草稿、DELIVERED 已报送、PUBLISHED 已公开' }),
        bureauName: z.string(),
        generatedAt: z.string(),
        deliveredAt: z.string().optional(),
        publishedAt: z.string().optional(),
        correction: z.object({ reason: z.string(), previousVersion: z.number() }).optional(),
        total: reportFigures,
        agencies: z.array(agencyFigures),
        files: z.object({ pdf: z.string(), xlsx: z.string() }).meta({ description: 'PDF 和 Excel 下载地址（5 分钟有效）' }),
      })
      .nullable()
      .meta({ description: '正在办理或最近公开的版本；尚未生成草稿时为 null' }),
    published: z
      .object({ version: z.number(), publishedAt: z.string().optional(), history: z.array(z.object({ version: z.number(), publishedAt: z.string(), correction: z.object({ reason: z.string(), previousVersion: z.number() }).optional() })) })
      .nullable()
      .meta({ description: '公众可见的版本及历次公开；尚未公开时为 null' }),
  })
  .meta({ id: 'AnnualReportStages' });

async function viewOf(year: number): Promise<z.infer<typeof reportView>> {
  const [current, published] = await Promise.all([reports.currentReport(year), reports.publishedReport(year)]);
  let files = { pdf: '', xlsx: '' };
  if (current) {
    const { reportFileUrl } = await bucket();
    const name = `${year}年度行政执法统计年报（第${current.report.version}版）`;
    const [pdf, xlsx] = await Promise.all([reportFileUrl(current.files.pdf, `${name}.pdf`, LINK_TTL_SECONDS), reportFileUrl(current.files.xlsx, `${name}.xlsx`, LINK_TTL_SECONDS)]);
    files = { pdf, xlsx };
  }
  const report = current ? withAllFigures(current.report) : undefined;
  return {
    year,
    current:
      current && report
        ? {
            version: report.version,
            stage: report.stage,
            bureauName: report.bureauName,
            generatedAt: report.generatedAt,
            ...(current.deliveredAt ? { deliveredAt: current.deliveredAt } : {}),
            ...(current.publishedAt ? { publishedAt: current.publishedAt } : {}),
            ...(report.correction ? { correction: report.correction } : {}),
            total: report.total,
            agencies: [...report.agencies],
            files,
          }
        : null,
    published: published ? { version: published.report.version, ...(published.publishedAt ? { publishedAt: published.publishedAt } : {}), history: [...published.history] } : null,
  };
}

export const handler = createHttpHandler([
  route({
    method: 'GET',
    path: '/reports/annual/{year}',
    auth: 'report.manage',
    summary: '统计年报的办理情况（D13）：当前版本的阶段、统计数字和文件下载地址，及已公开的版本',
    params: yearParams,
    response: reportView,
    handle: async ({ params }) => viewOf(params.year),
  }),
  route({
    method: 'POST',
    path: '/reports/annual/{year}',
    auth: 'report.manage',
    summary: '统计年报下一步（D13, N13）：draft 生成（或重新生成）草稿，deliver 报送司法行政部门和上级主管部门，publish 公开；公开后更正须说明原因，形成新版本',
    params: yearParams,
    body: z.strictObject({
      action: z.enum(REPORT_ACTIONS).meta({ description: 'draft 生成草稿、deliver 报送、publish 公开' }),
      correctionReason: singleLineText({ min: 4, max: 500 }).optional().meta({ description: '公开后更正的原因（仅 draft，且仅在已公开后）' }),
    }),
    response: reportView,
    handle: async (r) => {
      const { deliverReport, draftReport, publishReport } = await service();
      const year = r.params.year;
      const ctx = { identity: r.identity, requestId: r.requestId };
      if (r.body.action === 'draft') await draftReport(ctx, year, r.body.correctionReason ? { correctionReason: r.body.correctionReason } : {});
      else if (r.body.correctionReason !== undefined) throw new ValidationError('只有生成草稿时才填写更正原因', [{ path: 'body.correctionReason', message: '报送和公开不需要更正原因' }]);
      else if (r.body.action === 'deliver') await deliverReport(ctx, year);
      else await publishReport(ctx, year);
      return viewOf(year);
    },
  }),
]);
