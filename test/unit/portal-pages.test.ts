/**
 * The portal's register, list, report and calendar pages (issue 14 point 1), rendered through the
 * router against a fake public API: status, title, what the page shows, caching, 400/404 for bad input,
 * and that a hostile value in any record stays text.
 */
import { describe, expect, it } from 'vitest';
import type { ApiResult } from '../../functions/portal/api.ts';
import { barChart, chartSummary } from '../../functions/portal/charts.ts';
import { CACHE } from '../../functions/portal/layout.ts';
import { fakeApi, ok, render } from './portal-fake-api.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const ESCAPED = '&lt;img src=x onerror=alert(1)&gt;';

const invalid = (message: string): ApiResult<unknown> => ({ ok: false, status: 400, error: { code: 'VALIDATION_FAILED', message, details: [{ path: 'query.type', message }] } });
const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '';
const current = (body: string) => /<a href="([^"]*)" aria-current="page">/.exec(body)?.[1];

const agencies = ok({ items: [{ id: 'sq-city', name: '宿迁市市场监督管理局' }, { id: 'sq-shuyang', name: HOSTILE }], nextCursor: null });
const officer = (over: Record<string, unknown> = {}) => ({
  id: 'o1',
  name: HOSTILE,
  agencyId: 'sq-city',
  agencyName: '宿迁市市场监督管理局',
  certificateNo: '32130001006',
  categories: ['食品安全', '产品质量'],
  region: '宿迁市',
  certificateStatus: 'SUSPENDED',
  validUntil: '2027-09-30',
  ...over,
});
const power = (code: string, over: Record<string, unknown> = {}) => ({
  code,
  versionNo: 2,
  effectiveFrom: '2024-01-01',
  content: {
    name: `事项 ${HOSTILE}`,
    type: 'PENALTY',
    agencyId: 'sq-city',
    agencyName: '宿迁市市场监督管理局',
    handlingDivision: '执法稽查局',
    legalBasis: '《产品质量法》第十三条',
    timeLimit: '九十日',
    flowchart: '立案→调查→决定',
    serviceGuide: `第一行\n第二行 ${HOSTILE}`,
    remedies: '行政复议或行政诉讼',
    category: '食品安全',
    ...over,
  },
});

describe('/officers', () => {
  it('lists officers with certificate links, status words, categories and region; filters go to the API and stay in the URL', async () => {
    const api = fakeApi({
      '/public/agencies': agencies,
      '/public/officers': ok({ items: [officer(), officer({ name: '刘梦婷', certificateNo: '32130001007', certificateStatus: 'VALID' })], nextCursor: 'next-1' }),
    });
    const res = await render(api, '/officers', 'agencyId=sq-city&category=%E9%A3%9F%E5%93%81%E5%AE%89%E5%85%A8');
    expect(res.status).toBe(200);
    expect(title(res.body)).toBe('执法人员查询结果 - 宿迁市市场监督管理局行政执法公示');
    expect(current(res.body)).toBe('/officers');
    expect(res.headers['cache-control']).toBe(CACHE.list);
    expect(api.calls.find((c) => c.path === '/public/officers')?.query).toMatchObject({ agencyId: 'sq-city', category: '食品安全' });
    expect(res.body).toContain('<a class="code" href="/verify/32130001006">32130001006</a>');
    expect(res.body).toContain('暂扣');
    expect(res.body).toContain('有效');
    expect(res.body).toContain('食品安全、产品质量');
    expect(res.body).toContain('<option value="sq-city" selected>');
    expect(res.body).toContain('href="/officers?agencyId=sq-city&amp;category=%E9%A3%9F%E5%93%81%E5%AE%89%E5%85%A8&amp;cursor=next-1"');
    expect(res.body).toContain(ESCAPED);
    expect(res.body).not.toContain(HOSTILE);
  });

  it('answers 400 for an unknown parameter (without asking the API) and for filters or a cursor the API refuses', async () => {
    const api = fakeApi({ '/public/agencies': agencies, '/public/officers': { ok: false, status: 400, error: { code: 'INVALID_CURSOR', message: '游标无效' } } });
    const unknown = await render(api, '/officers', 'foo=1');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('foo');
    expect(api.calls).toHaveLength(0);
    const forged = await render(api, '/officers', 'cursor=forged');
    expect(forged.status).toBe(400);
    expect(forged.headers['cache-control']).toBe(CACHE.none);
    expect(forged.body).toContain('翻页链接已失效');
  });
});

