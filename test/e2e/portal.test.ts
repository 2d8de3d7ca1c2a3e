/**
 * The public portal in a real browser (issue 14 point 5): Debian's chromium driven by playwright-core
 * against `npm start` on a temporary data dir, at a phone's width (390×844) and a desktop's (1366×900).
 * Search (home box, /decisions form, credit code), filters and paging, a decision's 行政处罚信息摘要, a
 * withdrawn decision (410), the certificate check for every demo status, bad input, escaping, axe-core,
 * keyboard-only search; screenshots of every page in the git-ignored `.screenshots/portal/`.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSeriousOrCritical, describeViolations, launchChromium, screenshot, startPortal, type RunningPortal } from './portal-support.ts';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1366, height: 900 },
] as const;
type Viewport = (typeof VIEWPORTS)[number];

interface PublicDecision {
  readonly id: string;
  readonly kind: string;
  readonly decisionNo: string;
  readonly party: { readonly name: string; readonly creditCode?: string };
  readonly violationType?: string;
  readonly conclusion: string;
  readonly authority: string;
  readonly decisionDate: string;
}
interface PublicOfficer {
  readonly certificateNo: string;
  readonly certificateStatus: string;
}

const STATUS_LABELS: Record<string, string> = { VALID: '有效', SUSPENDED: '暂扣', REVOKED: '吊销', EXPIRED: '已过期' };
const SCRIPT_PARTY = '<script>alert(1)</script>';
/** What a server error would leak: a stack frame, a file path, an exception name. */
const STACK = /\bat\s+\S+\s+\(|\.ts:\d+|\.js:\d+|TypeError|ReferenceError|Error:/;

let portal: RunningPortal;
let browser: Browser;
let decisions: PublicDecision[] = [];
let officers: PublicOfficer[] = [];

const getJson = async <T>(url: string, init?: RequestInit): Promise<T> => {
  const res = await fetch(url, init);
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
};

async function allPublic<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: T[]; nextCursor: string | null } = await getJson(`${portal.apiUrl}${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

async function staffToken(): Promise<string> {
  const body = await getJson<{ token: string }>(`${portal.apiUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: 'admin-1', name: '管理员', groups: ['admin'] }),
  });
  return body.token;
}

/**
 * A fresh page at a width. CSP is bypassed only so axe-core's script tag can run: the portal's own
 * escaping (not its CSP) is what the escaping test proves.
 */
async function open<T>(viewport: Viewport, fn: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, locale: 'zh-CN', bypassCSP: true });
  try {
    const page = await context.newPage();
    return await fn(page, context);
  } finally {
    await context.close();
  }
}

const url = (path: string): string => `${portal.portalUrl}${path}`;
const bodyText = (page: Page): Promise<string> => page.locator('body').innerText();
const noHorizontalScroll = async (page: Page): Promise<void> => {
  const [scrollWidth, clientWidth] = (await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]')) as [number, number];
  expect(scrollWidth, `horizontal scrolling on ${page.url()}`).toBeLessThanOrEqual(clientWidth);
};

