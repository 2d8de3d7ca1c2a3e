/**
 * 立案 in a real browser (issue 16, point 2): `npm start` on a temporary data dir
 * (test/e2e/portal-support.ts), Debian's chromium under the console's own CSP. The officer sees a bad
 * credit code refused while typing (nothing sent), corrects it, picks a power and officers (the others
 * listed with the reason), is refused by the API twice (a filing date in the future, one officer for a
 * penalty case) with each message beside its field, loses the answer of the filing and sends it again
 * (the same Idempotency-Key: the same case, not a second), and lands on the new case's page; an expired
 * session keeps the draft. Screenshots in the git-ignored `.screenshots/console/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { VIEWPORTS, accessibleAndFits, heading, screenshot, type Viewport } from './console-support.ts';

const GOOD_CODE = '91350100M000100Y43';
/** The same with its last character changed: GB 32100's check character no longer matches. */
const BAD_CODE = '91350100M000100Y44';
const COMPANY = '宿迁市立案示例食品有限公司';

let portal: RunningPortal;
let browser: Browser;

const consoleUrl = (path = '/console/'): string => `${portal.portalUrl}${path}`;
const shanghaiDate = (offsetDays = 0): string => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function withPage<T>(viewport: Viewport, fn: (page: Page, errors: string[], posts: string[]) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // Every POST /cases the page sends, with its Idempotency-Key.
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/cases') posts.push(r.headers()['idempotency-key'] ?? '');
  });
  try {
    return await fn(page, errors, posts);
  } catch (e) {
    await screenshot(page, 'new-case-failure').catch(() => undefined);
    throw e;
  } finally {
    await context.close();
  }
}

