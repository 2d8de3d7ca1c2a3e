/**
 * 执法记录设备 and 节假日安排 in a real browser (issue 16, point 5; R3, R4, D7, N4): `npm start` on a
 * temporary data dir, Debian's chromium, the legal division signed in from the sign-in page.
 * Devices: a bad serial refused beside the field; a device registered, its secret shown once and
 * working at the token endpoint, never in the browser's storage and gone after leaving the page; a
 * serial registered twice refused beside the field; new credentials through a confirmation (the old
 * ones refused), then the device revoked (its credentials refused). Calendar: a year without an
 * arrangement, a weekday entered as an adjusted working day refused beside its row, the year entered,
 * a 409 when someone else changed it meanwhile, reloaded with the form kept. axe: 0 serious/critical
 * at 1366×900 and 768×1024; screenshots in `.screenshots/console/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFlows } from '../../local/demo-flows.ts';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { VIEWPORTS, accessibleAndFits, heading, openPage, signInThrough } from './console-support.ts';

const AGENCY = 'sq-city';
const SERIAL = 'E2E-CAM-0001';
const YEAR = 2028;

let portal: RunningPortal;
let browser: Browser;
let admin: string;

const newPage = (viewport: (typeof VIEWPORTS)[number]) => openPage(browser, viewport, { allowApiRefusals: true });

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
  admin = await demoFlows(portal.apiUrl).token({ sub: 'admin:e2e', name: '法规处（测试）', groups: ['admin'], agencyId: AGENCY });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${portal.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${admin}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as T };
}

/** What the device does with its credentials: the client-credentials grant at the token endpoint. */
async function tokenStatus(creds: { id: string; secret: string }): Promise<number> {
  const res = await fetch(`${portal.apiUrl}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.id, client_secret: creds.secret }).toString() });
  return res.status;
}

async function shownCredentials(page: Page): Promise<{ id: string; secret: string }> {
  const text = await page.getByLabel('设备凭证').innerText();
  return { id: /DEVICE_CLIENT_ID=(\S+)/.exec(text)?.[1] ?? '', secret: /DEVICE_CLIENT_SECRET=(\S+)/.exec(text)?.[1] ?? '' };
}

const storage = (page: Page): Promise<string> => page.evaluate('JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })');

describe('执法记录设备', () => {
  it('registers a device whose secret is shown once, rotates its credentials and revokes it through confirmations', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/devices', '法规处管理员', '执法记录设备');
      await expect.poll(() => page.locator('article.device-card', { hasText: 'DEMO-CAM-0001' }).count(), { timeout: 30_000 }).toBe(1);
      await accessibleAndFits(page, 'devices');

      // A serial the API refuses: its message beside the field.
      const register = page.locator('section.device-register');
      await register.getByLabel('设备序列号').fill('x!');
      await register.getByLabel('型号').fill('DSJ-E2E 执法记录仪');
      await register.getByRole('button', { name: '登记并签发凭证' }).click();
      const serial = register.getByLabel('设备序列号');
      await expect.poll(() => serial.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator(`[id="${(await serial.getAttribute('aria-describedby'))?.split(' ').at(-1) ?? ''}"]`).innerText()).toContain('4–64 位');
      // What was typed stays.
      expect(await register.getByLabel('型号').inputValue()).toBe('DSJ-E2E 执法记录仪');
      await accessibleAndFits(page, 'devices-refusal');

      await serial.fill(SERIAL.toLowerCase());
      await register.getByRole('button', { name: '登记并签发凭证' }).click();
      const secretPanel = page.locator('section.device-secret');
      await expect.poll(() => secretPanel.count(), { timeout: 30_000 }).toBe(1);
      expect(await secretPanel.getByRole('heading').innerText()).toContain('仅显示这一次');
      const first = await shownCredentials(page);
      expect(first.secret.length).toBeGreaterThan(20);
      expect(await tokenStatus(first)).toBe(200);
      expect(await storage(page)).not.toContain(first.secret);
      await expect.poll(() => page.locator('article.device-card', { hasText: SERIAL }).count()).toBe(1);
      expect(await register.getByLabel('设备序列号').inputValue()).toBe('');
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.portalUrl });
      await secretPanel.getByRole('button', { name: '复制凭证' }).click();
      await expect.poll(() => secretPanel.getByRole('status').innerText()).toContain('已复制');
      expect(await page.evaluate('navigator.clipboard.readText()')).toContain(first.secret);
      await accessibleAndFits(page, 'devices-secret');

      // The same serial again: refused beside the field.
      await register.getByLabel('设备序列号').fill(SERIAL);
      await register.getByLabel('型号').fill('DSJ-E2E');
      await register.getByRole('button', { name: '登记并签发凭证' }).click();
      await expect.poll(() => register.locator('.field-error').innerText()).toContain('已登记');
      expect(await register.getByRole('alert').innerText()).toContain('请按各栏下方的提示更正后再提交');

      // Leaving the page leaves the secret behind.
      await page.locator('main .breadcrumb').getByRole('link', { name: '系统管理' }).click();
      await page.locator('main').getByRole('link', { name: '执法记录设备' }).first().click();
      await expect.poll(() => heading(page).innerText()).toBe('执法记录设备');
      await expect.poll(() => page.locator('article.device-card', { hasText: SERIAL }).count(), { timeout: 30_000 }).toBe(1);
      expect(await page.locator('section.device-secret').count()).toBe(0);
      expect(await page.locator('main').innerText()).not.toContain(first.secret);

      // New credentials, through the confirmation: the old ones stop working.
      const card = page.locator('article.device-card', { hasText: SERIAL });
      await card.getByRole('button', { name: '重新签发凭证' }).click();
      await card.getByLabel('重新签发的原因').fill('密钥疑似泄露');
      await card.getByRole('button', { name: '重新签发凭证' }).click();
      const confirmRotate = card.getByRole('group', { name: '确认重新签发' });
      await expect.poll(() => confirmRotate.innerText()).toContain('旧凭证立即作废');
      await accessibleAndFits(page, 'devices-rotate-confirm');
      await confirmRotate.getByRole('button', { name: '确认重新签发' }).click();
      await expect.poll(() => page.locator('section.device-secret').count(), { timeout: 30_000 }).toBe(1);
      const second = await shownCredentials(page);
      expect(second.secret).not.toBe(first.secret);
      expect(await tokenStatus(second)).toBe(200);
      expect(await tokenStatus(first)).toBe(401);
      expect(await storage(page)).not.toContain(second.secret);
      await page.getByRole('button', { name: '已配置到设备，关闭' }).click();
      expect(await page.locator('section.device-secret').count()).toBe(0);

      // Revoked, through the confirmation: its credentials are refused.
      await card.getByRole('button', { name: '停用' }).click();
      await card.getByLabel('停用原因').fill('设备遗失');
      await card.getByRole('button', { name: '停用' }).click();
      const confirmRevoke = card.getByRole('group', { name: '确认停用' });
      await expect.poll(() => confirmRevoke.innerText()).toContain('上传一律拒绝');
      await confirmRevoke.getByRole('button', { name: '确认停用' }).click();
      await expect.poll(() => card.locator('.badge').innerText(), { timeout: 30_000 }).toBe('已停用');
      expect(await card.innerText()).toContain('设备遗失');
      expect(await tokenStatus(second)).toBe(401);
      const listed = await api<{ items: { serial: string; status: string }[] }>('GET', `/devices?agencyId=${AGENCY}`);
      expect(listed.body.items.find((d) => d.serial === SERIAL)?.status).toBe('REVOKED');
      await accessibleAndFits(page, 'devices-revoked');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 180_000);

  it('fits a tablet', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[1]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/devices', '法规处管理员', '执法记录设备');
      await expect.poll(() => page.locator('article.device-card').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await accessibleAndFits(page, 'devices');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);
});

describe('节假日安排', () => {
  it('enters a year: a weekday as an adjusted working day refused beside its row, then saved; a 409 reloads with the form kept', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/calendar', '法规处管理员', '节假日安排');
      expect(await page.locator('main .lead').innerText()).toContain('暂定期限');
      await page.getByLabel('年份').selectOption(String(YEAR));
      await expect.poll(() => page.locator('section.calendar-year').innerText(), { timeout: 30_000 }).toContain(`尚无 ${YEAR} 年法定节假日安排`);
      await accessibleAndFits(page, 'calendar');

      await page.getByRole('button', { name: `录入 ${YEAR} 年安排` }).click();
      const form = page.locator('section.calendar-form');
      await form.getByLabel('通知名称').fill(`国务院办公厅关于${YEAR}年部分节假日安排的通知`);
      await form.getByLabel('文号').fill('国办发明电〔2027〕9号');
      const row1 = form.getByRole('group', { name: /^第 1 项/ });
      await row1.getByLabel('节日名称').fill('元旦');
      await row1.getByLabel('放假起始日').fill(`${YEAR}-01-01`);
      await row1.getByLabel('放假结束日（含）').fill(`${YEAR}-01-03`);
      // 2028-01-04 is a Tuesday: not a day that can be an adjusted working day.
      await row1.getByLabel('调休上班日').fill(`${YEAR}-01-04`);
      await form.getByRole('button', { name: '增加一项节日' }).click();
      const row2 = form.getByRole('group', { name: /^第 2 项/ });
      await row2.getByLabel('节日名称').fill('劳动节');
      await row2.getByLabel('放假起始日').fill(`${YEAR}-05-01`);
      await row2.getByLabel('放假结束日（含）').fill(`${YEAR}-05-05`);
      await row2.getByLabel('调休上班日').fill(`${YEAR}-04-30, ${YEAR}-05-06`);
      await form.getByRole('button', { name: '保存安排' }).click();
      await form.getByRole('group', { name: '确认保存节假日安排' }).getByRole('button', { name: '确认保存' }).click();
      const work1 = row1.getByLabel('调休上班日');
      await expect.poll(() => work1.getAttribute('aria-invalid'), { timeout: 30_000 }).toBe('true');
      expect(await row1.locator('.field-error').innerText()).toContain(`${YEAR}-01-04`);
      expect(await row2.locator('.field-error').count()).toBe(0);
      expect(await row2.getByLabel('节日名称').inputValue()).toBe('劳动节');
      await accessibleAndFits(page, 'calendar-refusal');

      await work1.fill('');
      await form.getByRole('button', { name: '保存安排' }).click();
      await form.getByRole('group', { name: '确认保存节假日安排' }).getByRole('button', { name: '确认保存' }).click();
      await expect.poll(() => page.locator('main .success').innerText(), { timeout: 30_000 }).toContain('已保存为第 1 版');
      expect(await page.locator('main .success').innerText()).toContain('暂定期限');
      expect(await page.locator('table.calendar-table').innerText()).toContain('劳动节');
      const entered = await api<{ version: number; source: string; festivals: { name: string }[] }>('GET', `/calendar/${YEAR}`);
      expect(entered.body).toMatchObject({ version: 1, source: 'ENTERED' });
      expect(entered.body.festivals.map((f) => f.name)).toEqual(['元旦', '劳动节']);
      await accessibleAndFits(page, 'calendar-entered');

      // Someone else enters version 2 while the form is open on version 1.
      await page.getByRole('button', { name: `修改 ${YEAR} 年安排` }).click();
      const reason = form.getByLabel('修改原因（必填）');
      await form.getByRole('group', { name: /^第 1 项/ }).getByLabel('放假结束日（含）').fill(`${YEAR}-01-01`);
      await reason.fill('元旦放假一天');
      const other = await api('PUT', `/calendar/${YEAR}`, { version: 1, reason: '他人更正文号', notice: { title: `国务院办公厅关于${YEAR}年部分节假日安排的通知`, documentNo: '国办发明电〔2027〕10号' }, festivals: entered.body.festivals });
      expect(other.status).toBe(201);
      await form.getByRole('button', { name: '保存安排' }).click();
      await form.getByRole('group', { name: '确认保存节假日安排' }).getByRole('button', { name: '确认保存' }).click();
      const reload = form.getByRole('button', { name: '重新加载该年安排' });
      await expect.poll(() => reload.count(), { timeout: 30_000 }).toBe(1);
      expect(await reason.inputValue()).toBe('元旦放假一天');
      await accessibleAndFits(page, 'calendar-conflict');
      await reload.click();
      await expect.poll(() => page.locator('section.calendar-year').innerText()).toContain('第 2 版');
      // What the other entry changed, so that it is not overwritten unseen.
      expect(await form.locator('.changes').innerText()).toContain('国办发明电〔2027〕10号');
      expect(await reason.inputValue()).toBe('元旦放假一天');
      await form.getByRole('button', { name: '保存安排' }).click();
      await form.getByRole('group', { name: '确认保存节假日安排' }).getByRole('button', { name: '确认保存' }).click();
      await expect.poll(() => page.locator('main .success').innerText(), { timeout: 30_000 }).toContain('已保存为第 3 版');
      const third = await api<{ version: number; festivals: { off: string[] }[]; reason: string }>('GET', `/calendar/${YEAR}`);
      expect(third.body).toMatchObject({ version: 3, reason: '元旦放假一天' });
      expect(third.body.festivals[0]?.off).toEqual([`${YEAR}-01-01`, `${YEAR}-01-01`]);
      expect(await page.locator('section.calendar-history').innerText()).toContain('他人更正文号');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 180_000);

  it('fits a tablet, with the form open', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[1]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/calendar', '法规处管理员', '节假日安排');
      await expect.poll(() => page.locator('table.calendar-table').count(), { timeout: 30_000 }).toBe(1);
      await accessibleAndFits(page, 'calendar');
      await page.getByRole('button', { name: /^修改 \d{4} 年安排$/ }).click();
      await accessibleAndFits(page, 'calendar-form');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);
});
