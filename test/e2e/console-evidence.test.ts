/**
 * The case page's evidence in a real browser (issue 16, point 2; R3–R7): `npm start` with the demo seed
 * (every demo act has a photo the demo camera uploaded and the API sealed, local/seed-evidence.ts). An
 * officer opens a case, reads the sealed manifest, has the signature and the file's hash checked, and
 * opens the photo through a short-lived link from s3rver (allowed by the console's CSP, rendered in the
 * page); the legal division then sees that view on the evidence's chain of custody.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { VIEWPORTS, accessibleAndFits, signInThrough, withPage as withConsolePage, type Viewport } from './console-support.ts';

let portal: RunningPortal;
let browser: Browser;

const consoleUrl = (path = '/console/'): string => `${portal.portalUrl}${path}`;
const withPage = <T>(viewport: Viewport, fn: (page: Page, errors: string[]) => Promise<T>): Promise<T> => withConsolePage(browser, viewport, fn);

const signInAs = (page: Page, name: string): Promise<void> => signInThrough(page, portal.portalUrl, '/console/sign-in', name, '我的案件');

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('the console allows the evidence store for images and media, and nothing else new', () => {
  it("names s3rver's origin in img-src and media-src", async () => {
    const csp = (await fetch(consoleUrl())).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/img-src 'self' data: http:\/\/(127\.0\.0\.1|localhost):\d+(;|$)/);
    expect(csp).toMatch(/media-src 'self' http:\/\/(127\.0\.0\.1|localhost):\d+(;|$)/);
    expect(csp).toContain("default-src 'none'");
  });
});

describe.each(VIEWPORTS)('evidence at $width×$height', (viewport) => {
  it('an officer reads the manifest and its verification and views the photo; the legal division sees the view on the custody log', async () => {
    const reason = `核对现场照片 ${viewport.name}`;
    let casePath = '';
    await withPage(viewport, async (page, errors) => {
      await signInAs(page, '李文静');
      await page.locator('table.cases tbody tr th a').first().click();
      await page.waitForURL(/\/console\/cases\/[0-9a-f-]{36}$/);
      casePath = new URL(page.url()).pathname;
      const card = page.locator('article.evidence-sealed').first();
      await expect.poll(() => card.count()).toBe(1);
      expect(await card.locator('h4').innerText()).toMatch(/照片 · .+\s*已封存/);
      expect(await page.locator('.evidence-act h3').first().innerText()).toMatch(/^执法行为的证据（\d{4}-\d{2}-\d{2} \d{2}:\d{2} 起采集）$/);

      // The sealed manifest: what was signed.
      await card.locator('details.manifest summary').click();
      const manifest = await card.locator('details.manifest').innerText();
      expect(manifest).toMatch(/SHA-256\s+[0-9a-f]{64}/);
      expect(manifest).toContain('ECDSA_SHA_256');
      expect(manifest).toMatch(/封存时间\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

      // The checks in words; the hash only when asked for.
      await card.getByRole('button', { name: '核验签名与文件' }).click();
      const checks = card.locator('ul.checks');
      await expect.poll(() => checks.innerText()).toContain('清单签名：通过');
      expect(await checks.innerText()).toContain('清单与记录：通过');
      expect(await checks.innerText()).toContain('SHA-256 哈希：未重新计算');
      await card.getByRole('button', { name: '重新计算哈希' }).click();
      await expect.poll(() => checks.innerText()).toContain('SHA-256 哈希：通过：重新计算的哈希与封存时一致');
      expect(await card.locator('.verification .success').innerText()).toContain('核验通过');

      // The viewer: a short-lived link, the photo rendered from the evidence store.
      await card.getByLabel('调取原因（记入证据保管链）').fill(reason);
      await card.getByRole('button', { name: '查看证据' }).click();
      const img = card.locator('.evidence-view img');
      await expect.poll(() => img.count()).toBe(1);
      await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      expect(await card.locator('.evidence-view').innerText()).toMatch(/本次调取已记入证据保管链。链接 \d+ 分钟后失效（\d{2}:\d{2}）/);
      expect(await card.locator('.custody, .viewer > p.muted').last().innerText()).toContain('保管链由法制机构查阅');
      await accessibleAndFits(page, 'case-evidence');
      expect(errors).toEqual([]);
    });

    await withPage(viewport, async (page, errors) => {
      await signInAs(page, '法规处管理员');
      await page.goto(consoleUrl(casePath));
      const card = page.locator('article.evidence-sealed').first();
      await expect.poll(() => card.count()).toBe(1);
      await card.getByRole('button', { name: '显示保管链' }).click();
      const log = card.locator('ol.custody-log');
      await expect.poll(() => log.innerText()).toContain(`李文静 调取查看（${reason}）`);
      await accessibleAndFits(page, 'case-evidence-custody');
      expect(errors).toEqual([]);
    });
  });
});
