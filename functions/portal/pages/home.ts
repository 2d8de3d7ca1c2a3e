/** `/`: one search box, the latest published decisions, and what is disclosed where. */
import type { PublicApi } from '../api.ts';
import { html } from '../html.ts';
import { chineseDate, KIND_LABELS, label } from '../labels.ts';
import { CACHE, page, type PortalResponse, type Site } from '../layout.ts';
import type { DecisionSummary } from './decisions.ts';

export async function homePage(site: Site, api: PublicApi): Promise<PortalResponse> {
  const latest = await api.get<{ items: DecisionSummary[] }>('/public/decisions', { limit: '8' });
  const items = latest.ok ? latest.body.items : [];
  return page(site, {
    title: '首页',
    current: '/',
    cache: CACHE.list,
    body: html`<section class="hero">
<h1>${site.bureauName}行政执法公示</h1>
<form class="search-one" method="get" action="/decisions" role="search">
<label for="q">查询行政执法决定</label>
<div class="inline"><input id="q" name="q" maxlength="100" placeholder="当事人名称、统一社会信用代码或决定书文号"><button type="submit">查询</button></div>
</form>
<p class="quick"><a href="/verify">核验执法证件</a> · <a href="/decisions?kind=PENALTY">行政处罚</a> · <a href="/decisions?kind=LICENSING">行政许可</a> · <a href="/powers">权责清单</a></p>
</section>
<section aria-labelledby="latest">
<h2 id="latest">最新公示的执法决定</h2>
${items.length === 0
  ? html`<p class="empty">暂无公示的决定。</p>`
  : html`<ol class="decisions compact">${items.map((d) => html`<li><a href="/decisions/${encodeURIComponent(d.id)}">${d.decisionNo}</a> <span class="party">${d.party.name}</span> <span class="tag">${label(KIND_LABELS, d.kind)}</span> <time datetime="${d.publicationDate}">${chineseDate(d.publicationDate)}</time></li>`)}</ol>`}
<p><a href="/decisions">查看全部 ›</a></p>
</section>
${aboutSection()}`,
  });
}

export const aboutSection = () => html`<section class="about" aria-labelledby="about">
<h2 id="about">公示什么、怎样公示</h2>
<ul>
<li><strong>事前公开：</strong>执法机关、执法人员及其证件、<a href="/powers">权责清单</a>（依据、程序、时限）和<a href="/inspection-items">随机抽查事项</a>。</li>
<li><strong>事中公示：</strong>执法人员出示执法证件；您可在<a href="/verify">证件核验</a>中输入编号或扫描证件二维码，核实证件是否有效。</li>
<li><strong>事后公开：</strong>行政许可、行政处罚决定自作出之日起 7 个工作日内公开，其他决定 20 个工作日内公开；决定被变更、撤销或确认违法的，依规定撤下或更正。行政处罚信息的公示期：通报批评或较低数额罚款的为 3 个月，其他为 3 年；期满后不再公示。</li>
<li><strong>年度报告：</strong>每年 1 月 31 日前公开上一年度行政执法数据，见<a href="/reports">年度报告</a>。</li>
</ul>
<p>自然人的姓名、身份证号、住址、电话等个人信息依法隐去。认为公示信息有误的，可向作出决定的机关提出。</p>
</section>`;

export function aboutPage(site: Site): PortalResponse {
  return page(site, { title: '公示内容与方式说明', cache: CACHE.reference, body: html`<h1>公示内容与方式说明</h1>${aboutSection()}` });
}
