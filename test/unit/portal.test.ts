/**
 * The portal's pages as a citizen meets them, rendered against a fake public API: what is asked of the
 * API, what the page says, the status it answers with, and that nothing a record holds can become markup.
 */
import { describe, expect, it } from 'vitest';
import { ApiUnavailable } from '../../functions/portal/api.ts';
import { escapeHtml, href, html } from '../../functions/portal/html.ts';
import { chineseDate, yuan } from '../../functions/portal/labels.ts';
import { interpretQ } from '../../functions/portal/pages/decisions.ts';
import { fakeApi, ok, render } from './portal-fake-api.ts';

const HOSTILE = '<script>alert(1)</script>';
const decision = {
  id: '68bb7b41-85f6-4cb9-9f9f-dd8bcd781e66',
  decisionNo: '宿市监简罚〔2026〕2号',
  kind: 'PENALTY',
  penaltyRegister: true,
  party: { kind: 'INDIVIDUAL_BUSINESS', name: HOSTILE, creditCode: '92321302MA1DEM001P' },
  violationType: '经营超过保质期的食品',
  conclusion: '罚款人民币二百元',
  penalties: ['罚款'],
  fine: '12500.00',
  confiscatedValue: '0.00',
  authority: '宿迁市市场监督管理局',
  agencyId: 'sq-city',
  decisionDate: '2026-10-20',
  publicationDate: '2026-12-02',
  disclosureEndsOn: '2027-03-02',
  publicVersion: 2,
  corrections: [{ correctedAt: '2026-12-05', reason: '更正文号笔误', publicVersion: 2 }],
  documentText: `当事人：${HOSTILE}\n经查……`,
  legalBasis: '《食品安全法》第一百二十四条',
  notice: '',
};
const agencies = ok({ items: [{ id: 'sq-city', name: '宿迁市市场监督管理局' }] });

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    expect(html`<p title="${'"x" onmouseover=1'}">${HOSTILE}</p>`.value).toBe('<p title="&quot;x&quot; onmouseover=1">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(escapeHtml("a&b<'`>")).toBe('a&amp;b&lt;&#39;&#96;&gt;');
    expect(html`${[html`<b>${'<i>'}</b>`, 1, null, undefined, false]}`.value).toBe('<b>&lt;i&gt;</b>1');
  });

  it('builds links with each query value encoded and empty ones left out', () => {
    expect(href('/decisions', { party: '宿迁 示例&x=1', kind: '', cursor: undefined })).toBe('/decisions?party=%E5%AE%BF%E8%BF%81+%E7%A4%BA%E4%BE%8B%26x%3D1');
  });

  it('writes dates and amounts as a Chinese reader expects', () => {
    expect(chineseDate('2026-03-05')).toBe('2026年3月5日');
    expect(yuan('12500.00')).toBe('12,500.00 元');
    expect(yuan('0.00')).toBe('0 元');
  });
});

describe('the search box', () => {
  it('takes a credit code, a decision number, or the beginning of a name', () => {
    expect(interpretQ(' 92321302ma1dem001p ')).toEqual({ creditCode: '92321302MA1DEM001P' });
    expect(interpretQ('宿市监简罚〔2026〕2号')).toEqual({ decisionNo: '宿市监简罚〔2026〕2号' });
    expect(interpretQ('宿迁示例')).toEqual({ party: '宿迁示例' });
    expect(interpretQ('  ')).toEqual({});
  });
});

describe('/decisions', () => {
  it('passes every filter to the API, keeps them in the form and in the next-page link', async () => {
    const api = fakeApi({ '/public/agencies': agencies, '/public/decisions': ok({ items: [decision], nextCursor: 'c2' }) });
    const page = await render(api, '/decisions', 'party=%E5%AE%BF%E8%BF%81&kind=PENALTY&from=2026-01-01&to=2026-12-31');
    expect(page.status).toBe(200);
    expect(api.calls.find((c) => c.path === '/public/decisions')?.query).toMatchObject({ party: '宿迁', kind: 'PENALTY', from: '2026-01-01', to: '2026-12-31', limit: '20' });
    expect(page.body).toContain('value="宿迁"');
    expect(page.body).toContain('<option value="PENALTY" selected>');
    expect(page.body).toContain('href="/decisions?kind=PENALTY&amp;party=%E5%AE%BF%E8%BF%81&amp;from=2026-01-01&amp;to=2026-12-31&amp;cursor=c2"');
    expect(page.body).not.toContain(HOSTILE);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.headers['cache-control']).toBe('public, max-age=60');
  });

  it('refuses an unknown or repeated parameter with a 400 page, without asking the API', async () => {
    const api = fakeApi({});
    for (const q of ['foo=1', 'party=a&party=b']) {
      const page = await render(api, '/decisions', q);
      expect(page.status).toBe(400);
      expect(page.body).toContain('<h1>请求无效</h1>');
    }
    expect(api.calls).toHaveLength(0);
  });

  it('shows what the API found wrong with a 400 and keeps what was typed', async () => {
    const api = fakeApi({
      '/public/agencies': agencies,
      '/public/decisions': { ok: false, status: 400, error: { code: 'VALIDATION_FAILED', message: '查询参数无效', details: [{ path: 'query.creditCode', message: '统一社会信用代码应为 18 位' }] } },
    });
    const page = await render(api, '/decisions', 'creditCode=123');
    expect(page.status).toBe(400);
    expect(page.body).toContain('统一社会信用代码应为 18 位');
    expect(page.body).toContain('id="creditCode" name="creditCode" maxlength="18" value="123"');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('refuses control characters in a query before asking the API', async () => {
    const api = fakeApi({});
    expect((await render(api, '/decisions', 'party=a%00b')).status).toBe(400);
    expect(api.calls).toHaveLength(0);
  });
});

describe('/decisions/{id}', () => {
  it('leads with the penalty information summary, then the document, escaped', async () => {
    const page = await render(fakeApi({ [`/public/decisions/${decision.id}`]: ok(decision) }), `/decisions/${decision.id}`);
    expect(page.status).toBe(200);
    const summary = page.body.indexOf('<h1>行政处罚信息摘要</h1>');
    expect(summary).toBeGreaterThan(0);
    expect(page.body.indexOf('决定书（公开文本）')).toBeGreaterThan(summary);
    for (const text of ['宿市监简罚〔2026〕2号', '经营超过保质期的食品', '罚款人民币二百元', '12,500.00 元', '2026年10月20日', '2027年3月2日', '更正文号笔误']) expect(page.body).toContain(text);
    expect(page.body).not.toContain(HOSTILE);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('says when a withdrawn record was withdrawn, with 410 and no caching', async () => {
    const api = fakeApi({ [`/public/decisions/${decision.id}`]: { ok: false, status: 410, error: { code: 'WITHDRAWN', message: '已撤下', details: [{ path: 'date', message: '2026-12-10' }] } } });
    const page = await render(api, `/decisions/${decision.id}`);
    expect(page.status).toBe(410);
    expect(page.body).toContain('该决定已于2026年12月10日撤下公示');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('answers an unknown or malformed id with a 404 page', async () => {
    expect((await render(fakeApi({}), `/decisions/${decision.id}`)).status).toBe(404);
    const api = fakeApi({});
    expect((await render(api, '/decisions/not-an-id')).status).toBe(404);
    expect(api.calls).toHaveLength(0);
  });
});

describe('/verify', () => {
  const check = (status: string) => ok({ certificateNo: '32132301007', status, name: '严子墨', agencyName: '泗阳县市场监督管理局', categories: ['价格监督检查'], region: '泗阳县', validUntil: '2029-09-30' });

  it.each([
    ['VALID', '有效', 'status-ok'],
    ['SUSPENDED', '暂扣', 'status-warn'],
    ['REVOKED', '吊销', 'status-bad'],
    ['EXPIRED', '已过期', 'status-bad'],
  ])('shows %s as one large word (%s) and the officer, never cached', async (status, word, tone) => {
    const page = await render(fakeApi({ '/public/officers/verify/32132301007': check(status) }), '/verify/32132301007');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<div class="status ${tone}" role="status"><span class="big">${word}</span>`);
    expect(page.body).toContain('严子墨');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('says 查无此证 with a 404 for a number nobody issued, and for one that cannot be a number', async () => {
    const unknown = await render(fakeApi({}), '/verify/99999999');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('查无此证');
    const api = fakeApi({});
    const bad = await render(api, `/verify/${encodeURIComponent(HOSTILE)}`);
    expect(bad.status).toBe(404);
    expect(bad.body).not.toContain(HOSTILE);
    expect(api.calls).toHaveLength(0);
  });

  it('sends the form to the certificate’s own address', async () => {
    const page = await render(fakeApi({}), '/verify', 'no=+32132301007+');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/verify/32132301007');
  });
});

