/**
 * `/powers` (the power list, D2, by type, agency and category, the filters kept in the URL) and
 * `/powers/{code}` (one item: legal basis, time limit, flowchart, service guide, remedies, versions).
 */
import type { PublicApi } from '../api.ts';
import { href, html, join, type Html } from '../html.ts';
import { chineseDate } from '../labels.ts';
import { CACHE, errorPage, page, type PortalResponse, type Site } from '../layout.ts';
import { agencyOptions, invalidFilters, option } from './forms.ts';
import type { PublicAgency } from '#domain/agency.ts';
import { badRequest, readFilters, type Query } from './query.ts';
import { POWER_TYPE_LABELS } from '#domain/power-types.ts';
import type { CatalogVersion as DomainVersion, PowerContent as DomainPowerContent } from '#domain/catalog.ts';

/** An item's content as GET /public/powers answers it: the domain's, with the agency's name. */
export type PowerContent = DomainPowerContent & { readonly agencyName: string };

/** A version as the public API shows it: no internal authorship fields. */
export type CatalogVersion<C> = Pick<DomainVersion<C>, 'code' | 'versionNo' | 'effectiveFrom' | 'effectiveTo' | 'content' | 'changeNote' | 'repealReason'>;

interface PowerDetail {
  readonly code: string;
  readonly asOf: string;
  readonly current: CatalogVersion<PowerContent> | null;
  readonly versions: readonly CatalogVersion<PowerContent>[];
}

type Page<T> = { items: T[]; nextCursor: string | null };

/** The URL's filters: the API's (type, agencyId, q, cursor) and category, which the portal applies. */
export const POWER_FILTERS = ['type', 'agencyId', 'category', 'q', 'cursor'] as const;
/** GET /public/powers has no category filter: with one, the portal reads the whole list (bounded). */
const MAX_PAGES_FOR_CATEGORY = 10;
const ITEM_CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{1,39}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const lines = (text: string): string[] => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');

/** Multi-line text as paragraphs (one per line), so a guide reads as the bureau wrote it. */
export function paragraphs(text: string): Html {
  const ls = lines(text);
  return ls.length <= 1 ? html`<p class="text">${text.trim()}</p>` : html`${ls.map((l) => html`<p>${l}</p>`)}`;
}

/** A flowchart given as steps joined by arrows becomes a numbered list; a link stays a link; else text. */
export function flowchart(text: string): Html {
  const t = text.trim();
  if (/^https?:\/\/\S+$/.test(t)) return html`<p><a href="${t}" rel="noopener noreferrer">查看流程图</a></p>`;
  const steps = t.split(/\s*(?:→|->|⇒|\n)\s*/).filter((s) => s !== '');
  if (steps.length >= 2) return html`<ol class="flow">${steps.map((s) => html`<li>${s}</li>`)}</ol>`;
  return paragraphs(t);
}

function powersForm(f: Record<string, string | undefined>, agencies: readonly PublicAgency[], categories: readonly string[]): Html {
  return html`<form class="search" method="get" action="/powers" role="search">
<div class="field"><label for="type">职权类型</label><select id="type" name="type">${option('', '全部类型', f.type)}${join(Object.entries(POWER_TYPE_LABELS).map(([k, v]) => option(k, v, f.type)))}</select></div>
<div class="field"><label for="agencyId">实施主体</label><select id="agencyId" name="agencyId">${option('', '全部机关', f.agencyId)}${join(agencies.map((a) => option(a.id, a.name, f.agencyId)))}</select></div>
<div class="field"><label for="category">执法类别</label><input id="category" name="category" maxlength="30" value="${f.category ?? ''}" list="categories" placeholder="如：食品安全"><datalist id="categories">${categories.map((c) => html`<option value="${c}">`)}</datalist></div>
<div class="field"><label for="q">名称或编码</label><input id="q" name="q" maxlength="50" value="${f.q ?? ''}" placeholder="名称中的字词或编码开头"></div>
<div class="actions"><button type="submit">查询</button> <a href="/powers">清空条件</a></div>
</form>`;
}

