/**
 * 公示管理 in a real browser (issue 16, points 5 and 8; D7–D11): `npm start` on a temporary data dir,
 * Debian's chromium. Set up through the API as each role would (local/demo-flows.ts): the demo's 告知
 * case is served and waived, reviewed, approved by the leader and issued — a decision waiting for
 * publication. Then the legal division signs in from the sign-in page, is refused beside the field when
 * it tries to exempt the decision without an approver, publishes it through the confirmation, and the
 * decision appears on the public portal (its page and its search). axe: 0 serious/critical at
 * 1366×900 and 768×1024; screenshots in `.screenshots/console/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTICE_PARTY, demoFlows } from '../../local/demo-flows.ts';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { VIEWPORTS, accessibleAndFits, signInThrough, openPage } from './console-support.ts';

const AGENCY = 'sq-city';

let portal: RunningPortal;
let browser: Browser;
let admin: string;
let issued: { caseId: string; caseNo: string; publicId: string; version: number };

// The API's refusals (the 409s below) are answers the page shows, not script errors.
const newPage = (viewport: (typeof VIEWPORTS)[number]) => openPage(browser, viewport, { allowApiRefusals: true });

const signInAsLegalDivision = (page: Page): Promise<void> => signInThrough(page, portal.portalUrl, '/console/publication', '法规处管理员', '公示管理');

const card = (page: Page) => page.locator('article.publication-card', { hasText: issued.caseNo });

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
  const flows = demoFlows(portal.apiUrl);
  admin = await flows.token({ sub: 'admin:e2e', name: '法规处（测试）', groups: ['admin'], agencyId: AGENCY });
  issued = await flows.issuedDecision(AGENCY, admin);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('the legal division', () => {
  it('is refused beside the approver when exempting without one, publishes through the confirmation, and the decision appears on the portal', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await signInAsLegalDivision(page);
      expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '公示管理' }).count()).toBe(1);
      const waiting = page.locator('section.publication-group', { has: page.getByRole('heading', { level: 2, name: /^待公示/ }) });
      await expect.poll(() => waiting.locator('article.publication-card', { hasText: issued.caseNo }).count(), { timeout: 30_000 }).toBe(1);
      expect(await card(page).innerText()).toContain(NOTICE_PARTY);
      expect(await card(page).innerText()).toMatch(/应于 \d{4}-\d{2}-\d{2} 前公示/);
      await accessibleAndFits(page, 'publication');

      // 不予公开 without an approver: the API's refusal beside the field, after the confirmation.
      await card(page).getByRole('button', { name: '不予公开' }).click();
      await card(page).getByLabel('不予公开的理由').selectOption('WORK_SECRET');
      await card(page).getByRole('button', { name: '提交不予公开' }).click();
      const confirmExempt = card(page).getByRole('group', { name: '确认不予公开' });
      await expect.poll(() => confirmExempt.innerText()).toContain('涉及工作秘密');
      await card(page).getByRole('button', { name: '确认不予公开' }).click();
      const approver = card(page).getByLabel('批准人（负责人姓名）');
      await expect.poll(() => approver.getAttribute('aria-invalid')).toBe('true');
      // The message is the field's own, named by its aria-describedby.
      const errorId = await approver.getAttribute('aria-describedby');
      expect(errorId).toMatch(/-error$/);
      expect((await page.locator(`[id="${errorId ?? ''}"]`).innerText()).length).toBeGreaterThan(0);
      await accessibleAndFits(page, 'publication-refusal');
      await card(page).getByRole('button', { name: '取消' }).click();

      // 公示, through the confirmation.
      await card(page).getByRole('button', { name: '公示', exact: true }).click();
      const confirm = card(page).getByRole('group', { name: '确认公示' });
      await expect.poll(() => confirm.innerText()).toContain('个人信息按规定隐去');
      await accessibleAndFits(page, 'publication-confirm');
      await confirm.getByRole('button', { name: '确认公示' }).click();
      await expect.poll(() => card(page).locator('.success').innerText(), { timeout: 30_000 }).toContain('已公示');
      expect(await card(page).innerText()).toContain('已公示');
      await accessibleAndFits(page, 'publication-published');

      // The public portal: the decision's page, reached from the console's link, and the search.
      await card(page).getByRole('link', { name: '在门户网站查看公示内容' }).click();
      await page.waitForURL(`${portal.portalUrl}/decisions/${issued.publicId}`);
      await expect.poll(() => page.locator('h1').innerText()).toBe('行政处罚信息摘要');
      expect(await page.locator('main').innerText()).toContain(NOTICE_PARTY);
      await page.goto(`${portal.portalUrl}/decisions?party=${encodeURIComponent(NOTICE_PARTY)}`);
      expect(await page.locator(`a[href="/decisions/${issued.publicId}"]`).count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('finds the published decision under 已公示; the withdrawal’s confirmation says it leaves public view; a stale correction is told what changed and then sent (tablet)', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[1]);
    try {
      await signInAsLegalDivision(page);
      const published = page.locator('section.publication-group', { has: page.getByRole('heading', { level: 2, name: /^已公示/ }) });
      await expect.poll(() => published.locator('article.publication-card', { hasText: issued.caseNo }).count(), { timeout: 30_000 }).toBe(1);
      const c = published.locator('article.publication-card', { hasText: issued.caseNo });
      expect(await c.getByRole('button', { name: '更正' }).count()).toBe(1);
      await accessibleAndFits(page, 'publication');
      await c.getByRole('button', { name: '撤下公示' }).click();
      await c.getByLabel('撤下的理由').selectOption('REVOKED');
      await c.getByLabel('说明（必填）').fill('行政复议决定撤销原处罚决定。');
      await c.getByRole('button', { name: '提交撤下' }).click();
      await expect.poll(() => c.getByRole('group', { name: '确认撤下公示' }).innerText()).toContain('离开公众视野');
      await accessibleAndFits(page, 'publication-withdraw-confirm');
      // Not sent: the draft stays for the user.
      await c.getByRole('button', { name: '返回修改' }).click();
      expect(await c.getByLabel('说明（必填）').inputValue()).toBe('行政复议决定撤销原处罚决定。');
      await c.getByRole('button', { name: '取消' }).click();

      // Someone else corrects the record meanwhile: this page's correction meets the 409, reloads, is told what changed, keeps what was typed.
      const flows = demoFlows(portal.apiUrl);
      const now = await flows.expectStatus<{ version: number }>(200, `/cases/${issued.caseId}/decision`, admin);
      await flows.expectStatus(200, `/cases/${issued.caseId}/decision/correct`, admin, { json: { version: now.version, reason: '更正违法行为类型的表述。', violationType: '经营超过保质期的食品' } });
      await c.getByRole('button', { name: '更正' }).click();
      await c.getByLabel('处理结果（更正为）').fill('罚款人民币伍万元整');
      await c.getByLabel('更正原因（必填）').fill('处理结果金额大写更正。');
      await c.getByRole('button', { name: '提交更正' }).click();
      await c.getByRole('button', { name: '确认更正' }).click();
      await c.getByRole('button', { name: '重新加载此决定' }).click();
      await expect.poll(() => c.locator('.changes').innerText()).toContain('更正（第 2 版）：更正违法行为类型的表述。');
      expect(await c.getByLabel('处理结果（更正为）').inputValue()).toBe('罚款人民币伍万元整');
      await accessibleAndFits(page, 'publication-conflict');
      await c.getByRole('button', { name: '提交更正' }).click();
      await c.getByRole('button', { name: '确认更正' }).click();
      await expect.poll(() => c.locator('.success').innerText(), { timeout: 30_000 }).toContain('第 3 版');
      const record = await flows.expectStatus<{ conclusion: string; publicVersion: number }>(200, `/public/decisions/${issued.publicId}`, admin);
      expect(record).toMatchObject({ conclusion: '罚款人民币伍万元整', publicVersion: 3 });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
