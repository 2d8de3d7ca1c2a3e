/**
 * `/calendar/{year}`: how working days are counted that year — the statutory holidays and the weekend
 * days worked in their place, from GET /public/calendar/{year}. Deadlines in working days (publication
 * within 7 or 20 working days, time limits of the power list) are counted with these days.
 */
import type { PublicApi } from '../api.ts';
import { html } from '../html.ts';
import { chineseDate } from '../labels.ts';
import { CACHE, errorPage, page, type PortalResponse, type Site } from '../layout.ts';
import { badRequest, type Query } from './query.ts';
import type { PublicCalendarYear } from '#domain/calendar.ts';

export type { PublicCalendarYear };

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  PACKAGE: '随系统发布的节假日数据',
  OVERRIDE_FILE: '随系统发布的补充节假日数据',
  ENTERED: '本局根据国务院办公厅通知录入',
};

const DAY_KIND_LABELS: Readonly<Record<string, string>> = {
  WORKDAY: '工作日',
  WEEKEND: '休息日（周末）',
  HOLIDAY: '法定节假日',
  ADJUSTED_WORKDAY: '调休上班日',
};

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
const ISO = /^\d{4}-\d{2}-\d{2}$/;

const weekday = (iso: string): string => (ISO.test(iso) ? (WEEKDAYS[new Date(`${iso}T00:00:00Z`).getUTCDay()] ?? '') : '');
const dayText = (iso: string): string => `${chineseDate(iso)}（${weekday(iso)}）`;

/** Days from `from` to `to`, both included. */
function daysBetween(from: string, to: string): number {
  if (!ISO.test(from) || !ISO.test(to)) return 0;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

const FIRST_YEAR = 2000;
const LAST_YEAR = 2199;

/** `/calendar`: this year's page (Beijing time). */
export function calendarIndex(site: Site, query: Query, now = new Date()): PortalResponse {
  const unknown = query.unknown([]);
  if (unknown) return badRequest(site, `不支持的查询条件「${unknown}」`);
  const year = now.toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' });
  return { status: 303, headers: { location: `/calendar/${year}`, 'cache-control': CACHE.none }, body: '' };
}

export async function calendarPage(site: Site, api: PublicApi, query: Query, yearText: string): Promise<PortalResponse> {
  const unknown = query.unknown([]);
  if (unknown) return badRequest(site, `不支持的查询条件「${unknown}」`);
  const unknownYear = (message: string) => errorPage(site, 404, '没有该年度的节假日安排', message);
  if (!/^\d{4}$/.test(yearText) || Number(yearText) < FIRST_YEAR || Number(yearText) > LAST_YEAR) return unknownYear('链接中的年份无效。');
  const year = Number(yearText);
  const result = await api.get<PublicCalendarYear>(`/public/calendar/${year}`);
  if (!result.ok) {
    if (result.status === 404 || result.status === 400) return unknownYear(`本网站没有 ${year} 年的工作日安排。`);
    return errorPage(site, result.status, '无法打开', result.error.message);
  }
  const c = result.body;
  // The API answers every year in its range; a year without any arrangement is one it does not know.
  if (c.source === 'NONE') return unknownYear(c.note || `尚无 ${year} 年法定节假日安排。`);

  const holidayDays = c.festivals.reduce((sum, f) => sum + daysBetween(f.off[0], f.off[1]), 0);
  const workDays = c.festivals.reduce((sum, f) => sum + f.work.length, 0);
  const festivalRows = c.festivals.map(
    (f) => html`<tr>
<th scope="row">${f.name}</th>
<td>${f.off[0] === f.off[1] ? dayText(f.off[0]) : html`${dayText(f.off[0])}至${dayText(f.off[1])}`}<br><span class="meta">共 ${daysBetween(f.off[0], f.off[1])} 天</span></td>
<td>${f.work.length === 0 ? '不调休' : html`${f.work.map((d, i) => html`${i > 0 ? html`<br>` : ''}${dayText(d)}`)}`}</td>
</tr>`,
  );
  return page(site, {
    title: `${year} 年工作日计算`,
    cache: CACHE.reference,
    body: html`<h1>${year} 年工作日怎样计算</h1>
<p>法律、法规规定以“工作日”计算的期限（如行政许可、行政处罚决定应在作出之日起 7 个工作日内公示），按下列规则计算：</p>
<ul>
<li>星期一至星期五为工作日，星期六、星期日为休息日；</li>
<li>下表中的<strong>法定节假日放假</strong>期间不计为工作日（含其中的周一至周五）；</li>
<li>下表中的<strong>调休上班日</strong>虽是周六或周日，计为工作日。</li>
</ul>
<p>${year} 年共有 ${c.festivals.length} 个节日放假安排，放假 ${holidayDays} 天，调休上班 ${workDays} 天。</p>
<div class="table-scroll" role="region" tabindex="0" aria-label="${year} 年放假和调休日期表"><table class="list">
<caption>${year} 年法定节假日放假和调休上班日期</caption>
<thead><tr><th scope="col">节日</th><th scope="col">放假日期</th><th scope="col">调休上班日</th></tr></thead>
<tbody>${festivalRows}</tbody>
</table></div>
<section aria-labelledby="source"><h2 id="source">数据来源</h2>
${c.notice ? html`<p>依据：${c.notice.title}（${c.notice.documentNo}）。</p>` : ''}
<p>${SOURCE_LABELS[c.source] ?? c.source}${c.enteredAt ? html`，${chineseDate(c.enteredAt.slice(0, 10))}录入` : ''}。${c.note}</p>
${c.differences.length > 0
  ? html`<p>录入的安排与系统自带数据不同的日期：</p><ul>${c.differences.map(
      (d) => html`<li>${dayText(d.date)}：按${DAY_KIND_LABELS[d.entered.kind] ?? d.entered.kind}计算（系统自带数据为${DAY_KIND_LABELS[d.package.kind] ?? d.package.kind}）</li>`,
    )}</ul>`
  : ''}
</section>
<nav class="pager" aria-label="其他年份"><a href="/calendar/${year - 1}">${year - 1} 年</a><a href="/calendar/${year + 1}">${year + 1} 年</a></nav>`,
  });
}
