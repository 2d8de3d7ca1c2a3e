/**
 * The portal: a GET path and its query in, an HTML page out. The same function serves the local portal
 * server (local/portal-server.ts) and, deployed, the portal's Lambda. It reads only the public API.
 */
import { ApiUnavailable, type PublicApi } from './api.ts';
import { errorPage, type PortalResponse, type Site } from './layout.ts';
import { aboutPage, homePage } from './pages/home.ts';
import { decisionPage, decisionsPage } from './pages/decisions.ts';
import { verifyFormPage, verifyPage } from './pages/verify.ts';
import { badRequest, MAX_QUERY_LENGTH, notFound, Query } from './pages/query.ts';
import { officersPage } from './pages/officers.ts';
import { powerPage, powersPage } from './pages/powers.ts';
import { inspectionItemsPage } from './pages/inspection-items.ts';
import { reportPage, reportsPage } from './pages/reports.ts';
import { calendarIndex, calendarPage } from './pages/calendar.ts';

export interface PortalRequest {
  readonly method: string;
  /** Path only, percent-encoded as received. */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query: string;
}

type Handler = (site: Site, api: PublicApi, query: Query, params: readonly string[]) => Promise<PortalResponse> | PortalResponse;

/** Extra pages registered by page modules (officers, powers, reports…): path pattern → handler. */
const ROUTES: [RegExp, Handler][] = [
  [/^\/$/, (site, api, query) => (query.unknown([]) ? badRequest(site, '首页不接受查询参数') : homePage(site, api))],
  [/^\/about$/, (site) => aboutPage(site)],
  [/^\/decisions$/, (site, api, query) => decisionsPage(site, api, query)],
  [/^\/decisions\/([^/]+)$/, (site, api, query, [id = '']) => (query.unknown([]) ? badRequest(site, '该页面不接受查询参数') : decisionPage(site, api, id))],
  [/^\/verify$/, (site, _api, query) => verifyFormPage(site, query)],
  [/^\/verify\/([^/]+)$/, (site, api, query, [no = '']) => (query.unknown([]) ? badRequest(site, '该页面不接受查询参数') : verifyPage(site, api, no))],
  [/^\/officers$/, (site, api, query) => officersPage(site, api, query)],
  [/^\/powers$/, (site, api, query) => powersPage(site, api, query)],
  [/^\/powers\/([^/]+)$/, (site, api, query, [code = '']) => powerPage(site, api, query, code)],
  [/^\/inspection-items$/, (site, api, query) => inspectionItemsPage(site, api, query)],
  [/^\/reports$/, (site, api, query) => reportsPage(site, api, query)],
  [/^\/reports\/([^/]+)$/, (site, api, query, [year = '']) => reportPage(site, api, query, year)],
  [/^\/calendar$/, (site, _api, query) => calendarIndex(site, query)],
  [/^\/calendar\/([^/]+)$/, (site, api, query, [year = '']) => calendarPage(site, api, query, year)],
];

/** Lets page modules add their routes (kept in one list, matched in order). */
export function addPortalRoute(pattern: RegExp, handler: Handler): void {
  ROUTES.push([pattern, handler]);
}

export async function renderPortal(site: Site, api: PublicApi, request: PortalRequest): Promise<PortalResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const refused = errorPage(site, 405, '不支持的请求', '本网站只提供查询。');
    return { ...refused, headers: { ...refused.headers, allow: 'GET, HEAD' } };
  }
  if (request.query.length > MAX_QUERY_LENGTH || request.path.length > 300) return badRequest(site, '查询条件过长。');
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(request.query);
    // Matched on the raw path and decoded per captured segment (an encoded "/" stays in its segment).
    decodeURIComponent(request.path);
  } catch {
    return badRequest(site, '链接格式有误。');
  }
  for (const value of params.values()) {
    // Control characters and unpaired surrogates never belong in a search.
    if (/[\u0000-\u001f\u007f]/.test(value) || !value.isWellFormed()) return badRequest(site, '查询条件包含无效字符。');
  }
  const query = new Query(params);
  for (const [pattern, handler] of ROUTES) {
    const m = pattern.exec(request.path);
    if (!m) continue;
    const args = m.slice(1).map((s) => decodeURIComponent(s));
    try {
      return await handler(site, api, query, args);
    } catch (e) {
      if (e instanceof ApiUnavailable) return errorPage(site, 503, '暂时无法访问', '数据服务暂时不可用，请稍后再试。');
      throw e;
    }
  }
  return notFound(site);
}