const byKind = (kind: string): PublicDecision[] => decisions.filter((d) => d.kind === kind);
const penaltyWithCode = (): PublicDecision => {
  const d = decisions.find((x) => x.kind === 'PENALTY' && x.party.creditCode);
  if (!d) throw new Error('demo data has no penalty on a business');
  return d;
};

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
  decisions = await allPublic<PublicDecision>('/public/decisions');
  officers = await allPublic<PublicOfficer>('/public/officers');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe.each(VIEWPORTS)('portal at $width×$height', (viewport) => {
  it("search by a party's name prefix from the home page's box, open the result: the 行政处罚信息摘要", async () => {
    const d = penaltyWithCode();
    const prefix = d.party.name.slice(0, 3);
    await open(viewport, async (page) => {
      await page.goto(url('/'));
      await screenshot(page, 'home');
      await page.fill('#q', prefix);
      await Promise.all([page.waitForURL(/\/decisions\?/), page.click('.search-one button[type=submit]')]);
      expect(new URL(page.url()).searchParams.get('q')).toBe(prefix);
      // The box's text goes to the party filter, shown in the form.
      expect(await page.inputValue('#party')).toBe(prefix);
      const expected = decisions.filter((x) => x.party.name.startsWith(prefix)).map((x) => x.decisionNo);
      expect((await page.locator('ol.decisions li.decision h2 a').allInnerTexts()).sort()).toEqual(expected.sort());
      await screenshot(page, 'decisions-by-party');
      await noHorizontalScroll(page);

      await Promise.all([page.waitForURL(`**/decisions/${d.id}`), page.getByRole('link', { name: d.decisionNo }).click()]);
      await expect.poll(() => page.locator('h1').innerText()).toBe('行政处罚信息摘要');
      const cell = (th: string) => page.locator('table.summary tr', { has: page.locator('th', { hasText: th }) }).locator('td').innerText();
      expect(await cell('决定书文号')).toBe(d.decisionNo);
      expect(await cell('当事人')).toContain(d.party.name);
      expect(await cell('违法行为类型')).toBe(d.violationType);
      expect(await cell('行政处罚内容')).toBe(d.conclusion);
      expect(await cell('罚款金额')).toMatch(/元/);
      expect(await cell('作出决定的机关')).toBe(d.authority);
      const [y, m, day] = d.decisionDate.split('-').map(Number);
      expect(await cell('作出决定日期')).toBe(`${y}年${m}月${day}日`);
      expect(await page.title()).toContain(d.decisionNo);
      await screenshot(page, 'decision');
      await noHorizontalScroll(page);
    });
  });

  it("search from /decisions' form by party prefix and by credit code; the home box takes a credit code too", async () => {
    const d = penaltyWithCode();
    const code = d.party.creditCode ?? '';
    await open(viewport, async (page) => {
      await page.goto(url('/decisions'));
      await screenshot(page, 'decisions');
      const prefix = '宿迁示例';
      await page.fill('#party', prefix);
      await Promise.all([page.waitForURL(/party=/), page.click('form.search button[type=submit]')]);
      expect(new URL(page.url()).searchParams.get('party')).toBe(prefix);
      expect(await page.locator('h2#results-title').innerText()).toBe('查询结果');
      const expected = decisions.filter((x) => x.party.name.startsWith(prefix)).map((x) => x.decisionNo);
      expect(expected.length).toBeGreaterThan(0);
      expect((await page.locator('li.decision h2 a').allInnerTexts()).sort()).toEqual(expected.sort());

      await page.goto(url('/decisions'));
      await page.fill('#creditCode', code);
      await Promise.all([page.waitForURL(/creditCode=/), page.click('form.search button[type=submit]')]);
      expect(await page.locator('li.decision h2 a').allInnerTexts()).toEqual(decisions.filter((x) => x.party.creditCode === code).map((x) => x.decisionNo));
      expect(await page.locator('li.decision .party .code').first().innerText()).toBe(code);

      await page.goto(url('/'));
      await page.fill('#q', code.toLowerCase());
      await Promise.all([page.waitForURL(/\/decisions\?/), page.press('#q', 'Enter')]);
      expect(await page.inputValue('#creditCode')).toBe(code);
      await page.locator('li.decision h2 a').first().click();
      await page.waitForURL(`**/decisions/${d.id}`);
      expect(await page.locator('h1').innerText()).toBe('行政处罚信息摘要');
    });
  });

  it('filters stay in the URL and the form; 下一页 appears exactly when the API has a next page, and follows its cursor', async () => {
    await open(viewport, async (page) => {
      for (const kind of ['PENALTY', 'LICENSING', 'INSPECTION']) {
        await page.goto(url('/decisions'));
        // Kind, agency and dates are folded under 更多条件 until one is in use.
        expect(await page.locator('form.search details').getAttribute('open')).toBeNull();
        await page.click('form.search details > summary');
        await page.selectOption('#kind', kind);
        await Promise.all([page.waitForURL(/kind=/), page.click('form.search button[type=submit]')]);
        const params = new URL(page.url()).searchParams;
        expect(params.get('kind')).toBe(kind);
        expect(await page.inputValue('#kind')).toBe(kind);
        expect(await page.locator('form.search details').getAttribute('open')).not.toBeNull();
        const firstPage = await getJson<{ items: PublicDecision[]; nextCursor: string | null }>(`${portal.apiUrl}/public/decisions?kind=${kind}&limit=20`);
        const shown = await page.locator('li.decision h2 a').allInnerTexts();
        expect(shown).toEqual(firstPage.items.map((x) => x.decisionNo));
        // (kind=PENALTY holds only the decisions in the penalty register, so the API is the reference.)
        expect(shown.length).toBeLessThanOrEqual(20);
        const next = page.locator('.pager a[rel=next]');
        expect(await next.count()).toBe(firstPage.nextCursor ? 1 : 0);
        if (firstPage.nextCursor) {
          await Promise.all([page.waitForURL(/cursor=/), next.click()]);
          const after = new URL(page.url()).searchParams;
          expect(after.get('kind')).toBe(kind);
          expect(await page.locator('h2#results-title').innerText()).toContain('（续）');
          expect(await page.locator('.pager a', { hasText: '回到第一页' }).count()).toBe(1);
          const rest = await page.locator('li.decision h2 a').allInnerTexts();
          expect(rest.length).toBeGreaterThan(0);
          expect(rest.some((n) => shown.includes(n))).toBe(false);
        }
      }
      // The whole list: more than 20 published decisions would page, fewer must not.
      await page.goto(url('/decisions'));
      expect(await page.locator('.pager a[rel=next]').count()).toBe(decisions.length > 20 ? 1 : 0);
    });
  });

  it('the certificate check for every status the demo bureau has, and 查无此证 for an unknown number: the status large and visible', async () => {
    const statuses = [...new Set(officers.map((o) => o.certificateStatus))].sort();
    expect(statuses).toEqual(['EXPIRED', 'REVOKED', 'SUSPENDED', 'VALID']);
    await open(viewport, async (page) => {
      await page.goto(url('/verify'));
      await screenshot(page, 'verify-form');
      for (const status of statuses) {
        const officer = officers.find((o) => o.certificateStatus === status);
        if (!officer) throw new Error(status);
        if (status === 'VALID') {
          // The form goes to the certificate's own address (the one its QR code holds).
          await page.goto(url('/verify'));
          await page.fill('#no', officer.certificateNo);
          await Promise.all([page.waitForURL(`**/verify/${officer.certificateNo}`), page.press('#no', 'Enter')]);
        } else {
          const response = await page.goto(url(`/verify/${officer.certificateNo}`));
          expect(response?.status()).toBe(200);
        }
        const big = page.locator('.status .big');
        expect(await big.innerText()).toBe(STATUS_LABELS[status]);
        expect(await big.isVisible()).toBe(true);
        const fontSize = Number.parseFloat((await page.evaluate("getComputedStyle(document.querySelector('.status .big')).fontSize")) as string);
        expect(fontSize).toBeGreaterThanOrEqual(40);
        expect(await page.locator('.status .no').innerText()).toContain(officer.certificateNo);
        await screenshot(page, `verify-${status.toLowerCase()}`);
        await noHorizontalScroll(page);
      }
      const unknown = await page.goto(url('/verify/99999999999'));
      expect(unknown?.status()).toBe(404);
      expect(await page.locator('.status .big').innerText()).toBe('查无此证');
      expect(await page.inputValue('#no')).toBe('99999999999');
      await screenshot(page, 'verify-unknown');
    });
  });

  it('bad input: friendly zh-CN pages with 400 / 404, the form kept after a forged cursor, never a stack trace', async () => {
    await open(viewport, async (page) => {
      const unknownFilter = await page.goto(url('/decisions?foo=1'));
      expect(unknownFilter?.status()).toBe(400);
      expect(await page.locator('h1').innerText()).toBe('请求无效');
      expect(await bodyText(page)).toContain('foo');
      expect(await bodyText(page)).not.toMatch(STACK);
      await screenshot(page, 'bad-filter');

      const forged = await page.goto(url('/decisions?kind=PENALTY&cursor=eyJmb3JnZWQiOnRydWV9'));
      expect(forged?.status()).toBe(400);
      expect(await page.locator('[role=alert]').innerText()).toContain('翻页链接已失效');
      expect(await page.locator('form.search').isVisible()).toBe(true);
      expect(await page.inputValue('#kind')).toBe('PENALTY');
      expect(await bodyText(page)).not.toMatch(STACK);
      await screenshot(page, 'bad-cursor');

      const unknownId = await page.goto(url(`/decisions/${randomUUID()}`));
      expect(unknownId?.status()).toBe(404);
      expect(await page.locator('h1').innerText()).toBe('未找到该决定');
      expect(await bodyText(page)).not.toMatch(STACK);
      await screenshot(page, 'decision-unknown');

      const malformedId = await page.goto(url('/decisions/%E0%A4%A'));
      expect([400, 404]).toContain(malformedId?.status());
      expect(await bodyText(page)).not.toMatch(STACK);

      const nope = await page.goto(url('/nope'));
      expect(nope?.status()).toBe(404);
      expect(await page.locator('h1').innerText()).toBe('页面不存在');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await bodyText(page)).not.toMatch(STACK);
      await screenshot(page, 'not-found');

      const long = await page.goto(url(`/decisions?party=${'宿'.repeat(400)}`));
      expect(long?.status()).toBe(400);
      expect(await bodyText(page)).not.toMatch(STACK);
    });
  });

  it('escaping: a party name like <script>alert(1)</script> is text, no dialog opens', async () => {
    await open(viewport, async (page) => {
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(url('/'));
      await page.fill('#q', SCRIPT_PARTY);
      await Promise.all([page.waitForURL(/\/decisions\?/), page.press('#q', 'Enter')]);
      expect(await page.inputValue('#party')).toBe(SCRIPT_PARTY);
      await page.goto(url(`/decisions?party=${encodeURIComponent(SCRIPT_PARTY)}&decisionNo=${encodeURIComponent('"><img src=x onerror=alert(2)>')}`));
      expect(await page.inputValue('#party')).toBe(SCRIPT_PARTY);
      expect(await page.inputValue('#decisionNo')).toBe('"><img src=x onerror=alert(2)>');
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('main img').count()).toBe(0);
      await page.goto(url(`/verify/${encodeURIComponent(SCRIPT_PARTY)}`));
      expect(await bodyText(page)).toContain(SCRIPT_PARTY);
      expect(await page.locator('script').count()).toBe(0);
      await page.waitForTimeout(200);
      expect(dialogs).toEqual([]);
    });
  });

  it('axe-core: 0 serious or critical violations on every page; each page screenshotted', async () => {
    const d = penaltyWithCode();
    const valid = officers.find((o) => o.certificateStatus === 'VALID')?.certificateNo ?? '';
    const pages: [string, string][] = [
      ['axe-home', '/'],
      ['axe-decisions', '/decisions'],
      ['axe-decisions-search', `/decisions?party=${encodeURIComponent('宿迁')}`],
      ['axe-decision', `/decisions/${d.id}`],
      ['axe-verify', '/verify'],
      ['axe-verify-result', `/verify/${valid}`],
      ['axe-verify-unknown', '/verify/99999999999'],
      ['axe-about', '/about'],
      ['axe-not-found', '/nope'],
      ['axe-bad-request', '/decisions?foo=1'],
    ];
    const found: string[] = [];
    await open(viewport, async (page) => {
      for (const [name, path] of pages) {
        await page.goto(url(path));
        const violations = await axeSeriousOrCritical(page);
        if (violations.length > 0) found.push(`${path}:\n${describeViolations(violations)}`);
        await screenshot(page, name);
      }
    });
    expect(found.join('\n\n')).toBe('');
  });

  it('keyboard only: Tab reaches the skip link first, then the search box; Enter searches; Tab to the first result and Enter opens it', async () => {
    const d = penaltyWithCode();
    const prefix = d.party.name.slice(0, 3);
    const active = (page: Page): Promise<string> =>
      page.evaluate('(() => { const e = document.activeElement; return e ? `${e.tagName.toLowerCase()}#${e.id}.${e.className}|${e.textContent?.trim().slice(0, 40) ?? ""}` : "" })()') as Promise<string>;
    await open(viewport, async (page) => {
      await page.goto(url('/'));
      await page.keyboard.press('Tab');
      expect(await active(page)).toMatch(/^a#\.skip\|跳到正文$/);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect(await active(page)).toMatch(/^input#q\./);
      await page.keyboard.type(prefix);
      await Promise.all([page.waitForURL(/\/decisions\?q=/), page.keyboard.press('Enter')]);
      let reached = false;
      for (let i = 0; i < 60 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = (await page.evaluate("document.activeElement?.closest('ol.decisions') !== null && document.activeElement?.tagName === 'A'")) as boolean;
      }
      expect(reached, 'Tab never reached a result link').toBe(true);
      expect(await active(page)).toContain(d.decisionNo);
      await Promise.all([page.waitForURL(`**/decisions/${d.id}`), page.keyboard.press('Enter')]);
      expect(await page.locator('h1').innerText()).toBe('行政处罚信息摘要');
    });
  });
});

