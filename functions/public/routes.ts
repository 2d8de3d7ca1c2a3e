/**
 * The public disclosure API (D1–D5, D14): no login, read-only, and only public projections.
 * This function has no permission on the Cases table at all.
 */
import * as z from '#domain/z.ts';
import { singleLineText } from '#domain/text.ts';
import * as reports from '#store/reports.ts';
import { publicAgency, toPublicAgency } from '#domain/agency.ts';
import { certificateCheck, certificateNo, effectiveCertificateStatus, publicOfficer } from '#domain/officer.ts';
import type { PublicOfficer } from '#domain/officer.ts';
import { inspectionContent, POWER_TYPES, powerContent } from '#domain/catalog.ts';
import type { CatalogVersion, InspectionContent, PowerContent } from '#domain/catalog.ts';
import { shanghaiToday } from '#domain/dates.ts';
import { agencyId } from '#domain/agency.ts';
import { AppError, NotFoundError } from '#domain/errors.ts';
import { calendarDate } from '#domain/dates.ts';
import { decisionProof, publicDecision } from '#domain/disclosure.ts';
import * as disclosures from '#store/disclosures.ts';
import { route } from '#http/router.ts';
import type { Route } from '#http/router.ts';
import { asOfQuery, pageOf, pageQuery } from '#http/schemas.ts';
import * as registry from '#store/registry.ts';
import * as catalogStore from '#store/catalog.ts';
import { getItem } from '#services/catalog.ts';
import { calendarYearParams, publicCalendarYear } from '#domain/calendar.ts';
import { getPublicCalendarYear } from '#services/calendar.ts';
import { agencyNames } from './agency-names.ts';
import { checkpointSchema } from '#domain/checkpoint.ts';
import { withAllFigures } from '#domain/annual-report.ts';
import { agencyFigures, reportFigures as figures } from '#domain/report-schemas.ts';

// Loaded on first use (their own chunks in the deployed bundle, infra/bundling.ts): S3 and KMS serve
// only the report links and the proofs, not the searches and certificate checks a cold start is for.
const reportsBucket = () => import('#aws/reports-bucket.ts');
const proofs = () => import('#services/decision-proof.ts');
const checkpoints = () => import('#services/checkpoints.ts');

const versionSchema = <C extends z.ZodType>(content: C, id: string) =>
  z
    .object({
      code: z.string(),
      versionNo: z.number().int(),
      effectiveFrom: z.string(),
      effectiveTo: z.string().optional(),
      content,
      changeNote: z.string().optional(),
      repealReason: z.string().optional(),
    })
    .meta({ id });

const powerVersion = versionSchema(powerContent.extend({ agencyName: z.string() }), 'PowerVersion');
const inspectionVersion = versionSchema(inspectionContent.extend({ agencyName: z.string() }), 'InspectionItemVersion');

/** Public shape of a version: no internal authorship fields. */
async function publicVersion<C extends { agencyId: string }>(v: CatalogVersion<C>) {
  const names = await agencyNames();
  return {
    code: v.code,
    versionNo: v.versionNo,
    effectiveFrom: v.effectiveFrom,
    ...(v.effectiveTo ? { effectiveTo: v.effectiveTo } : {}),
    content: { ...v.content, agencyName: names.get(v.content.agencyId) ?? v.content.agencyId },
    ...(v.changeNote ? { changeNote: v.changeNote } : {}),
    ...(v.repealReason ? { repealReason: v.repealReason } : {}),
  };
}

const officersQuery = z.strictObject({
  agencyId: agencyId.optional(),
  name: singleLineText({ min: 1, max: 30 }).optional().meta({ description: '姓名（前缀匹配）' }),
  category: singleLineText({ min: 1, max: 30 }).optional().meta({ description: '执法类别' }),
  ...pageQuery,
});

const powersQuery = z.strictObject({
  type: z.enum(POWER_TYPES).optional(),
  agencyId: agencyId.optional(),
  q: singleLineText({ min: 1, max: 50 }).optional().meta({ description: '按名称包含或编码前缀搜索' }),
  ...asOfQuery,
  ...pageQuery,
});

