/**
 * `/reports` (the years with a published annual report) and `/reports/{year}`: the annual statistics
 * (D13) with charts read at a glance (penalties by type, fines, licensing outcomes, on-time publication,
 * year on year), every figure also in a table, and the PDF and .xlsx the API links to.
 */
import type { PublicApi } from '../api.ts';
import { barChart, CHART_COLOURS, type ChartRow } from '../charts.ts';
import { html, type Html } from '../html.ts';
import { chineseDate, REMEDY_OUTCOME_LABELS, yuan } from '../labels.ts';
import { CACHE, errorPage, page, type PortalResponse, type Site } from '../layout.ts';
import { badRequest, type Query } from './query.ts';
import { PENALTY_TYPE_LABELS as PENALTY_LABELS } from '#domain/penalty-labels.ts';


type Percent = number | null;

export interface ReportFigures {
  readonly licensing: { readonly applied: number; readonly accepted: number; readonly granted: number; readonly refused: number; readonly revoked: number };
  /** finesCollectedYuan and remedies: absent from answers of an API older than them. */
  readonly penalties: { readonly total: number; readonly byType: Readonly<Record<string, number>>; readonly finesYuan: string; readonly confiscatedYuan: string; readonly finesCollectedYuan?: string };
  readonly remedies?: {
    readonly reconsiderations: number;
    readonly litigations: number;
    readonly outcomes: Readonly<Record<string, number>>;
    readonly decided: number;
    readonly corrected: number;
    readonly correctedPercent: Percent;
  };
  readonly coerciveMeasures: number;
  readonly inspections: number;
  readonly otherActs: number;
  readonly reviews: { readonly done: number; readonly passed: number; readonly returned: number };
  readonly disclosure: { readonly due: number; readonly onTime: number; readonly onTimePercent: Percent };
  readonly officers: { readonly total: number; readonly validCertificates: number; readonly validCertificatesPercent: Percent; readonly trainedEnough: number; readonly trainedEnoughPercent: Percent };
  readonly reviewers: { readonly reviewers: number; readonly officers: number; readonly ratioPercent: Percent; readonly belowMinimum: boolean };
}

export interface PublicAnnualReport {
  readonly year: number;
  readonly version: number;
  readonly stage: string;
  readonly bureauName: string;
  readonly generatedAt: string;
  readonly publishedAt?: string;
  readonly penaltySeverityOrder: readonly string[];
  readonly agencies: readonly (ReportFigures & { readonly agencyId: string; readonly agencyName: string })[];
  readonly total: ReportFigures;
  readonly correction?: { readonly reason: string; readonly previousVersion: number };
  readonly history: readonly { readonly version: number; readonly publishedAt: string }[];
  readonly files: { readonly pdf: string; readonly xlsx: string };
}

/** How many past years /reports offers (the API has no list of published years: each is asked). */
export const REPORT_YEARS_SHOWN = 5;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2199;

/** The current year in Beijing time. */
const shanghaiYear = (now: Date): number => Number(now.toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }));

const percentText = (p: Percent): string => (p === null ? '—' : `${p}%`);
const count = (n: number): string => n.toLocaleString('zh-CN');
const collected = (f: ReportFigures): string => yuan(f.penalties.finesCollectedYuan ?? '0.00');
const NO_REMEDIES = { reconsiderations: 0, litigations: 0, outcomes: {}, decided: 0, corrected: 0, correctedPercent: null } as const;
const remediesOf = (f: ReportFigures): NonNullable<ReportFigures['remedies']> => f.remedies ?? NO_REMEDIES;

export async function reportsPage(site: Site, api: PublicApi, query: Query, now = new Date()): Promise<PortalResponse> {
  const unknown = query.unknown([]);
  if (unknown) return badRequest(site, `不支持的查询条件「${unknown}」`);
  // A year's report is published by 31 January of the next: the last complete years, newest first.
  const thisYear = shanghaiYear(now);
  const years = Array.from({ length: REPORT_YEARS_SHOWN }, (_, i) => thisYear - 1 - i);
  const answers = await Promise.all(years.map((y) => api.get<PublicAnnualReport>(`/public/reports/${y}`)));
  const rows = years.map((y, i) => {
    const a = answers[i];
    if (a?.ok) {
      const r = a.body;
      return html`<li><a href="/reports/${y}"><strong>${y} 年度行政执法统计年报</strong></a><span class="meta"> · ${r.publishedAt ? html`${chineseDate(r.publishedAt.slice(0, 10))}公开` : '已公开'}${r.version > 1 ? `（第 ${r.version} 版，已更正）` : ''}</span></li>`;
    }
    return html`<li><span>${y} 年度</span><span class="meta"> · 尚未公开</span></li>`;
  });
  const published = answers.filter((a) => a.ok).length;
  return page(site, {
    title: '年度报告',
    current: '/reports',
    cache: CACHE.list,
    body: html`<h1>行政执法统计年报</h1>
<p>本局每年 1 月 31 日前公开上一年度的行政执法数据：行政许可、行政处罚、行政强制、行政检查的数量，罚没款金额和罚款收缴金额，行政复议、行政诉讼及其结果，决定按时公示情况，执法人员持证和培训情况。</p>
<h2>近 ${REPORT_YEARS_SHOWN} 年</h2>
<ul class="years">${rows}</ul>
${published === 0 ? html`<p class="empty">近 ${REPORT_YEARS_SHOWN} 年尚无已公开的年报。</p>` : ''}`,
  });
}

