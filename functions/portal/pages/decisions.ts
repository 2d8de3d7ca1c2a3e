/** `/decisions` (search with every filter of GET /public/decisions, kept in the URL) and `/decisions/{id}`. */
import type { PublicApi } from '../api.ts';
import { href, html, join, type Html } from '../html.ts';
import { chineseDate, KIND_LABELS, label, PARTY_KIND_LABELS, yuan } from '../labels.ts';
import { CACHE, errorPage, page, type PortalResponse, type Site } from '../layout.ts';
import { readFilters, type Query } from './query.ts';
import { agencyOptions, invalidFilters, option } from './forms.ts';
import type { PublicAgency as Agency } from '#domain/agency.ts';
import type { PublicDecision as DecisionDetail, PublicDecisionSummary as DecisionSummary } from '#domain/disclosure.ts';

export type { DecisionSummary };




/** The filters of GET /public/decisions, by the names the API uses (and the URL keeps). */
export const DECISION_FILTERS = ['kind', 'agencyId', 'party', 'creditCode', 'decisionNo', 'from', 'to', 'cursor'] as const;

/**
 * The one search box of the home page (`q`): a credit code (18 letters and digits), a decision number
 * (it has 〔〕 or ends in 号), or else the beginning of a party's name.
 */
export function interpretQ(q: string): { party?: string; creditCode?: string; decisionNo?: string } {
  const t = q.trim();
  if (/^[0-9A-Za-z]{18}$/.test(t)) return { creditCode: t.toUpperCase() };
  if (/[〔〕\[\]]|号$/.test(t)) return { decisionNo: t };
  return t ? { party: t } : {};
}

export async function decisionsPage(site: Site, api: PublicApi, query: Query): Promise<PortalResponse> {
  const read = readFilters(site, query, DECISION_FILTERS, ['q']);
  if ('refused' in read) return read.refused;
  const { filters } = read;
  const q = query.one('q');
  if (q !== undefined) Object.assign(filters, interpretQ(q));

  const [agencies, result] = await Promise.all([
    agencyOptions(api),
    api.get<{ items: DecisionSummary[]; nextCursor: string | null }>('/public/decisions', { ...filters, limit: '20' }),
  ]);
  const form = searchForm(filters, agencies);
  if (!result.ok) {
    if (result.status === 400) {
      // The API names what is wrong; the form keeps what was typed, so nothing is lost.
      return invalidFilters(site, { title: '查询执法决定', current: '/decisions', code: result.error.code, message: result.error.message, details: result.error.details, form });
    }
    return errorPage(site, result.status, '无法查询', result.error.message);
  }
  const { items, nextCursor } = result.body;
  const filtered = DECISION_FILTERS.some((k) => k !== 'cursor' && filters[k] !== undefined);
  const rows = items.map(
    (d) => html`<li class="decision">
<h2><a href="/decisions/${encodeURIComponent(d.id)}">${d.decisionNo}</a></h2>
<p class="party">${d.party.name}${d.party.creditCode ? html` <span class="code">${d.party.creditCode}</span>` : ''}</p>
<p class="meta"><span class="tag">${label(KIND_LABELS, d.kind)}</span> ${d.authority} · 决定日期 <time datetime="${d.decisionDate}">${chineseDate(d.decisionDate)}</time></p>
<p>${d.conclusion}</p>
</li>`,
  );
  const keep = { ...filters, cursor: undefined };
  return page(site, {
    title: filtered ? '执法决定查询结果' : '执法决定',
    current: '/decisions',
    cache: CACHE.list,
    body: html`<h1>查询执法决定</h1>
${form}
<section aria-labelledby="results-title">
<h2 id="results-title" class="results-title">${filtered ? '查询结果' : '最新公示'}${filters.cursor ? '（续）' : ''}</h2>
${items.length === 0 ? html`<p class="empty">没有符合条件的已公示决定。请检查名称或编号，或减少查询条件。</p>` : html`<ol class="decisions">${rows}</ol>`}
<nav class="pager" aria-label="翻页">
${filters.cursor ? html`<a href="${href('/decisions', keep)}">回到第一页</a>` : ''}
${nextCursor ? html`<a rel="next" href="${href('/decisions', { ...keep, cursor: nextCursor })}">下一页</a>` : ''}
</nav>
</section>`,
  });
}

