/**
 * 执法人员 in a real browser (issue 16, points 5 and 8; D4, D5, S1, S2): `npm start` on a temporary data
 * dir, Debian's chromium, the demo registry as seeded (local/seed-data.ts: an expired, a suspended and a
 * revoked certificate among them). The legal division signs in from the sign-in page, reads the list
 * with each certificate's state, narrows it to one agency, opens an officer, is refused beside the
 * reason when suspending without one, suspends through the confirmation (the API then says SUSPENDED
 * with the reason on record), meets a 409 when registering training on a stale page, reloads, is told
 * what changed with the form kept, and registers it. An officer who opens the page reads it without
 * the forms or personal data. axe: 0 serious/critical at 1366×900 and 768×1024; screenshots in
 * `.screenshots/console/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFlows } from '../../local/demo-flows.ts';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { VIEWPORTS, accessibleAndFits, heading, openPage, signInThrough } from './console-support.ts';

interface OfficerState {
  id: string;
  name: string;
  agencyId: string;
  certificateStatus: string;
  version: number;
  certificateHistory: { to: string; reason: string }[];
  training: { course: string; hours: number }[];
}

let portal: RunningPortal;
let browser: Browser;
let admin: string;
let officers: OfficerState[];

const newPage = (viewport: (typeof VIEWPORTS)[number]) => openPage(browser, viewport, { allowApiRefusals: true });
const flows = () => demoFlows(portal.apiUrl);
const officerNamed = (name: string): OfficerState => {
  const o = officers.find((x) => x.name === name);
  if (!o) throw new Error(`no demo officer ${name}`);
  return o;
};
const current = (id: string) => flows().expectStatus<OfficerState>(200, `/officers/${id}`, admin);
const row = (page: Page, name: string) => page.locator('table.officer-table tbody tr', { hasText: name });

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
  admin = await flows().token({ sub: 'admin:e2e', name: '法规处（测试）', groups: ['admin'], agencyId: 'sq-city' });
  officers = (await flows().expectStatus<{ items: OfficerState[] }>(200, '/officers?limit=100', admin)).items;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('the legal division', () => {
  it('reads each certificate’s state in the list, narrows it to one agency, and opens an officer', async () => {
    for (const viewport of VIEWPORTS) {
      const { page, errors, close } = await newPage(viewport);
      try {
        await signInThrough(page, portal.portalUrl, '/console/admin/officers', '法规处管理员', '执法人员');
        await expect.poll(() => row(page, '蒋思远').count(), { timeout: 30_000 }).toBe(1);
        expect(await row(page, '蒋思远').innerText()).toContain('已过期');
        expect(await row(page, '孙浩然').innerText()).toContain('暂扣');
        expect(await row(page, '赵国栋').innerText()).toContain('吊销');
        expect(await row(page, '周立新').innerText()).toMatch(/32130001001[\s\S]*有效[\s\S]*2028-12-31[\s\S]*学时/);
        await accessibleAndFits(page, 'officers');

        await page.getByLabel('执法主体', { exact: true }).selectOption('sq-shuyang');
        const shuyang = officers.filter((o) => o.agencyId === 'sq-shuyang');
        expect(shuyang.length).toBeGreaterThan(0);
        await expect.poll(() => page.locator('table.officer-table tbody tr').count()).toBe(shuyang.length);
        expect(await row(page, '周立新').count()).toBe(0);

        await page.getByLabel('执法主体', { exact: true }).selectOption('');
        await page.getByRole('search').getByLabel('姓名').fill('刘梦婷');
        await page.getByRole('button', { name: '查找' }).click();
        await expect.poll(() => page.locator('table.officer-table tbody tr').count()).toBe(1);
        await row(page, '刘梦婷').getByRole('link', { name: '刘梦婷' }).click();
        await expect.poll(() => heading(page).innerText()).toBe('执法人员 刘梦婷');
        expect(await page.locator('main').innerText()).toContain('32130001006');
        // The QR for the portal's check: a real image, drawn from the API's SVG.
        const qr = page.getByRole('img', { name: /核验二维码/ });
        await expect.poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
        await accessibleAndFits(page, 'officer');
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }
  });

  it('registers a new officer: a bad certificate number is refused beside its field, then the officer’s page opens', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/officers', '法规处管理员', '执法人员');
      await page.getByRole('button', { name: '登记执法人员' }).click();
      const form = page.locator('section.officer-edit');
      await form.getByLabel('姓名').fill('测试新员');
      await form.getByLabel('所属执法主体').selectOption('sq-shuyang');
      await form.getByLabel('执法证件编号').fill('12-34');
      await form.getByLabel('证件有效期至').fill('2030-06-30');
      await form.getByLabel('执法类别').fill('食品安全、综合执法');
      await form.getByLabel('执法区域').fill('沭阳县');
      await form.getByRole('button', { name: '登记', exact: true }).click();
      const certificateNo = form.getByLabel('执法证件编号');
      await expect.poll(() => certificateNo.getAttribute('aria-invalid')).toBe('true');
      expect(await form.locator('.field-error').innerText()).toContain('执法证件编号');
      await accessibleAndFits(page, 'officer-new-refusal');
      await certificateNo.fill('32132209901');
      await form.getByRole('button', { name: '登记', exact: true }).click();
      await expect.poll(() => heading(page).innerText(), { timeout: 30_000 }).toBe('执法人员 测试新员');
      const listed = await flows().expectStatus<{ items: OfficerState[] }>(200, `/officers?agencyId=sq-shuyang&name=${encodeURIComponent('测试新员')}`, admin);
      expect(listed.items).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('is refused beside the reason without one, then suspends the certificate through the confirmation', async () => {
    const o = officerNamed('刘梦婷');
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await signInThrough(page, portal.portalUrl, `/console/admin/officers/${o.id}`, '法规处管理员', '执法人员 刘梦婷');
      await page.getByLabel('变更为').selectOption('SUSPENDED');
      await page.getByRole('button', { name: '变更状态' }).click();
      const confirm = page.getByRole('group', { name: '确认变更证件状态' });
      await expect.poll(() => confirm.innerText()).toContain('由“有效”变更为“暂扣”');
      await confirm.getByRole('button', { name: '确认变更' }).click();
      const reason = page.getByLabel('变更原因（必填）');
      await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
      const errorId = await reason.getAttribute('aria-describedby');
      expect(errorId).toMatch(/-error$/);
      expect((await page.locator(`[id="${errorId ?? ''}"]`).innerText()).length).toBeGreaterThan(0);
      expect((await current(o.id)).certificateStatus).toBe('VALID');
      await accessibleAndFits(page, 'officer-refusal');

      await reason.fill('涉嫌违反执法纪律，调查期间暂扣执法证件。');
      await page.getByRole('button', { name: '变更状态' }).click();
      await accessibleAndFits(page, 'officer-confirm');
      await page.getByRole('group', { name: '确认变更证件状态' }).getByRole('button', { name: '确认变更' }).click();
      await expect.poll(() => page.locator('.success').innerText(), { timeout: 30_000 }).toContain('暂扣');
      expect(await page.locator('.officer-history').innerText()).toContain('涉嫌违反执法纪律');
      const after = await current(o.id);
      expect(after.certificateStatus).toBe('SUSPENDED');
      expect(after.certificateHistory.at(-1)).toMatchObject({ to: 'SUSPENDED', reason: '涉嫌违反执法纪律，调查期间暂扣执法证件。' });

      // Editing the basic fields: only what changed is sent.
      await page.getByRole('button', { name: '修改基本信息' }).click();
      await page.getByLabel('执法类别').fill('食品安全、特种设备');
      await accessibleAndFits(page, 'officer-edit');
      await page.getByRole('button', { name: '保存修改' }).click();
      await expect.poll(() => page.locator('.success').innerText(), { timeout: 30_000 }).toContain('基本信息已保存');
      expect(await page.locator('main').innerText()).toContain('食品安全、特种设备');
      const edited = await flows().expectStatus<OfficerState & { categories: string[] }>(200, `/officers/${o.id}`, admin);
      expect(edited.categories).toEqual(['食品安全', '特种设备']);
      expect(edited.certificateStatus).toBe('SUSPENDED');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('registers training on a stale page: the 409 reloads, says what changed, keeps the form, then it is sent (tablet)', async () => {
    const o = officerNamed('李文静');
    const { page, errors, close } = await newPage(VIEWPORTS[1]);
    try {
      await signInThrough(page, portal.portalUrl, `/console/admin/officers/${o.id}`, '法规处管理员', '执法人员 李文静');
      // Bad input first: hours not in half-hour steps, refused beside 学时.
      await page.getByLabel('培训课程').fill('行政执法证据规则专题培训');
      await page.getByLabel('学时').fill('0.3');
      await page.getByRole('button', { name: '登记培训' }).click();
      await expect.poll(() => page.getByLabel('学时').getAttribute('aria-invalid')).toBe('true');

      // Someone else registers training meanwhile.
      const now = await current(o.id);
      await flows().expectStatus(201, `/officers/${o.id}/training`, admin, { json: { version: now.version, year: 2026, hours: 2, course: '执法记录仪使用培训', completedOn: '2026-11-02' } });
      await page.getByLabel('学时').fill('6');
      await page.getByRole('button', { name: '登记培训' }).click();
      await page.getByRole('button', { name: '重新加载此执法人员' }).click();
      await expect.poll(() => page.locator('.changes').innerText()).toContain('新增培训记录：执法记录仪使用培训');
      expect(await page.getByLabel('培训课程').inputValue()).toBe('行政执法证据规则专题培训');
      expect(await page.getByLabel('学时').inputValue()).toBe('6');
      await accessibleAndFits(page, 'officer-conflict');
      await page.getByRole('button', { name: '登记培训' }).click();
      await expect.poll(() => page.locator('.success').innerText(), { timeout: 30_000 }).toContain('已登记培训：行政执法证据规则专题培训（6 学时）');
      expect(await page.locator('table.officer-training').innerText()).toContain('行政执法证据规则专题培训');
      expect(await page.getByLabel('培训课程').inputValue()).toBe('');
      const after = await current(o.id);
      expect(after.training.map((t) => t.course)).toEqual(expect.arrayContaining(['执法记录仪使用培训', '行政执法证据规则专题培训']));
      await accessibleAndFits(page, 'officer-trained');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('an officer', () => {
  it('reads an officer’s page without the forms or personal data', async () => {
    const o = officerNamed('周立新');
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await signInThrough(page, portal.portalUrl, `/console/admin/officers/${o.id}`, '李文静', '执法人员 周立新');
      const main = await page.locator('main').innerText();
      expect(main).toContain('证件状态由法规处变更');
      expect(main).not.toContain('身份证号码');
      expect(main).not.toContain('联系电话');
      expect(await page.getByRole('button', { name: '变更状态' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: '登记培训' }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