const inspectionQuery = z.strictObject({
  agencyId: agencyId.optional(),
  q: singleLineText({ min: 1, max: 50 }).optional().meta({ description: '按名称包含或编码前缀搜索' }),
  ...asOfQuery,
  ...pageQuery,
});

const decisionsQuery = z.strictObject({
  kind: z.enum(POWER_TYPES).optional().meta({ description: '决定类别；PENALTY 只含列入处罚信息公示的决定' }),
  agencyId: agencyId.optional(),
  party: singleLineText({ min: 1, max: 100 }).optional().meta({ description: '当事人名称（前缀匹配）' }),
  creditCode: z.string().trim().toUpperCase().regex(/^[0-9A-Z]{18}$/, { message: '统一社会信用代码应为 18 位' }).optional(),
  decisionNo: singleLineText({ min: 2, max: 60 }).optional(),
  from: calendarDate.optional().meta({ description: '决定日期起' }),
  to: calendarDate.optional().meta({ description: '决定日期止' }),
  ...pageQuery,
});

const publicAnnualReport = z
  .object({
    year: z.number(),
    version: z.number(),
    stage: z.literal('PUBLISHED'),
    bureauName: z.string(),
    generatedAt: z.string(),
    publishedAt: z.string().optional(),
    penaltySeverityOrder: z.array(z.string()),
    agencies: z.array(agencyFigures),
    total: figures,
    correction: z.object({ reason: z.string(), previousVersion: z.number() }).optional(),
    history: z.array(z.object({ version: z.number(), publishedAt: z.string() }).loose()),
    files: z.object({ pdf: z.string(), xlsx: z.string() }),
  })
  .meta({ id: 'AnnualReport' });