describe('/powers and /powers/{code}', () => {
  it('lists powers grouped by category with type and agency filters passed to the API', async () => {
    const api = fakeApi({
      '/public/agencies': agencies,
      '/public/powers': ok({ items: [power('CF-SP-001'), power('XK-CP-001', { type: 'LICENSING', category: '产品质量' })], nextCursor: null }),
    });
    const res = await render(api, '/powers', 'type=PENALTY');
    expect(res.status).toBe(200);
    expect(title(res.body)).toBe('权责清单查询结果 - 宿迁市市场监督管理局行政执法公示');
    expect(current(res.body)).toBe('/powers');
    expect(res.headers['cache-control']).toBe(CACHE.reference);
    expect(api.calls.find((c) => c.path === '/public/powers')?.query).toMatchObject({ type: 'PENALTY' });
    expect(res.body).toContain('<h3>食品安全<span class="count">（1 项）</span></h3>');
    expect(res.body).toContain('href="/powers/CF-SP-001"');
    expect(res.body).toContain(ESCAPED);
    expect(res.body).not.toContain(HOSTILE);
  });

  it('filters by category on the portal (the API has none), reading every page', async () => {
    const api = fakeApi({
      '/public/agencies': agencies,
      '/public/powers': (q) =>
        q.cursor === undefined
          ? ok({ items: [power('CF-SP-001'), power('XK-CP-001', { category: '产品质量' })], nextCursor: 'p2' })
          : ok({ items: [power('CF-SP-002')], nextCursor: null }),
    });
    const res = await render(api, '/powers', 'category=%E9%A3%9F%E5%93%81%E5%AE%89%E5%85%A8');
    expect(res.status).toBe(200);
    expect(api.calls.filter((c) => c.path === '/public/powers').map((c) => c.query.category)).toEqual([undefined, undefined]);
    expect(res.body).toContain('/powers/CF-SP-002');
    expect(res.body).not.toContain('/powers/XK-CP-001');
  });

  it('answers 400 for an unknown parameter and for a type the API refuses', async () => {
    const api = fakeApi({ '/public/agencies': agencies, '/public/powers': invalid('类型无效') });
    expect((await render(api, '/powers', 'kind=x')).status).toBe(400);
    const refused = await render(api, '/powers', 'type=BAD');
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('类型无效');
  });

  it('shows an item: legal basis, time limit, flowchart as steps, guide as paragraphs, remedies and versions', async () => {
    const v1 = { ...power('CF-SP-001'), versionNo: 1, effectiveTo: '2024-01-01', effectiveFrom: '2023-01-01' };
    const v2 = { ...power('CF-SP-001'), changeNote: `依据修订 ${HOSTILE}` };
    const api = fakeApi({ '/public/powers/CF-SP-001': ok({ code: 'CF-SP-001', asOf: '2026-12-02', current: v2, versions: [v1, v2] }) });
    const res = await render(api, '/powers/CF-SP-001');
    expect(res.status).toBe(200);
    expect(title(res.body)).toContain('CF-SP-001');
    expect(current(res.body)).toBe('/powers');
    expect(res.body).toContain('《产品质量法》第十三条');
    expect(res.body).toContain('九十日');
    expect(res.body).toContain('<ol class="flow"><li>立案</li><li>调查</li><li>决定</li></ol>');
    expect(res.body).toContain('<p>第一行</p>');
    expect(res.body).toContain('行政复议或行政诉讼');
    expect(res.body).toContain('第 1 版');
    expect(res.body).toContain('第 2 版 <span class="tag">现行</span>');
    expect(res.body).toContain(`依据修订 ${ESCAPED}`);
    expect(res.body).not.toContain(HOSTILE);
  });

  it('answers 404 for an unknown or malformed code and 400 for an unknown parameter', async () => {
    const api = fakeApi({});
    expect((await render(api, '/powers/NOPE-1')).status).toBe(404);
    expect((await render(api, '/powers/%3Cscript%3E')).status).toBe(404);
    expect((await render(api, '/powers/CF-SP-001', 'x=1')).status).toBe(400);
    expect((await render(api, '/powers/CF-SP-001', 'asOf=yesterday')).status).toBe(400);
  });
});

