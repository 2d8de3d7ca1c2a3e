/**
 * The legal division's records in a real browser (issue 16, points 5 and 8; D13, N13, R7, I2): `npm start`
 * on a temporary data dir, Debian's chromium.
 *
 * 统计年报: last year's report (the demo bureau's previous year) is drafted, delivered, meets a 409 when
 * someone else published it meanwhile (reload, told what changed), is refused a correction reason the
 * API finds too short (beside the field, the text kept), corrected, delivered and published again — each
 * step through its confirmation and checked through the API — and the corrected version is on the portal.
 * 审计记录: an empty record number is refused beside its field; the report's trail reads in words and
 * Beijing time; the chains verify as the API says; a signed checkpoint made now is public.
 * axe: 0 serious/critical at 1366×900 and 768×1024; screenshots in `.screenshots/console/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFlows, type DemoFlows } from '../../local/demo-flows.ts';
import { defaultYear } from '../../console/src/lib/reports.ts';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { VIEWPORTS, accessibleAndFits, heading, openPage, signInThrough } from './console-support.ts';

let portal: RunningPortal;
let browser: Browser;
let flows: DemoFlows;
let admin: string;
/** Last year in Beijing: the one the page opens on, ended, so reportable. */
const year = defaultYear(new Date());

interface StagesView {
  readonly current: { readonly version: number; readonly stage: string; readonly correction?: { readonly reason: string } } | null;
  readonly published: { readonly version: number; readonly history: readonly { version: number }[] } | null;
}

// The API's refusals (the 400 and 409 below) are answers the page shows, not script errors.
const newPage = (viewport: (typeof VIEWPORTS)[number]) => openPage(browser, viewport, { allowApiRefusals: true });
const stage = (page: Page) => page.locator('section.report-stage');
const reportView = () => flows.expectStatus<StagesView>(200, `/reports/annual/${year}`, admin);

