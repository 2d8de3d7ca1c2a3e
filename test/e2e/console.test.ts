/**
 * The staff console in a real browser (issue 16, points 1, 7, 8): `npm start` on a temporary data dir
 * (test/e2e/portal-support.ts), Debian's chromium, at a laptop's width (1366×900) and a tablet's
 * (768×1024). The console's own Content-Security-Policy stays on (axe-core is evaluated through the
 * DevTools protocol, which the policy does not govern), so these runs also prove the console works
 * under it. Screenshots in the git-ignored `.screenshots/console/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { SESSION_KEY, VIEWPORTS, accessibleAndFits, heading, screenshot, withPage as withConsolePage, type Viewport } from './console-support.ts';

let portal: RunningPortal;
let browser: Browser;

const consoleUrl = (path = '/console/'): string => `${portal.portalUrl}${path}`;

const withPage = <T>(viewport: Viewport, fn: (page: Page, errors: string[]) => Promise<T>): Promise<T> => withConsolePage(browser, viewport, fn);

async function signInAs(page: Page, name: string): Promise<void> {
  await expect.poll(() => heading(page).innerText()).toBe('登录执法工作台');
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
}

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('the console is served like the portal', () => {
  it('at /console/ and its client-side routes, with the security headers, a CSP naming the API, and hashed assets kept a year', async () => {
    for (const path of ['/console/', '/console/cases/6f1c2b9e-1111-4a2b-9c3d-123456789abc', '/console/sign-in']) {
      const res = await fetch(consoleUrl(path));
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html).toContain('<html lang="zh-CN">');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      // The API's origin as the portal server knows it (npm start hands it 127.0.0.1, and prints localhost).
      expect(csp).toMatch(new RegExp(`connect-src 'self' http://(localhost|127\\.0\\.0\\.1):${new URL(portal.apiUrl).port}(;|$)`));
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const script = /<script type="module" src="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(script).toMatch(/^\/console\/assets\/main-[A-Z0-9]+\.js$/);
      const asset = await fetch(consoleUrl(script));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(consoleUrl('/console/assets/missing-0000.js'))).status).toBe(404);
    // The portal itself is unchanged.
    expect((await fetch(consoleUrl('/'))).status).toBe(200);
  });
});

describe.each(VIEWPORTS)('an officer at $width×$height', (viewport) => {
  it('signs in from the sign-in page, sees 我的案件 with their cases, opens one, and signs out', async () => {
    await withPage(viewport, async (page, errors) => {
      // Not signed in: the console sends the visitor to sign in.
      await page.goto(consoleUrl());
      await page.waitForURL(/\/console\/sign-in\?next=/);
      await expect.poll(() => heading(page).innerText()).toBe('登录执法工作台');
      for (const role of ['执法人员', '法制审核人员', '负责人', '法制机构（管理员）']) {
        await expect.poll(() => page.getByRole('heading', { level: 2, name: role }).count()).toBe(1);
      }
      await accessibleAndFits(page, 'sign-in');

      await signInAs(page, '李文静');
      await page.waitForURL(consoleUrl('/console/'));
      await expect.poll(() => heading(page).innerText()).toBe('我的案件');
      const header = page.locator('header');
      await expect.poll(() => header.innerText()).toContain('李文静');
      await expect.poll(() => header.innerText()).toContain('宿迁市市场监督管理局');
      expect(await header.innerText()).toContain('执法人员');
      const mine = page.locator('table.cases', { has: page.locator('caption', { hasText: '本人承办的案件' }) });
      await expect.poll(() => mine.locator('tbody tr').count()).toBeGreaterThan(0);
      // The demo officer handles every seeded case of the city bureau: each shows its limit or state.
      expect(await mine.locator('tbody tr').first().innerText()).toMatch(/剩余 \d+ 日|已逾期 \d+ 日|今日到期|已作出决定|已结案/);
      await accessibleAndFits(page, 'my-cases');

      const first = mine.locator('tbody tr th a').first();
      const caseNo = await first.innerText();
      await first.click();
      await page.waitForURL(/\/console\/cases\/[0-9a-f-]{36}$/);
      await expect.poll(() => heading(page).innerText()).toBe(`案件 ${caseNo}`);
      for (const part of ['案件信息', '音像记录缺口', '执法过程记录', '证据', '文书', '记录执法行为']) {
        await expect.poll(() => page.getByRole('heading', { level: 2, name: part }).count(), { message: part }).toBe(1);
      }
      await expect.poll(() => page.locator('ol.timeline li').count()).toBeGreaterThan(0);
      await accessibleAndFits(page, 'case');

      // Back and forward work as in any site (history API).
      await page.goBack();
      await expect.poll(() => heading(page).innerText()).toBe('我的案件');
      await page.goForward();
      await expect.poll(() => heading(page).innerText()).toBe(`案件 ${caseNo}`);

      await page.getByRole('button', { name: '退出登录' }).click();
      await page.waitForURL(consoleUrl('/console/sign-in'));
      await expect.poll(() => heading(page).innerText()).toBe('登录执法工作台');
      expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(SESSION_KEY)})`)).toBeNull();
      // Signed out means signed out: the case page asks to sign in again.
      await page.goto(consoleUrl(`/console/cases/${page.url().split('/').pop() ?? ''}`));
      await page.waitForURL(/\/console\/sign-in\?next=/);
      expect(errors).toEqual([]);
    });
  });
});

describe('other people', () => {
  it("a leader sees the agency's cases with the deadline check's reminders; a county officer is told why a city case is closed to them", async () => {
    await withPage(VIEWPORTS[0], async (page) => {
      await page.goto(consoleUrl('/console/sign-in'));
      await signInAs(page, '宿迁市市场监督管理局负责人');
      await expect.poll(() => heading(page).innerText()).toBe('我的案件');
      expect(await page.locator('header').innerText()).toContain('负责人');
      const cases = page.locator('table.cases', { has: page.locator('caption', { hasText: '本机构案件' }) });
      await expect.poll(() => cases.locator('tbody tr').count()).toBeGreaterThan(0);
      // The demo's overdue payment (待缴款, local/seed-procedure.ts) is on the deadline check.
      await expect.poll(() => cases.innerText()).toMatch(/罚款缴纳 \d{4}-\d{2}-\d{2} 已逾期 \d+ 日/);
      await accessibleAndFits(page, 'leader-cases');
      const cityCase = (await cases.locator('tbody tr th a').first().getAttribute('href')) ?? '';

      await page.getByRole('button', { name: '退出登录' }).click();
      await signInAs(page, '陆欣然');
      await expect.poll(() => heading(page).innerText()).toBe('我的案件');
      await page.goto(consoleUrl(cityCase));
      await expect.poll(() => heading(page).innerText()).toBe('无权查看此案件');
      expect(await page.locator('main [role=alert]').innerText()).toContain('只能处理本机构及下级机构的事项');
      await accessibleAndFits(page, 'case-forbidden');
    });
  });
});

describe('an expired session', () => {
  it('sends the officer to sign in and back to the form, with what they typed, and the API error next to its field', async () => {
    await withPage(VIEWPORTS[0], async (page, errors) => {
      await page.goto(consoleUrl('/console/sign-in'));
      await signInAs(page, '李文静');
      await expect.poll(() => heading(page).innerText()).toBe('我的案件');
      await page.locator('table.cases tbody tr th a').first().click();
      await expect.poll(() => page.getByRole('heading', { level: 2, name: '记录执法行为' }).count()).toBe(1);
      const place = page.getByLabel('地点');
      await place.fill('宿城区示例路 1 号');
      await page.getByLabel('情况记录').fill('现场检查进货查验记录');

      // The session ends (a token the API no longer accepts): the next request answers 401.
      await page.evaluate(`sessionStorage.setItem(${JSON.stringify(SESSION_KEY)}, sessionStorage.getItem(${JSON.stringify(SESSION_KEY)}).slice(0, -4) + 'AAAA')`);
      const casePath = new URL(page.url()).pathname;
      await page.getByRole('button', { name: '记录执法行为' }).click();
      await page.waitForURL(/\/console\/sign-in\?next=/);
      await expect.poll(() => page.locator('main').innerText()).toContain('已填写的内容不会丢失');
      await screenshot(page, 'session-expired');

      await signInAs(page, '李文静');
      await page.waitForURL(consoleUrl(casePath));
      await expect.poll(() => place.inputValue()).toBe('宿城区示例路 1 号');
      expect(await page.getByLabel('情况记录').inputValue()).toBe('现场检查进货查验记录');

      // An inspection by one officer: the API refuses it (N6, 422 with the path officerIds); the message
      // stands beside the officer picker, and nothing typed is lost.
      await page.getByRole('button', { name: '记录执法行为' }).click();
      const officers = page.locator('fieldset.officers');
      await expect.poll(() => officers.locator('.field-error').innerText()).toContain('至少 2 名');
      expect(await page.locator('.error-note[role=alert]').innerText()).toContain('调查取证须有 2 名以上执法人员');
      // The summary has the focus (a string: the test code has no DOM types).
      await expect.poll(() => page.evaluate("document.activeElement?.matches('.error-note[role=alert]') === true")).toBe(true);
      expect(await place.inputValue()).toBe('宿城区示例路 1 号');
      await accessibleAndFits(page, 'act-form-error');

      // With a second officer it is recorded, and the case's record shows it.
      const acts = await page.locator('ol.timeline li.kind-act').count();
      await officers.getByRole('checkbox', { name: /沈雨桐/ }).check();
      await page.getByRole('button', { name: '记录执法行为' }).click();
      await expect.poll(() => page.locator('.success[role=status]').innerText()).toBe('已记录。');
      await expect.poll(() => page.locator('ol.timeline li.kind-act').count()).toBe(acts + 1);
      expect(await page.locator('ol.timeline').innerText()).toContain('宿城区示例路 1 号');
      expect(await place.inputValue()).toBe('');
      // The new inspection has no sealed photo or video yet: it is now a recording gap (R3).
      await expect.poll(() => page.locator('ul.gaps').innerText()).toContain('现场检查');
      // The 401 and the 422 are the API's answers, logged by the browser; nothing else went wrong.
      expect(errors.filter((e) => !/status of (401|422)/.test(e))).toEqual([]);
    });
  });
});