async function openNewCase(page: Page, checkList = false): Promise<void> {
  await page.goto(consoleUrl('/console/sign-in'));
  await expect.poll(() => heading(page).innerText()).toBe('登录执法工作台');
  await page.getByRole('button', { name: /^李文静/ }).click();
  await expect.poll(() => heading(page).innerText()).toBe('我的案件');
  const link = page.getByRole('link', { name: '立案', exact: true });
  await expect.poll(() => link.count()).toBe(1);
  if (checkList) await accessibleAndFits(page, 'my-cases-new-case-link');
  await link.click();
  await page.waitForURL(consoleUrl('/console/cases/new'));
  await expect.poll(() => heading(page).innerText()).toBe('立案');
}

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('立案', () => {
  it('an officer opens a case: a bad credit code refused as typed, the API refusals beside their fields, then the new case', async () => {
    await withPage(VIEWPORTS[0], async (page, errors, posts) => {
      await openNewCase(page, true);
      await page.getByLabel('单位名称').fill(COMPANY);
      const code = page.getByLabel('统一社会信用代码');
      await code.fill(BAD_CODE);
      // Refused while typing, before anything is sent.
      const codeField = page.locator('.field', { has: code });
      await expect.poll(() => codeField.locator('.field-error').innerText()).toContain('校验位不符');
      expect(await code.getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('案由').fill('涉嫌经营超过保质期的食品');
      await page.getByRole('button', { name: '立案', exact: true }).click();
      await expect.poll(() => page.locator('.error-note[role=alert]').innerText()).toContain('尚未提交');
      expect(posts).toEqual([]);
      await accessibleAndFits(page, 'new-case-bad-code');

      await code.fill(GOOD_CODE.toLowerCase());
      await expect.poll(() => codeField.innerText()).toContain('校验位正确');
      expect(await codeField.locator('.field-error').count()).toBe(0);

      // The power: searched by code, its type and category shown.
      await page.getByLabel('检索职权事项（编码或名称）').fill('CF-SP-002');
      const power = page.getByRole('radio', { name: /CF-SP-002/ });
      await expect.poll(() => power.count()).toBe(1);
      expect(await page.locator('.power-options').innerText()).toContain('行政处罚 · 执法类别：食品安全');
      await power.check();

      // Officers: only valid certificates covering 食品安全 (or 综合执法); the others with the reason.
      const officers = page.locator('fieldset.officers');
      await expect.poll(() => officers.getByRole('checkbox', { name: /李文静/ }).isChecked()).toBe(true);
      expect(await officers.getByRole('checkbox', { name: /刘梦婷/ }).count()).toBe(1);
      expect(await officers.getByRole('checkbox', { name: /孙浩然|徐振宇/ }).count()).toBe(0);
      await officers.locator('details summary').click();
      const notOffered = await officers.locator('details').innerText();
      expect(notOffered).toMatch(/孙浩然\s*执法证件已暂扣/);
      expect(notOffered).toMatch(/徐振宇\s*执法证件不含执法类别「食品安全」/);

      // A filing date in the future: the API's rule (422 FILING_DATE_IN_FUTURE), beside the date.
      const date = page.getByLabel('立案日期');
      // Today in Beijing by default (the run may cross midnight there).
      expect([shanghaiDate(-1), shanghaiDate()]).toContain(await date.inputValue());
      // A week ahead: the API tolerates a few minutes of clock skew, which near midnight is tomorrow.
      await date.fill(shanghaiDate(7));
      await page.getByRole('button', { name: '立案', exact: true }).click();
      const dateField = page.locator('.field', { has: date });
      await expect.poll(() => dateField.locator('.field-error').innerText()).toContain('晚于今天');
      await expect.poll(() => page.evaluate("document.activeElement?.matches('.error-note[role=alert]') === true")).toBe(true);
      expect(posts).toHaveLength(1);
      await accessibleAndFits(page, 'new-case-refused-date');

      // Today, but one officer for a penalty case: N6, beside the officer picker.
      await date.fill(shanghaiDate());
      expect(await dateField.locator('.field-error').count()).toBe(0);
      await page.getByRole('button', { name: '立案', exact: true }).click();
      await expect.poll(() => officers.locator('.field-error').innerText()).toContain('至少 2 名');
      expect(await page.locator('.error-note[role=alert]').innerText()).toContain('调查取证须有 2 名以上执法人员');
      // Nothing typed was lost, and a reload (or a new sign-in) keeps the draft too.
      expect(await code.inputValue()).toBe(GOOD_CODE.toLowerCase());
      await page.reload();
      await expect.poll(() => page.getByLabel('单位名称').inputValue()).toBe(COMPANY);
      expect(await page.getByLabel('案由').inputValue()).toBe('涉嫌经营超过保质期的食品');

      await page.getByLabel('检索职权事项（编码或名称）').fill('保质期');
      await expect.poll(() => page.getByRole('radio', { name: /CF-SP-002/ }).isChecked()).toBe(true);
      await page.locator('fieldset.officers').getByRole('checkbox', { name: /刘梦婷/ }).check();

      // The case is filed but its answer is lost on the way back: the page says so and keeps the draft.
      let lostId = '';
      // The API's address as the page knows it (localhost or 127.0.0.1): matched by path.
      const casesPost = (url: URL): boolean => url.pathname === '/cases';
      await page.route(casesPost, async (route) => {
        if (route.request().method() !== 'POST') return route.fallback();
        const answer = await route.fetch();
        lostId = ((await answer.json()) as { id: string }).id;
        await route.abort('failed');
      });
      await page.getByRole('button', { name: '立案', exact: true }).click();
      await expect.poll(() => page.locator('.error-note[role=alert]').innerText()).toContain('无法连接服务器');
      expect(lostId).toMatch(/^[0-9a-f-]{36}$/);
      await page.unroute(casesPost);
      // Sent again with the same key: the API answers with the case already filed, not a second one.
      await page.getByRole('button', { name: '立案', exact: true }).click();
      await page.waitForURL(consoleUrl(`/console/cases/${lostId}`));
      await expect.poll(() => heading(page).innerText()).toMatch(/^案件 SQ-CITY-\d{4}-\d{5}$/);
      await expect.poll(() => page.locator('main').innerText()).toContain(COMPANY);
      // One key for the whole draft: every attempt sent the same one.
      expect(posts).toHaveLength(4);
      expect(new Set(posts).size).toBe(1);
      expect(posts[0]).toMatch(/^[0-9a-f-]{36}$/);
      // The draft is gone once filed: 立案 opens empty again.
      await page.goto(consoleUrl('/console/cases/new'));
      await expect.poll(() => heading(page).innerText()).toBe('立案');
      expect(await page.getByLabel('单位名称').inputValue()).toBe('');
      expect(errors.filter((e) => !/status of 422|ERR_FAILED/.test(e))).toEqual([]);
    });
  });

  it('a person: the ID number checked as typed, at a tablet width', async () => {
    await withPage(VIEWPORTS[1], async (page, errors) => {
      await openNewCase(page);
      await page.getByRole('radio', { name: '自然人' }).check();
      await page.getByLabel('姓名').fill('张三');
      const id = page.getByLabel('身份证号码');
      await id.fill('110105194912310021');
      const idField = page.locator('.field', { has: id });
      await expect.poll(() => idField.locator('.field-error').innerText()).toContain('GB 11643 校验位不符');
      await accessibleAndFits(page, 'new-case-person-bad-id');
      await id.fill('11010519491231002x');
      await expect.poll(() => idField.innerText()).toContain('校验位正确');
      await page.getByLabel('案由').fill('涉嫌销售不合格产品');
      await accessibleAndFits(page, 'new-case-person');

      // The session ends (a token the API no longer accepts): to sign in and back, the draft kept.
      const key = 'three-systems.console.session';
      await page.evaluate(`sessionStorage.setItem(${JSON.stringify(key)}, sessionStorage.getItem(${JSON.stringify(key)}).slice(0, -4) + 'AAAA')`);
      await page.reload();
      await page.waitForURL(/\/console\/sign-in\?next=/);
      await expect.poll(() => heading(page).innerText()).toBe('登录执法工作台');
      await page.getByRole('button', { name: /^李文静/ }).click();
      await page.waitForURL(consoleUrl('/console/cases/new'));
      await expect.poll(() => page.getByLabel('姓名').inputValue()).toBe('张三');
      expect(await page.getByRole('radio', { name: '自然人' }).isChecked()).toBe(true);
      expect(await page.getByLabel('身份证号码').inputValue()).toBe('11010519491231002x');
      expect(await page.getByLabel('案由').inputValue()).toBe('涉嫌销售不合格产品');
      expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    });
  });
});
