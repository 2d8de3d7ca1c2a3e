/** Query strings as the portal reads them: each parameter at most once, bounded, known names only. */
import { CACHE, errorPage, page, type PortalResponse, type Site } from '../layout.ts';
import { html } from '../html.ts';

/** Longer than any filter can be; a longer URL is refused before anything is asked of the API. */
export const MAX_QUERY_LENGTH = 1_000;

export class Query {
  constructor(private readonly params: URLSearchParams) {}

  /** The first parameter that is not in `known`, or that is given twice. */
  unknown(known: readonly string[]): string | undefined {
    const seen = new Set<string>();
    for (const key of this.params.keys()) {
      if (!known.includes(key) || seen.has(key)) return key;
      seen.add(key);
    }
    return undefined;
  }

  /** The value, or undefined when absent or blank. */
  one(key: string): string | undefined {
    const v = this.params.get(key);
    return v === null || v.trim() === '' ? undefined : v;
  }
}

/**
 * A list page's filters, read from the query by the names it accepts (trimmed; blank ones absent), or
 * the 400 page when a parameter is unknown or given twice.
 */
export function readFilters(site: Site, query: Query, names: readonly string[], alsoAllowed: readonly string[] = []): { filters: Record<string, string | undefined> } | { refused: PortalResponse } {
  const unknown = query.unknown([...names, ...alsoAllowed]);
  if (unknown) return { refused: badRequest(site, `不支持的查询条件「${unknown}」`) };
  const filters: Record<string, string | undefined> = {};
  for (const k of names) filters[k] = query.one(k)?.trim();
  return { filters };
}

export function badRequest(site: Site, message: string): PortalResponse {
  return errorPage(site, 400, '请求无效', message, html`<p>请使用页面上的查询表单。</p>`);
}

export const notFound = (site: Site): PortalResponse => errorPage(site, 404, '页面不存在', '您访问的页面不存在，可能链接有误或已移动。');

/** Keeps `page` reachable for pages that only need the shell. */
export { page, CACHE };
