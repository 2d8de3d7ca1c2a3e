/** `/inspection-items`: the random-inspection item list (双随机抽查事项清单, D3), by agency and keyword. */
import type { PublicApi } from '../api.ts';
import { href, html, join, type Html } from '../html.ts';
import { CACHE, errorPage, page, type PortalResponse, type Site } from '../layout.ts';
import { agencyOptions, invalidFilters, option } from './forms.ts';
import type { PublicAgency } from '#domain/agency.ts';
import { paragraphs, type CatalogVersion } from './powers.ts';
import { readFilters, type Query } from './query.ts';
import type { InspectionContent as DomainInspectionContent } from '#domain/catalog.ts';

/** An item's content as GET /public/inspection-items answers it: the domain's, with the agency's name. */
export type InspectionContent = DomainInspectionContent & { readonly agencyName: string };

export const INSPECTION_FILTERS = ['agencyId', 'q', 'cursor'] as const;

function inspectionForm(f: Record<string, string | undefined>, agencies: readonly PublicAgency[]): Html {
  return html`<form class="search" method="get" action="/inspection-items" role="search">
<div class="field"><label for="agencyId">抽查主体</label><select id="agencyId" name="agencyId">${option('', '全部机关', f.agencyId)}${join(agencies.map((a) => option(a.id, a.name, f.agencyId)))}</select></div>
<div class="field"><label for="q">名称或编码</label><input id="q" name="q" maxlength="50" value="${f.q ?? ''}" placeholder="名称中的字词或编码开头"></div>
<div class="actions"><button type="submit">查询</button> <a href="/inspection-items">清空条件</a></div>
</form>`;
}

export async function inspectionItemsPage(site: Site, api: PublicApi, query: Query): Promise<PortalResponse> {
  const read = readFilters(site, query, INSPECTION_FILTERS);
  if ('refused' in read) return read.refused;
  const { filters } = read;
  const [agencies, result] = await Promise.all([
    agencyOptions(api),
    api.get<{ items: CatalogVersion<InspectionContent>[]; nextCursor: string | null }>('/public/inspection-items', { ...filters, limit: '30' }),
  ]);
  const form = inspectionForm(filters, agencies);
  if (!result.ok) {
    if (result.status === 400) return invalidFilters(site, { title: '随机抽查事项清单', current: '/inspection-items', code: result.error.code, message: result.error.message, details: result.error.details, form });
    return errorPage(site, result.status, '无法查询', result.error.message);
  }
  const { items, nextCursor } = result.body;
  const filtered = INSPECTION_FILTERS.some((k) => k !== 'cursor' && filters[k] !== undefined);
  const keep = { ...filters, cursor: undefined };
  const row = (th: string, td: Html | string): Html => html`<tr><th scope="row">${th}</th><td>${td}</td></tr>`;
  const item = (v: CatalogVersion<InspectionContent>): Html => {
    const c = v.content;
    return html`<li class="item" id="${v.code}">
<h3>${c.name} <span class="code">${v.code}</span></h3>
<table class="summary">
${row('抽查主体', c.agencyName)}
${row('抽查对象', paragraphs(c.object))}
${row('抽查内容', paragraphs(c.content))}
${row('抽查依据', paragraphs(c.basis))}
${row('抽查方式', paragraphs(c.method))}
${row('抽查比例', c.ratio)}
${row('抽查频次', c.frequency)}
</table>
</li>`;
  };
  return page(site, {
    title: filtered ? '随机抽查事项查询结果' : '随机抽查事项清单',
    current: '/inspection-items',
    cache: CACHE.reference,
    body: html`<h1>随机抽查事项清单</h1>
<p>“双随机、一公开”监管：随机抽取检查对象、随机选派执法检查人员，抽查情况及查处结果及时向社会公开。下列为现行有效的抽查事项，及其依据、对象、内容、比例和频次。</p>
${form}
<section aria-labelledby="results-title">
<h2 id="results-title" class="results-title">${filtered ? '查询结果' : '现行有效的抽查事项'}${filters.cursor ? '（续）' : ''}</h2>
${items.length === 0 ? html`<p class="empty">没有符合条件的抽查事项。</p>` : html`<ol class="items">${items.map(item)}</ol>`}
<nav class="pager" aria-label="翻页">
${filters.cursor ? html`<a href="${href('/inspection-items', keep)}">回到第一页</a>` : ''}
${nextCursor ? html`<a rel="next" href="${href('/inspection-items', { ...keep, cursor: nextCursor })}">下一页</a>` : ''}
</nav>
</section>`,
  });
}