describe('/inspection-items', () => {
  it('lists the items with basis, object, content, ratio, method and frequency', async () => {
    const item = {
      code: 'SJ-001',
      versionNo: 1,
      effectiveFrom: '2024-01-01',
      content: { name: HOSTILE, agencyId: 'sq-city', agencyName: '宿迁市市场监督管理局', basis: '《食品安全法》', object: '食品生产企业', content: '生产环境', ratio: '不低于5%', method: '现场检查', frequency: '每年一次' },
    };
    const api = fakeApi({ '/public/agencies': agencies, '/public/inspection-items': ok({ items: [item], nextCursor: null }) });
    const res = await render(api, '/inspection-items');
    expect(res.status).toBe(200);
    expect(title(res.body)).toBe('随机抽查事项清单 - 宿迁市市场监督管理局行政执法公示');
    expect(current(res.body)).toBe('/inspection-items');
    expect(res.headers['cache-control']).toBe(CACHE.reference);
    for (const text of ['《食品安全法》', '食品生产企业', '生产环境', '不低于5%', '现场检查', '每年一次', 'SJ-001']) expect(res.body).toContain(text);
    expect(res.body).toContain(ESCAPED);
    expect(res.body).not.toContain(HOSTILE);
    expect((await render(api, '/inspection-items', 'type=x')).status).toBe(400);
  });
});

const figures = (over: { fines?: string; onTime?: number; due?: number; warning?: number } = {}) => ({
  licensing: { applied: 10, accepted: 9, granted: 7, refused: 2, revoked: 1 },
  penalties: { total: 5, byType: { WARNING: over.warning ?? 3, FINE: 2 }, finesYuan: over.fines ?? '12500.00', confiscatedYuan: '300.00' },
  coerciveMeasures: 4,
  inspections: 20,
  otherActs: 1,
  reviews: { done: 6, passed: 5, returned: 1 },
  disclosure: { due: over.due ?? 8, onTime: over.onTime ?? 6, onTimePercent: (over.due ?? 8) === 0 ? null : Math.round(((over.onTime ?? 6) / (over.due ?? 8)) * 1000) / 10 },
  officers: { total: 30, validCertificates: 27, validCertificatesPercent: 90, trainedEnough: 23, trainedEnoughPercent: 76.7 },
  reviewers: { reviewers: 5, officers: 27, ratioPercent: 18.5, belowMinimum: false },
});
const report = (year: number, over: Parameters<typeof figures>[0] = {}) => ({
  year,
  version: 1,
  stage: 'PUBLISHED',
  bureauName: '宿迁市市场监督管理局',
  generatedAt: `${year + 1}-01-05T00:00:00.000Z`,
  publishedAt: `${year + 1}-01-31T00:00:00.000Z`,
  penaltySeverityOrder: [],
  agencies: [
    { agencyId: 'sq-city', agencyName: HOSTILE, ...figures(over) },
    { agencyId: 'sq-shuyang', agencyName: '沭阳县市场监督管理局', ...figures({ due: 0, onTime: 0, fines: '0.00' }) },
  ],
  total: figures(over),
  history: [{ version: 1, publishedAt: `${year + 1}-01-31T00:00:00.000Z` }],
  files: { pdf: 'https://files.example.cn/2025.pdf?X-Amz-Signature=a&b=c', xlsx: 'https://files.example.cn/2025.xlsx' },
});

