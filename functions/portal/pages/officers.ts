/**
 * `/officers`: the register of enforcement officers (D4) by agency and by category, paged with the
 * API's cursors, the filters kept in the URL. Each certificate number opens its check (`/verify/{no}`).
 */
import type { PublicApi } from '../api.ts';
import { href, html, join, type Html } from '../html.ts';
import { CERTIFICATE_STATUS, chineseDate } from '../labels.ts';
import { CACHE, errorPage, page, type PortalResponse, type Site } from '../layout.ts';
import { readFilters, type Query } from './query.ts';
import { agencyOptions, invalidFilters, option } from './forms.ts';
import type { PublicAgency } from '#domain/agency.ts';
import type { PublicOfficer } from '#domain/officer.ts';




/** The filters of GET /public/officers, by the names the API uses (and the URL keeps). */
export const OFFICER_FILTERS = ['agencyId', 'category', 'name', 'cursor'] as const;

/** The agencies for a filter's select (one page of 100 is every agency of a bureau). */
function officersForm(f: Record<string, string | undefined>, agencies: readonly PublicAgency[]): Html {
  return html`<form class="search" method="get" action="/officers" role="search">
<div class="field"><label for="agencyId">执法机关</label><select id="agencyId" name="agencyId">${option('', '全部机关', f.agencyId)}${join(agencies.map((a) => option(a.id, a.name, f.agencyId)))}</select></div>
<div class="field"><label for="category">执法类别</label><input id="category" name="category" maxlength="30" value="${f.category ?? ''}" placeholder="如：食品安全" aria-describedby="category-hint"><p id="category-hint" class="hint">填写完整的类别名称。</p></div>
<div class="field"><label for="name">姓名</label><input id="name" name="name" maxlength="30" value="${f.name ?? ''}" placeholder="输入姓名开头的字"></div>
<div class="actions"><button type="submit">查询</button> <a href="/officers">清空条件</a></div>
</form>`;
}

export async function officersPage(site: Site, api: PublicApi, query: Query): Promise<PortalResponse> {
  const read = readFilters(site, query, OFFICER_FILTERS);
  if ('refused' in read) return read.refused;
  const { filters } = read;

  const [agencies, result] = await Promise.all([
    agencyOptions(api),
    api.get<{ items: PublicOfficer[]; nextCursor: string | null }>('/public/officers', { ...filters, limit: '30' }),
  ]);
  const form = officersForm(filters, agencies);
  if (!result.ok) {
    if (result.status === 400) return invalidFilters(site, { title: '执法人员名录', current: '/officers', code: result.error.code, message: result.error.message, details: result.error.details, form });
    return errorPage(site, result.status === 404 ? 404 : result.status, '无法查询', result.error.message);
  }
  const { items, nextCursor } = result.body;
  const filtered = OFFICER_FILTERS.some((k) => k !== 'cursor' && filters[k] !== undefined);
  const rows = items.map((o) => {
    const status = CERTIFICATE_STATUS[o.certificateStatus] ?? { label: o.certificateStatus, tone: 'bad' as const };
    return html`<tr>
<th scope="row">${o.name}</th>
<td>${o.agencyName}</td>
<td><a class="code" href="/verify/${encodeURIComponent(o.certificateNo)}">${o.certificateNo}</a></td>
<td><span class="cert cert-${status.tone}">${status.label}</span><br><span class="meta">至 <time datetime="${o.validUntil}">${chineseDate(o.validUntil)}</time></span></td>
<td>${o.categories.join('、')}</td>
<td>${o.region}</td>
</tr>`;
  });
  const keep = { ...filters, cursor: undefined };
  return page(site, {
    title: filtered ? '执法人员查询结果' : '执法人员名录',
    current: '/officers',
    // A certificate's status can change (suspension, revocation): kept only briefly, like a list.
    cache: CACHE.list,
    body: html`<h1>执法人员名录</h1>
<p>在本局及所属机关从事行政执法的人员及其执法证件。点击证件编号可查看证件当前是否有效。</p>
${form}
<section aria-labelledby="results-title">
<h2 id="results-title" class="results-title">${filtered ? '查询结果' : '全部执法人员'}${filters.cursor ? '（续）' : ''}</h2>
${items.length === 0
  ? html`<p class="empty">没有符合条件的执法人员。请检查类别名称，或减少查询条件。</p>`
  : html`<div class="table-scroll" role="region" tabindex="0" aria-label="执法人员表"><table class="list">
<caption class="visually-hidden">执法人员：姓名、执法机关、证件编号、证件状态、执法类别、执法区域</caption>
<thead><tr><th scope="col">姓名</th><th scope="col">执法机关</th><th scope="col">执法证件编号</th><th scope="col">证件状态</th><th scope="col">执法类别</th><th scope="col">执法区域</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`}
<nav class="pager" aria-label="翻页">
${filters.cursor ? html`<a href="${href('/officers', keep)}">回到第一页</a>` : ''}
${nextCursor ? html`<a rel="next" href="${href('/officers', { ...keep, cursor: nextCursor })}">下一页</a>` : ''}
</nav>
</section>`,
  });
}