describe('registers, the power list, the calendar and the annual report', () => {
  it('the annual report, once published, shows its charts and downloads; every register page passes axe at both widths', async () => {
    // Last year's report, as /reports lists it, and — since the demo decisions are dated this year — this
    // year's too, published on the dates the schedule would use next January, for charts with figures.
    const listedYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4)) - 1;
    const chartYear = Math.max(...decisions.map((d) => Number(d.decisionDate.slice(0, 4))));
    for (const year of new Set([listedYear, chartYear])) {
      for (const [stage, day] of [['draft', '01-05'], ['deliver', '01-15'], ['publish', '01-31']] as const) {
        const run = portal.cli('job', ['annual-report', '--year', String(year), '--stage', stage, '--date', `${year + 1}-${day}`]);
        expect(run.status, run.output).toBe(0);
      }
    }
    const power = (await getJson<{ items: { code: string }[] }>(`${portal.apiUrl}/public/powers?type=PENALTY&limit=1`)).items[0];
    if (!power) throw new Error('demo data has no penalty power');
    const pages: [string, string][] = [
      ['reports', '/reports'],
      ['report-listed', `/reports/${listedYear}`],
      ['report', `/reports/${chartYear}`],
      ['officers', '/officers'],
      ['powers', '/powers'],
      ['power', `/powers/${encodeURIComponent(power.code)}`],
      ['inspection-items', '/inspection-items'],
      ['calendar-2026', '/calendar/2026'],
    ];
    for (const viewport of VIEWPORTS) {
      await open(viewport, async (page) => {
        const found: string[] = [];
        for (const [name, path] of pages) {
          const response = await page.goto(url(path));
          expect(response?.status(), path).toBe(200);
          expect(await page.title(), path).toMatch(/行政执法公示$/);
          const violations = await axeSeriousOrCritical(page);
          if (violations.length > 0) found.push(`${path}:\n${describeViolations(violations)}`);
          await noHorizontalScroll(page);
          await screenshot(page, name);
        }
        expect(found, found.join('\n\n')).toEqual([]);

        // /reports links last year's published report; this year's shows charts drawn and labelled, every
        // figure also in a table, and the files to download.
        await page.goto(url('/reports'));
        await Promise.all([page.waitForURL(new RegExp(`/reports/${listedYear}$`)), page.locator(`a[href="/reports/${listedYear}"]`).first().click()]);
        expect(await page.locator('h1').innerText()).toContain(String(listedYear));
        await page.goto(url(`/reports/${chartYear}`));
        const charts = page.locator('svg[role="img"]');
        expect(await charts.count()).toBeGreaterThanOrEqual(3);
        for (const chart of await charts.all()) {
          expect(await chart.isVisible()).toBe(true);
          expect((await chart.getAttribute('aria-label')) ?? '').not.toBe('');
          const box = await chart.boundingBox();
          expect(box?.width ?? 0).toBeGreaterThan(200);
          expect(box?.height ?? 0).toBeGreaterThan(40);
        }
        expect(await page.locator('table').count()).toBeGreaterThanOrEqual(await charts.count());
        const downloads = await page.locator('a[href*=".pdf"], a[href*=".xlsx"]').count();
        expect(downloads).toBeGreaterThanOrEqual(2);
      });
    }
  });
});