/** A step's button, then its confirmation (titled and labelled `确认…`, checked for `says`), then the confirming button. */
async function step(page: Page, button: string, confirmLabel: string, says: string): Promise<void> {
  await stage(page).getByRole('button', { name: button, exact: true }).click();
  const confirm = stage(page).getByRole('group', { name: /^确认/ });
  await expect.poll(() => confirm.innerText()).toContain(says);
  await confirm.getByRole('button', { name: confirmLabel, exact: true }).click();
}

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
  flows = demoFlows(portal.apiUrl);
  admin = await flows.token({ sub: 'admin:e2e', name: '法规处（测试）', groups: ['admin'], agencyId: 'sq-city' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('统计年报', () => {
  it('drafts, delivers, meets a publication made meanwhile, is refused a short correction reason beside the field, corrects and publishes the new version to the portal', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/reports', '法规处管理员', '统计年报');
      expect(await page.getByLabel('年度', { exact: true }).inputValue()).toBe(String(year));
      await expect.poll(() => stage(page).innerText(), { timeout: 30_000 }).toContain(`尚未生成 ${year} 年度统计年报`);
      await accessibleAndFits(page, 'reports-none');

      // 生成草稿 → 草稿, with the figures and the files.
      await step(page, '生成草稿', '确认生成', '生成统计年报草稿');
      await expect.poll(() => page.locator('.report-done').innerText(), { timeout: 30_000 }).toContain('已生成');
      expect((await reportView()).current).toMatchObject({ version: 1, stage: 'DRAFT' });
      expect(await page.locator('.report-steps [aria-current="step"]').innerText()).toContain('草稿');
      const figures = page.locator('section.report-figures');
      expect(await figures.getByRole('columnheader').allInnerTexts()).toEqual(expect.arrayContaining(['项目', '合计', '宿迁市市场监督管理局']));
      expect(await figures.getByRole('row', { name: /持证率/ }).innerText()).toMatch(/\d+\.\d/);
      await figures.getByRole('button', { name: /显示全部统计数字/ }).click();
      expect(await figures.getByRole('row', { name: /其中：警告（件）/ }).count()).toBe(1);
      const pdf = await stage(page).getByRole('link', { name: '下载 PDF' }).getAttribute('href');
      const file = await fetch(pdf ?? '');
      expect([file.status, file.headers.get('content-type')]).toEqual([200, 'application/pdf']);
      await accessibleAndFits(page, 'reports-draft');

      // 报送 → 已报送.
      await step(page, '报送', '确认报送', '司法行政部门和上级主管部门');
      await expect.poll(() => page.locator('.report-steps [aria-current="step"]').innerText(), { timeout: 30_000 }).toContain('已报送');
      expect((await reportView()).current?.stage).toBe('DELIVERED');

      // Someone else publishes meanwhile: this page's 公开 meets the 409, reloads, is told what changed.
      await flows.expectStatus(200, `/reports/annual/${year}`, admin, { json: { action: 'publish' } });
      await stage(page).getByRole('button', { name: '公开', exact: true }).click();
      const confirmPublish = stage(page).getByRole('group', { name: '确认公开' });
      await expect.poll(() => confirmPublish.innerText()).toContain('门户网站向社会公开');
      await accessibleAndFits(page, 'reports-publish-confirm');
      await confirmPublish.getByRole('button', { name: '确认公开' }).click();
      await expect.poll(() => stage(page).getByRole('alert').innerText()).toContain('已公开');
      await stage(page).getByRole('button', { name: '重新加载统计年报' }).click();
      await expect.poll(() => page.locator('.report-done').innerText()).toBe('统计年报已被他人办理：第 1 版 已报送 → 第 1 版 已公开。');

      // A correction: empty → the form's own message; too short → the API's, beside the field, text kept.
      const reason = stage(page).getByLabel('更正原因（必填）');
      await stage(page).getByRole('button', { name: '生成更正版本' }).click();
      await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
      await reason.fill('有误');
      await stage(page).getByRole('button', { name: '生成更正版本' }).click();
      await stage(page).getByRole('button', { name: '确认生成更正版本' }).click();
      await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
      const errorId = (await reason.getAttribute('aria-describedby'))?.split(' ').find((i) => i.endsWith('-error'));
      expect(await page.locator(`[id="${errorId ?? ''}"]`).innerText()).toContain('4');
      expect(await reason.inputValue()).toBe('有误');
      await accessibleAndFits(page, 'reports-correction-refused');
      expect((await reportView()).current).toMatchObject({ version: 1, stage: 'PUBLISHED' });

      await reason.fill('沭阳县局行政检查次数漏报，补录后重新统计。');
      await stage(page).getByRole('button', { name: '生成更正版本' }).click();
      await stage(page).getByRole('button', { name: '确认生成更正版本' }).click();
      await expect.poll(() => page.locator('.report-done').innerText(), { timeout: 30_000 }).toContain('已生成更正版本（第 2 版）');
      expect((await reportView()).current).toMatchObject({ version: 2, stage: 'DRAFT', correction: { reason: '沭阳县局行政检查次数漏报，补录后重新统计。' } });
      expect(await page.locator('section.report-history').innerText()).toContain('门户网站上公开的是第 1 版');

      await step(page, '报送', '确认报送', '报送');
      await expect.poll(() => page.locator('.report-steps [aria-current="step"]').innerText(), { timeout: 30_000 }).toContain('已报送');
      await step(page, '公开', '确认公开', '不能撤回');
      await expect.poll(() => page.locator('.report-done').innerText(), { timeout: 30_000 }).toContain('门户网站已可查看');
      const published = await reportView();
      expect(published.published).toMatchObject({ version: 2 });
      expect(published.published?.history.map((h) => h.version)).toEqual([1, 2]);
      const history = page.locator('section.report-history');
      expect(await history.innerText()).toContain('更正第 1 版：沭阳县局行政检查次数漏报');
      await accessibleAndFits(page, 'reports-published');

      // The portal, from the console's link.
      await history.getByRole('link', { name: '在门户网站查看' }).click();
      await page.waitForURL(`${portal.portalUrl}/reports/${year}`);
      await expect.poll(() => page.locator('h1').innerText()).toContain(`${year} 年度行政执法统计年报`);
      expect(await page.locator('main').innerText()).toContain('本年报已更正（第 2 版，替代第 1 版）');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('reads the published report and its history on a tablet', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[1]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/reports', '法规处管理员', '统计年报');
      await expect.poll(() => stage(page).innerText(), { timeout: 30_000 }).toContain('第 2 版 · 已公开');
      expect(await stage(page).getByLabel('更正原因（必填）').count()).toBe(1);
      await accessibleAndFits(page, 'reports-published');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('审计记录', () => {
  it('refuses an empty record number beside the field, reads the report’s trail in words, verifies the chains and makes a public signed checkpoint', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/audit', '法规处管理员', '审计记录');
      const trail = page.locator('section.audit-trail');
      await trail.getByLabel('对象类型').selectOption('AnnualReport');
      const entity = trail.getByLabel('对象编号');
      await entity.fill('   ');
      await trail.getByRole('button', { name: '查询' }).click();
      await expect.poll(() => entity.getAttribute('aria-invalid')).toBe('true');
      const errorId = (await entity.getAttribute('aria-describedby'))?.split(' ').find((i) => i.endsWith('-error'));
      expect(await page.locator(`[id="${errorId ?? ''}"]`).innerText()).toContain('至少 1 个字符');
      await accessibleAndFits(page, 'audit-refused');

      await entity.fill(String(year));
      await trail.getByRole('button', { name: '查询' }).click();
      const table = trail.locator('table.audit-events');
      await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(6);
      const rows = await table.locator('tbody tr').allInnerTexts();
      expect(rows[0]).toContain('生成统计年报草稿');
      expect(rows.filter((r) => r.includes('公开统计年报'))).toHaveLength(2);
      expect(rows.join('\n')).toContain('生成统计年报更正版本');
      expect(rows.join('\n')).toContain('原因：沭阳县局行政检查次数漏报');
      // Beijing time, to the second; the actor as signed in.
      expect(rows[0]).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
      expect(rows.join('\n')).toContain('法规处管理员');
      expect(rows.join('\n')).toContain('法规处（测试）');

      const verify = page.locator('section.audit-verify');
      await verify.getByRole('button', { name: '校验审计链' }).click();
      const api = await flows.expectStatus<{ ok: boolean; chains: unknown[] }>(200, '/audit/verify', admin);
      expect(api.ok).toBe(true);
      await expect.poll(() => verify.locator('.audit-ok').first().innerText(), { timeout: 30_000 }).toMatch(new RegExp(`^${api.chains.length} 条审计链全部完整`));
      expect(await verify.locator('table.audit-chains tbody tr').count()).toBe(api.chains.length);
      // No checkpoint yet on a fresh bureau (the hourly job has not run): the newest events wait for one.
      await expect.poll(() => verify.locator('table.audit-chains').innerText()).toContain('最新事件尚未签名');

      await verify.getByRole('button', { name: '立即生成签名检查点' }).click();
      const confirm = verify.getByRole('group', { name: '确认生成签名检查点' });
      await expect.poll(() => confirm.innerText()).toContain('不能删除或修改');
      await accessibleAndFits(page, 'audit-checkpoint-confirm');
      await confirm.getByRole('button', { name: '确认生成' }).click();
      await expect.poll(() => verify.innerText(), { timeout: 60_000 }).toContain('npm run verify-log');
      expect(await verify.innerText()).toMatch(/已为 \d+ 条审计链生成新的签名检查点/);
      // The checkpoint is public: the chain of the report's events has one covering them.
      const chainOfReport = (await table.locator('tbody tr').first().locator('details summary').innerText()).match(/审计链 (s\d\d)/)?.[1];
      const checkpoints = await flows.expectStatus<{ items: { treeSize: number }[] }>(200, `/public/audit/checkpoints?chain=${chainOfReport ?? ''}`, admin);
      expect(checkpoints.items.length).toBeGreaterThan(0);
      // Verified again: every chain's events are now covered by a signed checkpoint.
      await verify.getByRole('button', { name: '重新校验审计链' }).click();
      await expect.poll(() => verify.locator('table.audit-chains td[data-label="签名检查点"]').allInnerTexts(), { timeout: 30_000 }).toSatisfy((cells: string[]) => cells.length === api.chains.length && cells.every((t) => t.startsWith('已签名')));
      await accessibleAndFits(page, 'audit');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('lists the newest operations of the whole trail, newest first, each leading to its record’s trail', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/audit', '法规处管理员', '审计记录');
      const recent = page.locator('section.audit-recent');
      const rows = recent.locator('table.audit-events tbody tr');
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(20);
      const newest = await flows.expectStatus<{ items: { action: string; entityType: string; entityId: string; at: string }[] }>(200, '/audit/recent?limit=20', admin);
      expect(await rows.first().innerText()).toContain(newest.items[0]?.entityId ?? '?');
      const times = (await recent.locator('td[data-label="时间（北京时间）"]').allInnerTexts()).map((t) => t.trim());
      expect(times).toEqual([...times].sort().reverse());
      // The report's publication is among the newest: its row opens the report's whole trail below.
      const reportRow = rows.filter({ hasText: '公开统计年报' }).first();
      await reportRow.getByRole('button', { name: /该对象的全部记录/ }).click();
      const trail = page.locator('section.audit-trail');
      await expect.poll(() => trail.getByLabel('对象编号').inputValue()).toBe(String(year));
      await expect.poll(() => trail.locator('table.audit-events tbody tr').count(), { timeout: 30_000 }).toBe(6);
      await accessibleAndFits(page, 'audit-recent');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the trail as cards on a tablet', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[1]);
    try {
      await signInThrough(page, portal.portalUrl, '/console/admin/audit', '法规处管理员', '审计记录');
      expect(await heading(page).innerText()).toBe('审计记录');
      const trail = page.locator('section.audit-trail');
      // The query typed on the laptop is this tab's own: a fresh tab starts empty.
      await trail.getByLabel('对象类型').selectOption('Agency');
      await trail.getByLabel('对象编号').fill('sq-city');
      await trail.getByRole('button', { name: '查询' }).click();
      await expect.poll(() => trail.locator('table.audit-events').innerText(), { timeout: 30_000 }).toContain('新建执法主体');
      await accessibleAndFits(page, 'audit');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