export async function powersPage(site: Site, api: PublicApi, query: Query): Promise<PortalResponse> {
  const read = readFilters(site, query, POWER_FILTERS);
  if ('refused' in read) return read.refused;
  const { filters } = read;
  const { category, ...apiFilters } = filters;
  if (category !== undefined && category.length > 30) return badRequest(site, '执法类别过长。');
  if (category !== undefined && apiFilters.cursor !== undefined) return badRequest(site, '按执法类别查询时不分页。');

  const agencies = agencyOptions(api);
  let items: CatalogVersion<PowerContent>[] = [];
  let nextCursor: string | null = null;
  let truncated = false;
  let failure: { status: number; code: string; message: string; details?: readonly { message: string }[] } | undefined;
  if (category === undefined) {
    const result = await api.get<Page<CatalogVersion<PowerContent>>>('/public/powers', { ...apiFilters, limit: '50' });
    if (result.ok) ({ items, nextCursor } = result.body);
    else failure = { status: result.status, ...result.error };
  } else {
    // The API cannot filter by category: read the list page by page (it is short) and keep the category.
    let cursor: string | undefined;
    for (let n = 0; n < MAX_PAGES_FOR_CATEGORY; n++) {
      const result = await api.get<Page<CatalogVersion<PowerContent>>>('/public/powers', { ...apiFilters, cursor, limit: '100' });
      if (!result.ok) {
        failure = { status: result.status, ...result.error };
        break;
      }
      items.push(...result.body.items.filter((v) => v.content.category === category));
      cursor = result.body.nextCursor ?? undefined;
      if (cursor === undefined) break;
      if (n === MAX_PAGES_FOR_CATEGORY - 1) truncated = true;
    }
  }
  const agencyList = await agencies;
  const categories = [...new Set(items.map((v) => v.content.category).filter((c): c is string => c !== undefined))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const form = powersForm(filters, agencyList, categories);
  if (failure) {
    if (failure.status === 400) return invalidFilters(site, { title: '权责清单', current: '/powers', ...failure, form });
    return errorPage(site, failure.status, '无法查询', failure.message);
  }

  // Grouped by category (in the order the list gives them), each item under its heading.
  const groups = new Map<string, CatalogVersion<PowerContent>[]>();
  for (const v of items) {
    const key = v.content.category ?? '其他';
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const filtered = POWER_FILTERS.some((k) => k !== 'cursor' && filters[k] !== undefined);
  const keep = { ...filters, cursor: undefined };
  const item = (v: CatalogVersion<PowerContent>): Html => html`<li class="decision">
<h4><a href="/powers/${encodeURIComponent(v.code)}">${v.content.name}</a></h4>
<p class="meta"><span class="tag">${POWER_TYPE_LABELS[v.content.type] ?? v.content.type}</span> <span class="code">${v.code}</span> · ${v.content.agencyName} · 承办机构：${v.content.handlingDivision}</p>
<p class="meta">办理时限：${v.content.timeLimit}</p>
</li>`;
  return page(site, {
    title: filtered ? '权责清单查询结果' : '权责清单',
    current: '/powers',
    cache: CACHE.reference,
    body: html`<h1>行政执法权责清单</h1>
<p>本局及所属机关依法实施的行政许可、行政处罚、行政强制、行政检查等职权事项，及其设定依据、办理时限、流程和救济渠道。点击事项名称查看详情和历次调整。</p>
${form}
<section aria-labelledby="results-title">
<h2 id="results-title" class="results-title">${filtered ? '查询结果' : '现行有效的职权事项'}${filters.cursor ? '（续）' : ''}</h2>
${truncated ? html`<p class="hint">清单较长，只列出了前 ${MAX_PAGES_FOR_CATEGORY * 100} 项中属于该类别的事项。</p>` : ''}
${items.length === 0
  ? html`<p class="empty">没有符合条件的职权事项。请检查类别名称，或减少查询条件。</p>`
  : join([...groups].map(([name, list]) => html`<section class="group"><h3>${name}<span class="count">（${list.length} 项）</span></h3><ol class="decisions">${list.map(item)}</ol></section>`))}
<nav class="pager" aria-label="翻页">
${filters.cursor ? html`<a href="${href('/powers', keep)}">回到第一页</a>` : ''}
${nextCursor ? html`<a rel="next" href="${href('/powers', { ...keep, cursor: nextCursor })}">下一页</a>` : ''}
</nav>
</section>`,
  });
}

export async function powerPage(site: Site, api: PublicApi, query: Query, code: string): Promise<PortalResponse> {
  const unknown = query.unknown(['asOf']);
  if (unknown) return badRequest(site, `不支持的查询条件「${unknown}」`);
  const asOf = query.one('asOf');
  if (asOf !== undefined && !ISO_DATE.test(asOf)) return badRequest(site, '日期格式应为 年-月-日，如 2026-01-01。');
  const missing = () => errorPage(site, 404, '未找到该职权事项', '权责清单中没有这个编码的事项，它可能从未列入，或链接有误。', html`<p><a href="/powers">查看权责清单</a></p>`);
  if (!ITEM_CODE.test(code)) return missing();
  const result = await api.get<PowerDetail>(`/public/powers/${encodeURIComponent(code)}`, { asOf });
  if (!result.ok) {
    if (result.status === 404) return missing();
    if (result.status === 400) return badRequest(site, result.error.message);
    return errorPage(site, result.status, '无法打开', result.error.message);
  }
  const d = result.body;
  const shown = d.current ?? [...d.versions].sort((a, b) => b.versionNo - a.versionNo)[0];
  if (!shown) return missing();
  const c = shown.content;
  const row = (th: string, td: Html | string): Html => html`<tr><th scope="row">${th}</th><td>${td}</td></tr>`;
  const versions = [...d.versions].sort((a, b) => b.versionNo - a.versionNo);
  return page(site, {
    title: `${c.name}（${d.code}）`,
    current: '/powers',
    cache: CACHE.reference,
    body: html`<nav class="crumbs" aria-label="位置"><a href="/powers">权责清单</a> › ${d.code}</nav>
<h1>${c.name}</h1>
${d.current
  ? ''
  : html`<div class="notice" role="status"><p>该事项在${chineseDate(d.asOf)}不在有效期内（已取消或尚未生效）。以下是第 ${shown.versionNo} 版的内容。</p></div>`}
<table class="summary">
${row('事项编码', d.code)}
${row('职权类型', POWER_TYPE_LABELS[c.type] ?? c.type)}
${c.category ? row('执法类别', c.category) : ''}
${row('实施主体', c.agencyName)}
${row('承办机构', c.handlingDivision)}
${row('现行版本', html`第 ${shown.versionNo} 版，自${chineseDate(shown.effectiveFrom)}起${shown.effectiveTo ? html`至${chineseDate(shown.effectiveTo)}前` : ''}施行`)}
</table>
<section><h2>设定依据</h2>${paragraphs(c.legalBasis)}</section>
<section><h2>办理时限</h2>${paragraphs(c.timeLimit)}</section>
<section><h2>办理流程</h2>${flowchart(c.flowchart)}</section>
<section><h2>服务指南</h2>${paragraphs(c.serviceGuide)}</section>
<section><h2>救济渠道</h2>${paragraphs(c.remedies)}</section>
<section aria-labelledby="history"><h2 id="history">历次版本</h2>
<div class="table-scroll" role="region" tabindex="0" aria-label="历次版本表"><table class="list">
<thead><tr><th scope="col">版本</th><th scope="col">施行日期</th><th scope="col">停止施行</th><th scope="col">调整说明</th></tr></thead>
<tbody>${versions.map(
      (v) => html`<tr><th scope="row">第 ${v.versionNo} 版${v.versionNo === d.current?.versionNo ? html` <span class="tag">现行</span>` : ''}</th><td>${chineseDate(v.effectiveFrom)}</td><td>${v.effectiveTo ? chineseDate(v.effectiveTo) : '—'}</td><td>${v.repealReason ? `取消：${v.repealReason}` : (v.changeNote ?? (v.versionNo === 1 ? '首次列入' : ''))}</td></tr>`,
    )}</tbody>
</table></div>
</section>`,
  });
}
