/**
 * What the staff console's browser tests share (test/e2e/console*.test.ts): the two screen sizes,
 * screenshots in `.screenshots/console/`, axe-core run without loosening the console's CSP, the check
 * that nothing scrolls sideways, and a fresh page that records script and CSP errors.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO_ROOT, describeViolations, type AxeViolation } from './portal-support.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOT_DIR = join(REPO_ROOT, '.screenshots', 'console');

export { SESSION_KEY } from '../../console/src/lib/session.ts';

/** A laptop and a tablet (issue 16: "works on a 1366-wide laptop and is usable on a tablet"). */
export const VIEWPORTS = [
  { name: 'laptop', width: 1366, height: 900 },
  { name: 'tablet', width: 768, height: 1024 },
] as const;
export type Viewport = (typeof VIEWPORTS)[number];

/** The page's own heading (every console page has one h1 in main). */
export const heading = (page: Page) => page.locator('main h1');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${page.viewportSize()?.width ?? 0}.png`), fullPage: true });
}

/** axe-core's serious and critical violations, injected by evaluate (the console's CSP stays on). */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate('axe.run()')) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** No serious or critical axe violation, no sideways scrolling; then the screenshot. */
export async function accessibleAndFits(page: Page, name: string): Promise<void> {
  const violations = await axe(page);
  expect(violations, describeViolations(violations)).toEqual([]);
  const [scrollWidth, clientWidth] = (await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]')) as [number, number];
  expect(scrollWidth, `sideways scrolling on ${page.url()}`).toBeLessThanOrEqual(clientWidth);
  await screenshot(page, name);
}

/**
 * A fresh browser context (empty storage) in zh-CN; a CSP refusal or a script error lands in `errors`.
 * With `allowApiRefusals`, the browser's own log line for a 4xx answer (a 409 the page shows) is not one.
 */
export async function openPage(browser: Browser, viewport: { width: number; height: number }, options: { allowApiRefusals?: boolean } = {}): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && !(options.allowApiRefusals && /status of 4\d\d/.test(m.text())) && errors.push(m.text()));
  return { page, errors, close: () => context.close() };
}

/** {@link openPage} around `fn`, closed afterwards. */
export async function withPage<T>(browser: Browser, viewport: { width: number; height: number }, fn: (page: Page, errors: string[]) => Promise<T>): Promise<T> {
  const { page, errors, close } = await openPage(browser, viewport);
  try {
    return await fn(page, errors);
  } finally {
    await close();
  }
}

/**
 * Opens `path` signed out, which sends the page to the sign-in list, and signs in there as the person
 * whose entry starts with `name`; waits for the page to come back with `landing` as its heading.
 */
export async function signInThrough(page: Page, portalUrl: string, path: string, name: string | RegExp, landing: string): Promise<void> {
  await page.goto(`${portalUrl}${path}`);
  if (!path.startsWith('/console/sign-in')) await page.waitForURL(/\/console\/sign-in\?next=/);
  await expect.poll(() => heading(page).innerText()).toBe('登录执法工作台');
  await page.getByRole('button', { name: typeof name === 'string' ? new RegExp(`^${name}`) : name }).click();
  await expect.poll(() => heading(page).innerText()).toBe(landing);
}