function searchForm(f: Record<string, string | undefined>, agencies: readonly Agency[]): Html {
  // Open when one of its filters is in use, so that what narrows the results is always visible.
  const more = ['kind', 'agencyId', 'from', 'to'].some((k) => f[k] !== undefined);
  return html`<form class="search" method="get" action="/decisions" role="search">
<div class="field"><label for="party">当事人名称</label><input id="party" name="party" maxlength="100" value="${f.party ?? ''}" placeholder="输入名称开头的字，如：宿迁示例"></div>
<div class="field"><label for="creditCode">统一社会信用代码</label><input id="creditCode" name="creditCode" maxlength="18" value="${f.creditCode ?? ''}" autocapitalize="characters" spellcheck="false"></div>
<div class="field"><label for="decisionNo">决定书文号</label><input id="decisionNo" name="decisionNo" maxlength="60" value="${f.decisionNo ?? ''}"></div>
<details${more ? html` open` : ''}><summary>更多条件：类别、执法机关、决定日期</summary><div class="more">
<div class="field"><label for="kind">类别</label><select id="kind" name="kind">${option('', '全部类别', f.kind)}${join(Object.entries(KIND_LABELS).map(([k, v]) => option(k, v, f.kind)))}</select></div>
<div class="field"><label for="agencyId">执法机关</label><select id="agencyId" name="agencyId">${option('', '全部机关', f.agencyId)}${join(agencies.map((a) => option(a.id, a.name, f.agencyId)))}</select></div>
<div class="field"><label for="from">决定日期自</label><input id="from" name="from" type="date" value="${f.from ?? ''}"></div>
<div class="field"><label for="to">至</label><input id="to" name="to" type="date" value="${f.to ?? ''}"></div>
</div></details>
<div class="actions"><button type="submit">查询</button> <a href="/decisions">清空条件</a></div>
</form>`;
}

export async function decisionPage(site: Site, api: PublicApi, id: string): Promise<PortalResponse> {
  if (!/^[0-9a-fA-F-]{36}$/.test(id)) return errorPage(site, 404, '未找到该决定', '链接中的决定编号无效，请从查询结果中打开。');
  const result = await api.get<DecisionDetail>(`/public/decisions/${encodeURIComponent(id)}`);
  if (!result.ok) {
    if (result.status === 410) {
      const date = result.error.details?.[0]?.message;
      const withdrawn = result.error.code === 'WITHDRAWN';
      return errorPage(
        site,
        410,
        withdrawn ? '该决定已撤下公示' : '该决定公示期已满',
        withdrawn ? `该决定已于${chineseDate(date)}撤下公示，不再公开。` : `该决定的公示期已于${chineseDate(date)}届满，依规定不再公示。`,
      );
    }
    if (result.status === 404 || result.status === 400) return errorPage(site, 404, '未找到该决定', '没有这份已公示的决定，它可能从未公示，或链接有误。');
    return errorPage(site, result.status, '无法打开', result.error.message);
  }
  const d = result.body;
  const penalty = d.kind === 'PENALTY';
  const row = (th: string, td: Html | string): Html => html`<tr><th scope="row">${th}</th><td>${td}</td></tr>`;
  return page(site, {
    title: `${d.decisionNo} ${d.party.name}`,
    current: '/decisions',
    cache: CACHE.detail,
    body: html`<nav class="crumbs" aria-label="位置"><a href="/decisions">执法决定</a> › ${d.decisionNo}</nav>
<h1>${penalty ? '行政处罚信息摘要' : `${label(KIND_LABELS, d.kind)}决定信息`}</h1>
<table class="summary">
${row('决定书文号', d.decisionNo)}
${row('当事人', html`${d.party.name}（${label(PARTY_KIND_LABELS, d.party.kind)}）`)}
${d.party.creditCode ? row('统一社会信用代码', d.party.creditCode) : ''}
${d.violationType ? row('违法行为类型', d.violationType) : ''}
${row(penalty ? '行政处罚内容' : '决定内容', d.conclusion)}
${d.penalties.length > 0 ? row('处罚种类', d.penalties.join('、')) : ''}
${penalty ? row('罚款金额', yuan(d.fine)) : ''}
${penalty && Number(d.confiscatedValue) > 0 ? row('没收金额', yuan(d.confiscatedValue)) : ''}
${row('作出决定的机关', d.authority)}
${row('作出决定日期', chineseDate(d.decisionDate))}
${row('公示日期', chineseDate(d.publicationDate))}
${row('公示截止日期', chineseDate(d.disclosureEndsOn))}
</table>
${d.corrections.length > 0
  ? html`<section class="corrections"><h2>更正记录</h2><ol>${d.corrections.map((c) => html`<li><time datetime="${c.correctedAt}">${chineseDate(c.correctedAt)}</time>更正（第 ${c.publicVersion} 版）：${c.reason}</li>`)}</ol></section>`
  : ''}
<section><h2>法律依据</h2><p class="text">${d.legalBasis}</p></section>
<section><h2>决定书（公开文本）</h2><div class="document text">${d.documentText}</div>
<p class="hint">依法隐去了个人隐私等不宜公开的内容。</p></section>
${d.notice ? html`<section><h2>说明</h2><p class="text">${d.notice}</p></section>` : ''}`,
  });
}