export const publicRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/public/agencies',
    auth: 'public',
    summary: '执法主体名录（D1）',
    query: z.strictObject({ ...pageQuery }),
    response: pageOf(publicAgency, 'AgencyPage'),
    handle: async ({ query }) => {
      const page = await registry.listAgencies(query, true);
      return { items: page.items.map(toPublicAgency), nextCursor: page.nextCursor };
    },
  }),
  route({
    method: 'GET',
    path: '/public/officers',
    auth: 'public',
    summary: '执法人员名录（D4）：姓名、单位、证件编号、执法类别、执法区域；不含个人信息',
    query: officersQuery,
    response: pageOf(publicOfficer, 'OfficerPage'),
    handle: async ({ query }) => {
      const { agencyId: a, name, category, ...page } = query;
      const [res, names] = await Promise.all([registry.listOfficers({ agencyId: a, name, category }, page, true), agencyNames()]);
      const today = shanghaiToday();
      const items: PublicOfficer[] = res.items.map((o) => ({
        id: o.id,
        name: o.name,
        agencyId: o.agencyId,
        agencyName: names.get(o.agencyId) ?? o.agencyId,
        certificateNo: o.certificateNo,
        categories: [...o.categories],
        region: o.region,
        certificateStatus: effectiveCertificateStatus(o, today),
        validUntil: o.validUntil,
      }));
      return { items, nextCursor: res.nextCursor };
    },
  }),
  route({
    method: 'GET',
    path: '/public/officers/verify/{certificateNo}',
    auth: 'public',
    summary: '执法证件核验（D5）：有效、过期、暂扣或吊销；未知编号返回 404',
    params: z.strictObject({ certificateNo }),
    response: certificateCheck,
    handle: async ({ params }) => {
      const o = await registry.getPublicOfficerByCertificate(params.certificateNo);
      if (!o) throw new NotFoundError(`未找到编号为 ${params.certificateNo} 的执法证件`);
      const agency = await registry.getPublicAgency(o.agencyId);
      return {
        certificateNo: o.certificateNo,
        status: effectiveCertificateStatus(o),
        name: o.name,
        agencyName: agency?.name ?? o.agencyId,
        categories: [...o.categories],
        region: o.region,
        validUntil: o.validUntil,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/public/powers',
    auth: 'public',
    summary: '行政执法职权事项清单（D2），可按类型、主体、关键词和日期查询',
    query: powersQuery,
    response: pageOf(powerVersion, 'PowerPage'),
    handle: async ({ query }) => {
      const { type, agencyId: a, q, asOf, ...page } = query;
      const res = await catalogStore.listInForce<PowerContent>('POWER', { asOf: asOf ?? shanghaiToday(), type, agencyId: a, q }, page);
      return { items: await Promise.all(res.items.map(publicVersion)), nextCursor: res.nextCursor };
    },
  }),
  route({
    method: 'GET',
    path: '/public/powers/{code}',
    auth: 'public',
    summary: '职权事项详情及其全部历史版本（D2）',
    params: z.strictObject({ code: z.string().min(1).max(40) }),
    query: z.strictObject({ ...asOfQuery }),
    response: z
      .object({ code: z.string(), asOf: z.string(), current: powerVersion.nullable(), versions: z.array(powerVersion) })
      .meta({ id: 'PowerDetail' }),
    handle: async ({ params, query }) => {
      const item = await getItem<PowerContent>('POWER', params.code, query.asOf ?? shanghaiToday());
      return {
        code: item.code,
        asOf: item.asOf,
        current: item.current ? await publicVersion(item.current) : null,
        versions: await Promise.all(item.versions.map(publicVersion)),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/public/inspection-items',
    auth: 'public',
    summary: '双随机抽查事项清单（D3）',
    query: inspectionQuery,
    response: pageOf(inspectionVersion, 'InspectionItemPage'),
    handle: async ({ query }) => {
      const { agencyId: a, q, asOf, ...page } = query;
      const res = await catalogStore.listInForce<InspectionContent>('INSPECTION', { asOf: asOf ?? shanghaiToday(), agencyId: a, q }, page);
      return { items: await Promise.all(res.items.map(publicVersion)), nextCursor: res.nextCursor };
    },
  }),
  route({
    method: 'GET',
    path: '/public/decisions',
    auth: 'public',
    summary: '已公示的执法决定（D7）：按类别、机关、当事人、信用代码、文号和决定日期查询',
    query: decisionsQuery,
    response: pageOf(publicDecision.omit({ documentText: true, legalBasis: true, notice: true }).meta({ id: 'PublicDecisionSummary' }), 'DecisionPage'),
    handle: async ({ query }) => {
      const { cursor, limit, ...q } = query;
      if (q.from && q.to && q.from > q.to) throw new ValidationErrorFromTo();
      return disclosures.search(q, { cursor, limit });
    },
  }),
  route({
    method: 'GET',
    path: '/public/decisions/{id}',
    auth: 'public',
    summary: '已公示决定详情；撤下的返回 410',
    params: z.strictObject({ id: z.uuid({ message: '编号格式无效' }) }),
    response: publicDecision,
    handle: async ({ params }) => {
      const stored = await disclosures.getRecord(params.id);
      if (!stored) throw new NotFoundError('未找到该公示决定');
      if (stored.status === 'WITHDRAWN') throw new GoneError('WITHDRAWN', `该决定已于 ${stored.withdrawnOn} 撤下公示`, stored.withdrawnOn ?? '');
      if (stored.status === 'EXPIRED') throw new GoneError('EXPIRED', '该决定公示期已满，不再公示', stored.record.disclosureEndsOn);
      return stored.record;
    },
  }),
  route({
    method: 'GET',
    path: '/public/decisions/{id}/proof',
    auth: 'public',
    summary:
      '已公示决定在审计日志中的证明（issue 12）：公示、更正、撤下（或公示期满）的审计事件，各附对其审计链最新签名检查点的包含证明；只含事件哈希、动作与时间，不含事件内容。撤下或期满的决定仍可查验',
    params: z.strictObject({ id: z.uuid({ message: '编号格式无效' }) }),
    response: decisionProof,
    // Withdrawn and expired records answer too: that a decision was published and then withdrawn is public.
    handle: async ({ params }) => (await proofs()).decisionProof(params.id),
  }),
  route({
    method: 'GET',
    path: '/public/reports/{year}',
    auth: 'public',
    summary: '年度行政执法统计年报（D13）：分机构与合计的数据，及 PDF、Excel 下载地址（5 分钟有效）',
    params: z.strictObject({ year: z.coerce.number().int().min(2000).max(2199) }),
    response: publicAnnualReport,
    handle: async ({ params }) => {
      const published = await reports.publishedReport(params.year);
      if (!published) throw new NotFoundError(`${params.year} 年度统计年报尚未公开`, 'REPORT_NOT_PUBLISHED');
      const name = `${params.year}年度行政执法统计年报`;
      const { reportFileUrl } = await reportsBucket();
      const [pdf, xlsx] = await Promise.all([reportFileUrl(published.files.pdf, `${name}.pdf`, 300), reportFileUrl(published.files.xlsx, `${name}.xlsx`, 300)]);
      // Versions stored before a figure existed read it as 0.
      return { ...withAllFigures(published.report), publishedAt: published.publishedAt, history: published.history, files: { pdf, xlsx } };
    },
  }),
  route({
    method: 'GET',
    path: '/public/calendar/{year}',
    auth: 'public',
    summary: '某年法定节假日安排（D7）：工作日期限据此计算；数据来源、各节日放假与调休上班日期，录入的安排与程序包数据不同的日期',
    params: calendarYearParams,
    response: publicCalendarYear,
    handle: async ({ params }) => getPublicCalendarYear(params.year),
  }),
  ...auditRoutes(),
];

/**
 * The audit trail's signed checkpoints (issue 12): the key, the checkpoints of a chain, and consistency
 * proofs between two of them. Hashes only: no event is ever readable here (the function's IAM policy
 * allows the CHECKPOINT#, MERKLE# and FRONTIER# partitions of the Audit table and nothing else).
 */
function auditRoutes(): Route[] {
  const treeSize = z.coerce.number().int().min(1).max(999_999_999_999);
  const hex = z.string().regex(/^[0-9a-f]{64}$/);
  const chain = z.string().min(1).max(16).meta({ description: '审计链：s00…s15，或拆分前的 main' });
  return [
    route({
      method: 'GET',
      path: '/public/audit/key',
      auth: 'public',
      summary: '审计检查点的签名公钥（ECDSA P-256，PEM 与 JWK）',
      query: z.strictObject({}),
      response: z
        .object({ keyId: z.string(), algorithm: z.literal('ECDSA_P256_SHA256'), pem: z.string(), jwk: z.object({}).loose() })
        .meta({ id: 'CheckpointKey' }),
      handle: async () => (await checkpoints()).checkpointPublicKey(),
    }),
    route({
      method: 'GET',
      path: '/public/audit/checkpoints',
      auth: 'public',
      summary: '某条审计链的签名检查点，按树大小排列（from、to 为树大小）',
      query: z.strictObject({
        chain,
        from: treeSize.optional().meta({ description: '最小树大小' }),
        to: treeSize.optional().meta({ description: '最大树大小' }),
        ...pageQuery,
      }),
      response: pageOf(checkpointSchema, 'CheckpointPage'),
      handle: async ({ query }) => {
        const { chain: c, from, to, ...page } = query;
        return (await checkpoints()).checkpointsOf(c, { from, to }, page);
      },
    }),
    route({
      method: 'GET',
      path: '/public/audit/checkpoints/{chain}/{size}/consistency',
      auth: 'public',
      summary: '两个检查点之间的一致性证明（RFC 9162）：树大小 from 的树是树大小 size 的树的前缀',
      params: z.strictObject({ chain, size: treeSize }),
      query: z.strictObject({ from: treeSize.meta({ description: '较早检查点的树大小' }) }),
      response: z
        .object({ chain: z.string(), from: z.number(), to: z.number(), fromRoot: hex, toRoot: hex, proof: z.array(hex) })
        .meta({ id: 'ConsistencyProof' }),
      handle: async ({ params, query }) => {
        const { nodesRead: _reads, ...answer } = await (await checkpoints()).checkpointConsistency(params.chain, params.size, query.from);
        return answer;
      },
    }),
  ];
}

/** 410: the record was public once and is no longer (D11, N5). */
class GoneError extends AppError {
  readonly status = 410;
  constructor(code: string, message: string, date: string) {
    super(code, message, [{ path: 'date', message: date, date }]);
  }
}

class ValidationErrorFromTo extends AppError {
  readonly status = 400;
  constructor() {
    super('VALIDATION_FAILED', '起始日期不能晚于截止日期', [{ path: 'query.from', message: '起始日期晚于截止日期' }]);
  }
}