describe('every page', () => {
  it('is zh-CN with a title, the security headers and a skip link', async () => {
    const page = await render(fakeApi({ '/public/decisions': ok({ items: [], nextCursor: null }) }), '/');
    expect(page.body).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(page.body).toContain('<title>首页 - 宿迁市市场监督管理局行政执法公示</title>');
    expect(page.body).toContain('<a class="skip" href="#main">跳到正文</a>');
    expect(page.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'strict-transport-security': expect.stringContaining('max-age=') as string, 'referrer-policy': 'strict-origin-when-cross-origin' });
  });

  it('answers 503 with a page when the API cannot be reached, and 405 to anything but GET', async () => {
    const down = await render(fakeApi({ '/public/decisions': new ApiUnavailable('TimeoutError') }), '/');
    expect(down.status).toBe(503);
    expect(down.body).toContain('暂时无法访问');
    const post = await render(fakeApi({}), '/decisions', '', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('answers an unknown path or an over-long query with a page, not a blank', async () => {
    expect((await render(fakeApi({}), '/nope')).status).toBe(404);
    expect((await render(fakeApi({}), '/decisions', `party=${'a'.repeat(2000)}`)).status).toBe(400);
    expect((await render(fakeApi({}), '/decisions/%E0%A4%A')).status).toBe(400);
  });
});