describe('/reports and /reports/{year}', () => {
  it('offers the last five years and says which have a published report', async () => {
    const year = Number(new Date().toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' })) - 1;
    const api = fakeApi({ [`/public/reports/${year}`]: ok(report(year)) });
    const res = await render(api, '/reports');
    expect(res.status).toBe(200);
    expect(title(res.body)).toBe('年度报告 - 宿迁市市场监督管理局行政执法公示');
    expect(current(res.body)).toBe('/reports');
    expect(api.calls.map((c) => c.path)).toEqual([0, 1, 2, 3, 4].map((i) => `/public/reports/${year - i}`));
    expect(res.body).toContain(`href="/reports/${year}"`);
    expect(res.body).not.toContain(`href="/reports/${year - 1}"`);
    expect(res.body.match(/尚未公开/g)).toHaveLength(4);
    expect((await render(api, '/reports', 'year=1')).status).toBe(400);
  });

  it('makes a download link only of an http(s) address', async () => {
    const hostile = { ...report(2025), files: { pdf: 'javascript:alert(1)', xlsx: 'https://files.example.cn/2025.xlsx' } };
    const res = await render(fakeApi({ '/public/reports/2025': ok(hostile) }), '/reports/2025');
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('javascript:');
    expect(res.body).not.toContain('下载完整年报');
  });

  it('shows the statistics with accessible charts, tables, year on year and the download links', async () => {
    const api = fakeApi({ '/public/reports/2025': ok(report(2025)), '/public/reports/2024': ok(report(2024, { fines: '5000.00', warning: 1 })) });
    const res = await render(api, '/reports/2025');
    expect(res.status).toBe(200);
    expect(title(res.body)).toBe('2025 年度行政执法统计年报 - 宿迁市市场监督管理局行政执法公示');
    expect(current(res.body)).toBe('/reports');
    // The file links are signed for five minutes: the page is not kept longer.
    expect(res.headers['cache-control']).toBe(CACHE.list);
    expect(res.body).toContain('href="https://files.example.cn/2025.pdf?X-Amz-Signature=a&amp;b=c"');
    expect(res.body).toContain('href="https://files.example.cn/2025.xlsx"');
    const svgs = res.body.match(/<svg [^>]*>/g) ?? [];
    expect(svgs.length).toBe(6);
    for (const svg of svgs) {
      expect(svg).toContain('role="img"');
      expect(svg).toMatch(/aria-label="[^"]+"/);
      expect(svg).not.toContain('style=');
    }
    expect(res.body).toContain('aria-label="2025 年行政处罚决定（按处罚种类）：警告 3 件；通报批评 0 件；罚款 2 件');
    expect(res.body).toContain('12,500.00 元');
    expect(res.body).toContain('75%（6/8 件）');
    expect(res.body).toContain('无应公示决定');
    expect(res.body).toContain('与 2024 年比较');
    expect(res.body).toContain('罚款 2024 年 5,000.00 元，2025 年 12,500.00 元');
    expect(res.body).toContain('<th scope="row">准予许可</th><td class="num">7</td>');
    expect(res.body).toContain(ESCAPED);
    expect(res.body).not.toContain(HOSTILE);
  });

  it('says when there is no previous year to compare with', async () => {
    const api = fakeApi({ '/public/reports/2025': ok(report(2025)) });
    const res = await render(api, '/reports/2025');
    expect(res.status).toBe(200);
    expect(res.body).toContain('无法作同比');
    expect(res.body.match(/<svg /g)).toHaveLength(4);
  });

  it('answers 404 for a year without a published report or a malformed year, 400 for a parameter', async () => {
    const api = fakeApi({ '/public/reports/2025': ok(report(2025)) });
    for (const path of ['/reports/2023', '/reports/abc', '/reports/1999', '/reports/20255']) {
      const res = await render(api, path);
      expect(res.status, path).toBe(404);
      expect(res.headers['cache-control']).toBe(CACHE.none);
    }
    expect((await render(api, '/reports/2025', 'x=1')).status).toBe(400);
  });
});

describe('/calendar/{year}', () => {
  const year2026 = {
    year: 2026,
    source: 'ENTERED',
    package: { name: 'chinese-days', version: '1.5.7', covers: true },
    version: 1,
    notice: { title: `国务院办公厅关于2026年部分节假日安排的通知 ${HOSTILE}`, documentNo: '国办发明电〔2025〕7号' },
    festivals: [
      { name: '春节', off: ['2026-02-15', '2026-02-23'], work: ['2026-02-14', '2026-02-28'] },
      { name: '清明节', off: ['2026-04-04', '2026-04-06'], work: [] },
    ],
    enteredAt: '2025-11-10T02:00:00.000Z',
    differsFromPackage: true,
    differences: [{ date: '2026-02-28', package: { working: false, kind: 'WEEKEND', reason: null }, entered: { working: true, kind: 'ADJUSTED_WORKDAY', reason: '春节' } }],
    note: '2026 年的安排由管理员录入',
  };

  it('explains the counting and lists holidays and adjusted working days', async () => {
    const api = fakeApi({ '/public/calendar/2026': ok(year2026) });
    const res = await render(api, '/calendar/2026');
    expect(res.status).toBe(200);
    expect(title(res.body)).toBe('2026 年工作日计算 - 宿迁市市场监督管理局行政执法公示');
    expect(res.headers['cache-control']).toBe(CACHE.reference);
    expect(res.body).toContain('2026年2月15日（星期日）至2026年2月23日（星期一）');
    expect(res.body).toContain('共 9 天');
    expect(res.body).toContain('2026年2月14日（星期六）<br>2026年2月28日（星期六）');
    expect(res.body).toContain('不调休');
    expect(res.body).toContain('国办发明电〔2025〕7号');
    expect(res.body).toContain('按调休上班日计算');
    expect(res.body).toContain(ESCAPED);
    expect(res.body).not.toContain(HOSTILE);
  });

  it('answers 404 for a year the API does not know, or has no arrangement for, and 400 for a parameter', async () => {
    const api = fakeApi({
      '/public/calendar/2026': ok(year2026),
      '/public/calendar/2100': ok({ ...year2026, year: 2100, source: 'NONE', notice: null, festivals: [], differences: [], note: '尚无 2100 年法定节假日安排' }),
      '/public/calendar/2150': invalid('年份应在 2000–2100 之间'),
    });
    for (const path of ['/calendar/2100', '/calendar/2150', '/calendar/1999', '/calendar/abcd']) {
      const res = await render(api, path);
      expect(res.status, path).toBe(404);
      expect(title(res.body)).toContain('没有该年度的节假日安排');
    }
    expect((await render(api, '/calendar/2026', 'x=1')).status).toBe(400);
    const index = await render(api, '/calendar');
    expect(index.status).toBe(303);
    expect(index.headers.location).toMatch(/^\/calendar\/\d{4}$/);
  });
});

describe('barChart', () => {
  const chart = barChart({
    id: 'c1',
    title: `处罚 ${HOSTILE}`,
    unit: '件',
    rows: [
      { label: '警告', values: [3] },
      { label: HOSTILE, values: [0] },
      { label: '无', values: [null] },
    ],
  }).value;

  it('is an image with a label reading every figure, numbers on the bars, and a table of the same figures', () => {
    expect(chart).toMatch(/<svg role="img" aria-label="[^"]+"/);
    expect(chart).toContain('<title>');
    expect(chart).toContain('>3 件</text>');
    expect(chart).toContain('>无数据</text>');
    expect(chart).toContain('<th scope="row">警告</th><td class="num">3</td>');
    expect(chart).not.toContain('style=');
    expect(chart).not.toContain(HOSTILE);
    expect(chart).toContain(ESCAPED);
  });

  it('scales bars to the largest value (or the given maximum) and summarises two series', () => {
    const bars = [...chart.matchAll(/<rect x="0" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(bars).toEqual([240, 0, 0]);
    const rate = barChart({ id: 'r', title: '率', unit: '%', max: 100, rows: [{ label: '甲', values: [50] }] }).value;
    expect(rate).toContain('width="120"');
    expect(
      chartSummary({
        id: 'y',
        title: '同比',
        unit: '件',
        series: [
          { name: '2024 年', fill: '#6b7280' },
          { name: '2025 年', fill: '#0b4f8a' },
        ],
        rows: [{ label: '处罚', values: [1, 2] }],
      }),
    ).toBe('同比：处罚 2024 年 1 件，2025 年 2 件');
  });
});