describe('a withdrawn decision', () => {
  it('answers 410 with a page that says it was withdrawn and when, at both widths', async () => {
    // The inspection decision: no other test opens it.
    const d = byKind('INSPECTION')[0] ?? byKind('LICENSING')[0];
    if (!d) throw new Error('demo data has no inspection or licensing decision');
    const token = await staffToken();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const cases: { id: string }[] = [];
    for (const agency of (await allPublic<{ id: string }>('/public/agencies')).map((a) => a.id)) {
      cases.push(...(await getJson<{ items: { id: string }[] }>(`${portal.apiUrl}/cases?agencyId=${agency}&limit=100`, { headers: auth })).items);
    }
    let caseId: string | undefined;
    let version = 0;
    for (const c of cases) {
      const res = await fetch(`${portal.apiUrl}/cases/${c.id}/decision`, { headers: auth });
      if (!res.ok) continue;
      const decision = (await res.json()) as { version: number; draft?: { decisionNo?: string } };
      if (decision.draft?.decisionNo === d.decisionNo) {
        caseId = c.id;
        version = decision.version;
        break;
      }
    }
    expect(caseId, `no case holds ${d.decisionNo}`).toBeDefined();
    await getJson(`${portal.apiUrl}/cases/${caseId}/decision/withdraw`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ version, ground: 'REVOKED', changedOn: d.decisionDate, reason: '该决定已被依法撤销（端到端测试）' }),
    });
    // Withdrawn today (in Beijing or, near midnight, UTC): the page names the day.
    const days = ['Asia/Shanghai', 'UTC'].map((timeZone) => {
      const [y, m, day] = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date()).split('-').map(Number);
      return `已于${y}年${m}月${day}日撤下公示`;
    });
    for (const viewport of VIEWPORTS) {
      await open(viewport, async (page) => {
        const response = await page.goto(url(`/decisions/${d.id}`));
        expect(response?.status()).toBe(410);
        expect(response?.headers()['cache-control']).toBe('no-store');
        expect(await page.locator('h1').innerText()).toBe('该决定已撤下公示');
        const text = await bodyText(page);
        expect(days.some((t) => text.includes(t)), text).toBe(true);
        expect(await bodyText(page)).not.toContain(d.party.name);
        expect(await axeSeriousOrCritical(page)).toEqual([]);
        await screenshot(page, 'decision-withdrawn');
        // Gone from the lists too.
        await page.goto(url(`/decisions?decisionNo=${encodeURIComponent(d.decisionNo)}`));
        expect(await page.locator('li.decision').count()).toBe(0);
      });
    }
  });
});
