/**
 * The internal API's contract (issue 16, point 6): every route of every API function but the public
 * ones, as OpenAPI 3.1, built by functions/public/openapi.ts from the zod schemas the routes parse with,
 * and the console's client types generated from it (openapi-typescript).
 *
 * Both are generated here and committed (`npm run openapi`): the registry function serves the JSON
 * (GET /openapi.json) through a lazy import, so neither the generator, the handlers' route tables nor
 * openapi-typescript weigh on any cold start (issue 13). test/unit/openapi-internal.test.ts rebuilds
 * both from the live route tables and fails, naming the operation, when a committed file is stale.
 *
 * Public routes are left out: they have their own document (GET /public/openapi.json) for an audience
 * without credentials, and the two documents together cover the manifest exactly (the test checks it).
 *
 * Not for functions: it imports every handler. Only the CLI and tests load it.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { functions } from '../manifest.ts';
import { BINARY_MEDIA_TYPES } from '../manifest.ts';
import { bodySchemaOf } from '../http/router.ts';
import type { Route } from '../http/router.ts';
import type * as z from '../domain/z.ts';
import { buildOpenApi, routeKey } from '../../functions/public/openapi.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const INTERNAL_JSON = join(ROOT, 'shared/openapi/internal.json');
export const CONSOLE_TYPES = join(ROOT, 'console/src/api/schema.d.ts');

const XLSX = BINARY_MEDIA_TYPES[0];

/** What each raw body accepts (the router passes the bytes through; the importer reads .xlsx or CSV). */
export const RAW_BODIES: Readonly<Record<string, readonly string[]>> = {
  'POST /powers/import': [XLSX, 'text/csv'],
};

/** Answers that are not JSON (RawResult), by route; the case file is sent as a link when too large. */
export const RAW_RESPONSES: Readonly<Record<string, { readonly mediaTypes: readonly string[]; readonly redirect?: number }>> = {
  'GET /officers/{id}/certificate-qr.svg': { mediaTypes: ['image/svg+xml'] },
  'GET /officers/{id}/certificate-qr.png': { mediaTypes: ['image/png'] },
  'GET /cases/{id}/documents/{documentId}': { mediaTypes: ['application/pdf'] },
  'GET /cases/{id}/file.pdf': { mediaTypes: ['application/pdf'], redirect: 303 },
  'GET /cases/{id}/file.zip': { mediaTypes: ['application/zip'], redirect: 303 },
};

/**
 * Statuses handlers answer with (an HttpResult) besides their route's declared one. The PUT routes and
 * the training record answer 201 always while their routes declare the default 200.
 */
export const OTHER_SUCCESS: Readonly<Record<string, readonly number[]>> = {
  'PUT /powers/{code}': [201],
  'PUT /inspection-items/{code}': [201],
  'PUT /first-violation-items/{code}': [201],
  'PUT /review-catalogue': [201],
  'PUT /calendar/{year}': [201],
  'POST /officers/{id}/training': [201],
  'POST /powers/import': [201],
  'POST /evidence/uploads/{id}/complete': [202],
};

/** Reads that answer 409 (the 409/422 of writes are documented for every write). */
export const OTHER_ERRORS: Readonly<Record<string, readonly (409 | 422)[]>> = {
  // NO_CERTIFICATE: an officer without a certificate number has no certificate to check.
  'GET /officers/{id}/certificate-qr.svg': [409],
  'GET /officers/{id}/certificate-qr.png': [409],
};

const INFO = {
  title: '行政执法三项制度平台内部接口 (Internal staff API)',
  version: '1.0.0',
  description:
    '工作人员（执法人员、法制审核人员、负责人、法规处）与执法记录设备调用的全部接口：执法主体和人员、职权和事项清单、案件与处罚程序、法制审核、证据、期限提醒、审计。' +
    '除设备接口外均需 Cognito 用户池 ID 令牌（Authorization: Bearer）。错误统一为 {"error":{code,message,details}}，details[].path 指明出错字段。' +
    '公开接口（无需登录）见 GET /public/openapi.json。本文档由 npm run openapi 生成，请勿手工修改。',
};

/** Every API function's route table, each route with the function serving it. */
export async function apiRoutes(): Promise<{ fn: string; route: Route }[]> {
  const out: { fn: string; route: Route }[] = [];
  for (const spec of functions.filter((f) => (f.invokedBy ?? 'api') === 'api')) {
    const mod = (await import(pathToFileURL(join(ROOT, spec.entry)).href)) as { handler?: { routes?: readonly Route[] } };
    const table = mod.handler?.routes;
    if (!table) throw new Error(`${spec.entry} exports no handler.routes (createHttpHandler)`);
    for (const route of table) out.push({ fn: spec.id, route });
  }
  return out;
}

/** The internal document, from the live route tables (lazy body schemas loaded), paths in the manifest's order. */
export async function buildInternalDocument(): Promise<Record<string, unknown>> {
  const internal = (await apiRoutes()).map((r) => r.route).filter((r) => r.auth !== 'public');
  const bodies = new Map<Route, z.ZodType | 'raw'>();
  for (const r of internal) {
    const body = await bodySchemaOf(r);
    if (body !== undefined) bodies.set(r, body);
  }
  for (const key of [...Object.keys(RAW_BODIES), ...Object.keys(RAW_RESPONSES), ...Object.keys(OTHER_SUCCESS), ...Object.keys(OTHER_ERRORS)]) {
    if (!internal.some((r) => routeKey(r) === key)) throw new Error(`OpenAPI: ${key} is in shared/openapi/internal.ts but no function serves it`);
  }
  return buildOpenApi(internal, { info: INFO, bodies, rawBodies: RAW_BODIES, rawResponses: RAW_RESPONSES, otherSuccess: OTHER_SUCCESS, otherErrors: OTHER_ERRORS });
}

/** The committed form: stable key order (as built), two-space indent, final newline. */
export const serialize = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;

/** The console's client types (`paths`, `components`, `operations`) for openapi-fetch. */
export async function buildConsoleTypes(doc: Record<string, unknown>): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  // The document as JSON text: openapi-typescript takes a string as the document itself, not a path.
  const ast = await openapiTS(JSON.stringify(doc), { alphabetize: false, exportType: false });
  return (
    '/**\n' +
    ' * The internal API\'s types, generated by `npm run openapi` from shared/openapi/internal.json (itself\n' +
    ' * generated from the routes\' zod schemas). Do not edit: test/unit/openapi-internal.test.ts fails when stale.\n' +
    ' * Use with openapi-fetch: `createClient<paths>({ baseUrl })`.\n' +
    ' */\n' +
    astToString(ast)
  );
}
