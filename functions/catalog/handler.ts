/**
 * The power list and the random-inspection item list for internal users (D2, D3): read with
 * history; admins create, version, repeal and import.
 */
import * as z from '#domain/z.ts';
import { versionOrNew } from '#domain/numbers.ts';
import { multiLineText, singleLineText } from '#domain/text.ts';
import { CATALOG_KINDS, createBody, inspectionContent, itemCode, POWER_TYPES, powerContent, repealBody, updateBody } from '#domain/catalog.ts';
import type { CatalogKind } from '#domain/catalog.ts';
import { shanghaiToday } from '#domain/dates.ts';
import { agencyId } from '#domain/agency.ts';
import type { Identity } from '#domain/identity.ts';
import { createHttpHandler, HttpResult, route } from '#http/router.ts';
import type { Route } from '#http/router.ts';
import { asOfQuery, pageQuery } from '#http/schemas.ts';
import * as catalogStore from '#store/catalog.ts';
import { getItem } from '#services/catalog-read.ts';
import { REVIEW_CATALOGUE_CODE } from '#services/review-catalogue.ts';
import { DEFAULT_REVIEW_CATALOGUE_CONTENT, reviewCatalogueContent } from '#domain/review-catalogue.ts';
import { firstViolationContent } from '#domain/closing.ts';
import { calendarDate } from '#domain/dates.ts';
import { calendarPutBody, calendarYearParams } from '#domain/calendar.ts';

// Changes (transactions with their audit events, agency checks) are loaded by the first change, not
// at every cold start: the read routes answer without them (issue 13).
const changes = () => import('#services/catalog.ts');

const codeParam = z.strictObject({ code: itemCode });
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });

/** The same five routes for each versioned list. */
function listRoutes(kind: CatalogKind, base: string, content: z.ZodType, extraQuery: Record<string, z.ZodType> = {}): Route[] {
  const label = CATALOG_KINDS[kind].label;
  return [
    route({
      method: 'GET',
      path: base,
      auth: 'catalog.read',
      summary: `${label}列表（按日期有效的版本）`,
      query: z.strictObject({ agencyId: agencyId.optional(), q: singleLineText({ min: 1, max: 50 }).optional(), ...extraQuery, ...asOfQuery, ...pageQuery }),
      handle: async ({ query }) => {
        const { asOf, agencyId: a, q, type, cursor, limit } = query as { asOf?: string; agencyId?: string; q?: string; type?: string; cursor?: string; limit: number };
        return catalogStore.listInForce(kind, { asOf: asOf ?? shanghaiToday(), agencyId: a, q, type }, { cursor, limit });
      },
    }),
    route({
      method: 'POST',
      path: base,
      auth: 'catalog.manage',
      summary: `新建${label}`,
      body: createBody(content),
      status: 201,
    idempotency: 'Catalog',
      handle: async (r) => {
        const body = r.body as { code: string; effectiveFrom?: string; content: unknown };
        const v = await (await changes()).createItem(ctx(r), kind, body.code, body.content, body.effectiveFrom);
        return getItem(kind, v.code, v.effectiveFrom);
      },
    }),
    route({
      method: 'GET',
      path: `${base}/{code}`,
      auth: 'catalog.read',
      summary: `${label}详情及历史版本`,
      params: codeParam,
      query: z.strictObject({ ...asOfQuery }),
      handle: async ({ params, query }) => getItem(kind, params.code, query.asOf ?? shanghaiToday()),
    }),
    route({
      method: 'PUT',
      path: `${base}/{code}`,
      auth: 'catalog.manage',
      summary: `修订${label}：生成新版本`,
      params: codeParam,
      body: updateBody(content),
      status: 201,
      handle: async (r) => {
        const body = r.body as { version: number; effectiveFrom?: string; changeNote?: string; content: unknown };
        const v = await (await changes()).updateItem(ctx(r), kind, r.params.code, body.version, body.content, body.effectiveFrom, body.changeNote);
        return new HttpResult(201, await getItem(kind, v.code, v.effectiveFrom));
      },
    }),
    route({
      method: 'POST',
      path: `${base}/{code}/repeal`,
      auth: 'catalog.manage',
      summary: `废止${label}`,
      params: codeParam,
      body: repealBody,
      handle: async (r) => (await changes()).repealItem(ctx(r), kind, r.params.code, r.body.version, r.body.reason, r.body.effectiveTo),
    }),
  ];
}

