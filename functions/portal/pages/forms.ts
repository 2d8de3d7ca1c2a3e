/** What the list pages' search forms share: the agency choices, one <option>, and the 400 page that keeps the form. */
import type { PublicAgency } from '#domain/agency.ts';
import type { PublicApi } from '../api.ts';
import { html, type Html } from '../html.ts';
import { CACHE, page, type PortalResponse, type Site } from '../layout.ts';

/** Agencies change rarely (a reorganisation): their list is asked for once per few minutes per API, not on every page. */
const AGENCIES_TTL_MS = 5 * 60_000;
const agencyCache = new WeakMap<PublicApi, { readonly at: number; readonly items: readonly PublicAgency[] }>();

/** The agencies for a form's select; an empty list (the select offers "all") when the API cannot say. */
export async function agencyOptions(api: PublicApi): Promise<readonly PublicAgency[]> {
  const cached = agencyCache.get(api);
  if (cached && Date.now() - cached.at < AGENCIES_TTL_MS) return cached.items;
  const agencies = await api.get<{ items: PublicAgency[] }>('/public/agencies', { limit: '100' });
  if (!agencies.ok) return [];
  agencyCache.set(api, { at: Date.now(), items: agencies.body.items });
  return agencies.body.items;
}

export const option = (value: string, text: string, selected: string | undefined): Html =>
  html`<option value="${value}"${selected === value ? html` selected` : ''}>${text}</option>`;

/** The page shown when the API refuses the filters (400): what is wrong, and the form as it was typed. */
export function invalidFilters(site: Site, options: { title: string; current: string; code: string; message: string; details?: readonly { message: string }[]; form: Html }): PortalResponse {
  const problems = options.details?.map((d) => d.message) ?? [];
  return page(site, {
    title: '查询条件有误',
    current: options.current,
    status: 400,
    cache: CACHE.none,
    body: html`<h1>${options.title}</h1>
<div class="notice" role="alert"><p>${options.code === 'INVALID_CURSOR' ? '翻页链接已失效，请重新查询。' : `查询条件有误：${options.message}`}</p>${problems.length > 0 ? html`<ul>${problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}</div>
${options.form}`,
  });
}