export async function reportPage(site: Site, api: PublicApi, query: Query, yearText: string): Promise<PortalResponse> {
  const unknown = query.unknown([]);
  if (unknown) return badRequest(site, `不支持的查询条件「${unknown}」`);
  const missing = (text: string) => errorPage(site, 404, '未找到该年度报告', text, html`<p><a href="/reports">查看已公开的年度报告</a></p>`);
  if (!/^\d{4}$/.test(yearText) || Number(yearText) < FIRST_YEAR || Number(yearText) > LAST_YEAR) return missing('链接中的年份无效。');
  const year = Number(yearText);
  const [result, previous] = await Promise.all([api.get<PublicAnnualReport>(`/public/reports/${year}`), api.get<PublicAnnualReport>(`/public/reports/${year - 1}`)]);
  if (!result.ok) {
    if (result.status === 404 || result.status === 400) return missing(`${year} 年度的统计年报尚未公开。年报于次年 1 月 31 日前公开。`);
    return errorPage(site, result.status, '无法打开', result.error.message);
  }
  const r = result.body;
  const t = r.total;
  const prev = previous.ok ? previous.body.total : undefined;
  const agencyRows = (pick: (f: ReportFigures) => ChartRow['values'], texts: (f: ReportFigures) => string[]): ChartRow[] => [
    ...r.agencies.map((a) => ({ label: a.agencyName, values: pick(a), texts: texts(a) })),
    ...(r.agencies.length > 1 ? [{ label: '合计', values: pick(t), texts: texts(t) }] : []),
  ];

  const penaltiesChart = barChart({
    id: 'penalties',
    title: `${year} 年行政处罚决定（按处罚种类）`,
    unit: '件',
    rowHeading: '处罚种类',
    rows: Object.entries(PENALTY_LABELS).map(([code, name]) => ({ label: name, values: [t.penalties.byType[code] ?? 0] })),
  });
  const finesChart = barChart({
    id: 'fines',
    title: `${year} 年罚没款金额（按执法机关）`,
    unit: '元',
    rowHeading: '执法机关',
    series: [
      { name: '罚款', fill: CHART_COLOURS.primary },
      { name: '没收金额', fill: CHART_COLOURS.secondary },
    ],
    rows: agencyRows(
      (f) => [Number(f.penalties.finesYuan), Number(f.penalties.confiscatedYuan)],
      (f) => [yuan(f.penalties.finesYuan), yuan(f.penalties.confiscatedYuan)],
    ),
  });
  const licensingChart = barChart({
    id: 'licensing',
    title: `${year} 年行政许可办理结果`,
    unit: '件',
    rows: [
      { label: '申请', values: [t.licensing.applied] },
      { label: '受理', values: [t.licensing.accepted] },
      { label: '准予许可', values: [t.licensing.granted] },
      { label: '不予许可', values: [t.licensing.refused] },
      { label: '撤销、吊销许可', values: [t.licensing.revoked] },
    ],
  });
  const onTimeChart = barChart({
    id: 'on-time',
    title: `${year} 年执法决定按时公示率`,
    unit: '%',
    max: 100,
    rowHeading: '执法机关',
    rows: agencyRows(
      (f) => [f.disclosure.onTimePercent],
      (f) => [f.disclosure.due === 0 ? '无应公示决定' : `${percentText(f.disclosure.onTimePercent)}（${f.disclosure.onTime}/${f.disclosure.due} 件）`],
    ),
  });
  const yoy = prev
    ? html`<section aria-labelledby="yoy"><h2 id="yoy">与 ${year - 1} 年比较</h2>
${barChart({
  id: 'yoy-acts',
  title: `${year - 1} 年与 ${year} 年执法行为数量`,
  unit: '件',
  series: [
    { name: `${year - 1} 年`, fill: CHART_COLOURS.secondary },
    { name: `${year} 年`, fill: CHART_COLOURS.primary },
  ],
  rows: [
    { label: '行政许可申请', values: [prev.licensing.applied, t.licensing.applied] },
    { label: '行政处罚决定', values: [prev.penalties.total, t.penalties.total] },
    { label: '行政强制措施', values: [prev.coerciveMeasures, t.coerciveMeasures] },
    { label: '行政检查', values: [prev.inspections, t.inspections], texts: [`${count(prev.inspections)} 次`, `${count(t.inspections)} 次`] },
    { label: '其他行政行为', values: [prev.otherActs, t.otherActs] },
    { label: '法制审核', values: [prev.reviews.done, t.reviews.done] },
  ],
})}
${barChart({
  id: 'yoy-money',
  title: `${year - 1} 年与 ${year} 年罚没款金额`,
  unit: '',
  series: [
    { name: `${year - 1} 年`, fill: CHART_COLOURS.secondary },
    { name: `${year} 年`, fill: CHART_COLOURS.primary },
  ],
  rows: [
    { label: '罚款', values: [Number(prev.penalties.finesYuan), Number(t.penalties.finesYuan)], texts: [yuan(prev.penalties.finesYuan), yuan(t.penalties.finesYuan)] },
    { label: '没收金额', values: [Number(prev.penalties.confiscatedYuan), Number(t.penalties.confiscatedYuan)], texts: [yuan(prev.penalties.confiscatedYuan), yuan(t.penalties.confiscatedYuan)] },
  ],
})}
<p>按时公示率：${year - 1} 年 ${percentText(prev.disclosure.onTimePercent)}，${year} 年 ${percentText(t.disclosure.onTimePercent)}。</p>
</section>`
    : html`<p class="hint">${year - 1} 年度的年报未在本网站公开，无法作同比。</p>`;

  const rm = remediesOf(t);
  const cells = (f: ReportFigures): Html =>
    html`<td class="num">${count(f.licensing.applied)}</td><td class="num">${count(f.penalties.total)}</td><td class="num">${yuan(f.penalties.finesYuan)}</td><td class="num">${collected(f)}</td><td class="num">${count(remediesOf(f).reconsiderations)}</td><td class="num">${count(remediesOf(f).litigations)}</td><td class="num">${percentText(remediesOf(f).correctedPercent)}</td><td class="num">${count(f.coerciveMeasures)}</td><td class="num">${count(f.inspections)}</td><td class="num">${percentText(f.disclosure.onTimePercent)}</td><td class="num">${count(f.officers.validCertificates)}/${count(f.officers.total)}</td>`;
  return page(site, {
    title: `${year} 年度行政执法统计年报`,
    current: '/reports',
    // The download links the API gives are signed for 5 minutes: the page may not outlive them.
    cache: CACHE.list,
    body: html`<nav class="crumbs" aria-label="位置"><a href="/reports">年度报告</a> › ${year} 年度</nav>
<h1>${r.bureauName} ${year} 年度行政执法统计年报</h1>
<p class="meta">${r.publishedAt ? html`${chineseDate(r.publishedAt.slice(0, 10))}公开` : ''}${r.version > 1 ? `，第 ${r.version} 版` : ''}</p>
${r.correction ? html`<div class="notice" role="status"><p>本年报已更正（第 ${r.version} 版，替代第 ${r.correction.previousVersion} 版）：${r.correction.reason}</p></div>` : ''}
${webUrl(r.files.pdf) && webUrl(r.files.xlsx)
  ? html`<p class="downloads">下载完整年报：<a href="${r.files.pdf}">PDF 文件</a> · <a href="${r.files.xlsx}">Excel 表格（.xlsx）</a><br><span class="hint">下载链接 5 分钟内有效，过期请刷新本页。</span></p>`
  : ''}
<section aria-labelledby="key"><h2 id="key">主要数据</h2>
<dl class="figures">
<div><dt>行政处罚决定</dt><dd>${count(t.penalties.total)} 件</dd></div>
<div><dt>罚款</dt><dd>${yuan(t.penalties.finesYuan)}</dd></div>
<div><dt>罚款收缴</dt><dd>${collected(t)}</dd></div>
<div><dt>行政复议、行政诉讼</dt><dd>${count(rm.reconsiderations + rm.litigations)} 件</dd></div>
<div><dt>行政许可申请</dt><dd>${count(t.licensing.applied)} 件</dd></div>
<div><dt>行政检查</dt><dd>${count(t.inspections)} 次</dd></div>
<div><dt>行政强制措施</dt><dd>${count(t.coerciveMeasures)} 件</dd></div>
<div><dt>按时公示率</dt><dd>${t.disclosure.due === 0 ? '无应公示决定' : percentText(t.disclosure.onTimePercent)}</dd></div>
</dl>
</section>
<section aria-labelledby="s-penalties"><h2 id="s-penalties">行政处罚</h2>
<p>同一决定并处多种处罚的，按其中最重的一种计 1 件。没收金额 ${yuan(t.penalties.confiscatedYuan)}。本年度实际收缴罚款 ${collected(t)}（按缴款日期计，不含加处罚款）。</p>
${penaltiesChart}
${finesChart}
</section>
<section aria-labelledby="s-remedies"><h2 id="s-remedies">行政复议与行政诉讼</h2>
<p>按申请或起诉日期计入年度，诉讼一审、二审、再审各计 1 件；结果按复议决定、裁判作出日期计入年度。纠错率为维持以外的结果所占比例。</p>
<table class="summary">
<tr><th scope="row">行政复议</th><td>${count(rm.reconsiderations)} 件</td></tr>
<tr><th scope="row">行政诉讼</th><td>${count(rm.litigations)} 件</td></tr>
<tr><th scope="row">复议、诉讼结果</th><td>${count(rm.decided)} 件${rm.decided > 0 ? `：${Object.entries(REMEDY_OUTCOME_LABELS).map(([code, name]) => `${name} ${count(rm.outcomes[code] ?? 0)} 件`).join('，')}` : ''}</td></tr>
<tr><th scope="row">纠错率</th><td>${rm.decided === 0 ? '无复议、诉讼结果' : `${percentText(rm.correctedPercent)}（${count(rm.corrected)}/${count(rm.decided)} 件）`}</td></tr>
</table>
</section>
<section aria-labelledby="s-licensing"><h2 id="s-licensing">行政许可</h2>${licensingChart}</section>
<section aria-labelledby="s-disclosure"><h2 id="s-disclosure">执法决定公示</h2>
<p>行政许可、行政处罚决定应在作出之日起 7 个工作日内公示，其他决定 20 个工作日内公示。${count(t.disclosure.due)} 件应公示，${count(t.disclosure.onTime)} 件按时公示。</p>
${onTimeChart}
</section>
${yoy}
<section aria-labelledby="s-agencies"><h2 id="s-agencies">各执法机关数据</h2>
<div class="table-scroll" role="region" tabindex="0" aria-label="各执法机关数据表"><table class="list">
<thead><tr><th scope="col">执法机关</th><th scope="col">许可申请（件）</th><th scope="col">处罚决定（件）</th><th scope="col">罚款</th><th scope="col">罚款收缴</th><th scope="col">行政复议（件）</th><th scope="col">行政诉讼（件）</th><th scope="col">纠错率</th><th scope="col">强制措施（件）</th><th scope="col">检查（次）</th><th scope="col">按时公示率</th><th scope="col">持证/执法人员</th></tr></thead>
<tbody>${r.agencies.map((a) => html`<tr><th scope="row">${a.agencyName}</th>${cells(a)}</tr>`)}<tr class="total"><th scope="row">合计</th>${cells(t)}</tr></tbody>
</table></div>
</section>
<section aria-labelledby="s-other"><h2 id="s-other">法制审核与执法人员</h2>
<table class="summary">
<tr><th scope="row">法制审核</th><td>${count(t.reviews.done)} 件，通过 ${count(t.reviews.passed)} 件，退回补充或修改 ${count(t.reviews.returned)} 件</td></tr>
<tr><th scope="row">其他行政行为</th><td>${count(t.otherActs)} 件</td></tr>
<tr><th scope="row">执法人员</th><td>${count(t.officers.total)} 人，持有效执法证件 ${count(t.officers.validCertificates)} 人（${percentText(t.officers.validCertificatesPercent)}）</td></tr>
<tr><th scope="row">培训达标</th><td>年度培训满 40 学时 ${count(t.officers.trainedEnough)} 人（${percentText(t.officers.trainedEnoughPercent)}）</td></tr>
<tr><th scope="row">法制审核人员</th><td>${count(t.reviewers.reviewers)} 人，占持证执法人员 ${percentText(t.reviewers.ratioPercent)}</td></tr>
</table>
</section>
${r.history.length > 1 ? html`<section><h2>公开记录</h2><ol>${r.history.map((h) => html`<li>第 ${h.version} 版：${chineseDate(h.publishedAt.slice(0, 10))}公开</li>`)}</ol></section>` : ''}`,
  });
}

/** Only an http(s) address becomes a link: escaping cannot make a `javascript:` URL harmless. */
function webUrl(url: string): boolean {
  return /^https?:\/\/[^\s"'<>]+$/.test(url);
}