export const handler = createHttpHandler([
  route({
    method: 'GET',
    path: '/review-catalogue',
    auth: 'catalog.read',
    summary: '法制审核目录（L3）：生效版本及历史；未设置时为国家规定的缺省值',
    query: z.strictObject({ ...asOfQuery }),
    handle: async ({ query }) => {
      const asOf = query.asOf ?? shanghaiToday();
      const versions = await catalogStore.getVersions('REVIEW_CATALOGUE', REVIEW_CATALOGUE_CODE);
      if (versions.length === 0) return { code: REVIEW_CATALOGUE_CODE, version: 0, asOf, current: null, defaults: DEFAULT_REVIEW_CATALOGUE_CONTENT, versions: [] };
      return getItem('REVIEW_CATALOGUE', REVIEW_CATALOGUE_CODE, asOf);
    },
  }),
  route({
    method: 'PUT',
    path: '/review-catalogue',
    auth: 'catalog.manage',
    summary: '修订法制审核目录：生成新版本（version 为 0 时创建第一版）',
    body: z.strictObject({
      version: versionOrNew,
      effectiveFrom: calendarDate.optional(),
      changeNote: multiLineText({ max: 500 }).optional(),
      content: reviewCatalogueContent,
    }),
    status: 201,
    handle: async (r) => {
      const v =
        r.body.version === 0
          ? await (await changes()).createItem(ctx(r), 'REVIEW_CATALOGUE', REVIEW_CATALOGUE_CODE, r.body.content, r.body.effectiveFrom)
          : await (await changes()).updateItem(ctx(r), 'REVIEW_CATALOGUE', REVIEW_CATALOGUE_CODE, r.body.version, r.body.content, r.body.effectiveFrom, r.body.changeNote);
      return new HttpResult(201, await getItem('REVIEW_CATALOGUE', REVIEW_CATALOGUE_CODE, v.effectiveFrom));
    },
  }),
  // The holiday calendar as data (D7, N4, issue 11): any staff member reads, the legal division enters.
  route({
    method: 'GET',
    path: '/calendar/{year}',
    auth: 'catalog.read',
    summary: '某年法定节假日安排：数据来源（程序包、补充数据、录入、无）、各节日放假与调休上班日期、与程序包不同之处、录入历史',
    params: calendarYearParams,
    // The calendar service (its store and the year views) is loaded by the two calendar routes only.
    handle: async ({ params }) => (await import('#services/calendar.ts')).getCalendarYear(params.year),
  }),
  route({
    method: 'PUT',
    path: '/calendar/{year}',
    auth: 'calendar.manage',
    summary: '录入或修改某年法定节假日安排（生成新版本；修改或覆盖程序包数据须说明原因），随后重新计算暂定期限',
    params: calendarYearParams,
    body: calendarPutBody,
    status: 201,
    handle: async (r) => {
      const { enterCalendarYear } = await import('#services/calendar.ts');
      return new HttpResult(201, await enterCalendarYear(ctx(r), r.params.year, r.body));
    },
  }),
  ...listRoutes('POWER', '/powers', powerContent, { type: z.enum(POWER_TYPES).optional() }),
  ...listRoutes('INSPECTION', '/inspection-items', inspectionContent),
  ...listRoutes('FIRST_VIOLATION', '/first-violation-items', firstViolationContent),
  route({
    method: 'POST',
    path: '/powers/import',
    auth: 'catalog.manage',
    summary: '从 .xlsx 或 .csv 导入职权事项清单：全部行校验通过才导入',
    body: 'raw',
    query: z.strictObject({
      dryRun: z.enum(['true', 'false']).optional().meta({ description: '只校验不写入' }),
      fileName: singleLineText({ max: 200 }).optional(),
    }),
    handle: async (r) => {
      // The spreadsheet reader is loaded by this route only (its own chunk in the deployed bundle).
      const { importPowers } = await import('#services/power-import.ts');
      const report = await importPowers(
        ctx(r),
        { bytes: r.body as unknown as Buffer, contentType: r.headers['content-type'] ?? '', ...(r.query.fileName ? { fileName: r.query.fileName } : {}) },
        { dryRun: r.query.dryRun === 'true' },
      );
      return new HttpResult(report.dryRun ? 200 : 201, report);
    },
  }),
]);
