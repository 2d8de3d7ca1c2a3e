/**
 * The reviewer's console in a real browser (issue 16, points 3 and 8): `npm start` on a temporary data
 * dir (test/e2e/portal-support.ts), Debian's chromium, the console's own CSP on. What the browser does
 * not do is set up through the API, as the handling division would: the demo's 告知 case
 * (local/seed-procedure.ts) has its notice served and waived and its general-procedure fine submitted
 * for review, and the workflow assigns a reviewer. That reviewer then signs in from the sign-in page,
 * finds the review in 审核任务, fills the 7-point checklist and approves; a county reviewer opening the
 * city's review is told why not. Screenshots in `.screenshots/console/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { SESSION_KEY, VIEWPORTS, accessibleAndFits, heading, signInThrough, withPage as withConsolePage, type Viewport } from './console-support.ts';
import { CHECKLIST_POINTS, demoFlows, type DemoFlows } from '../../local/demo-flows.ts';

const CITY = 'sq-city';
const POINTS = CHECKLIST_POINTS;

interface Person {
  sub: string;
  name: string;
  groups: string[];
  agencyId: string;
  role: string;
  officerId?: string;
}

interface ReviewView {
  id: string;
  caseNo: string;
  version: number;
  status: string;
  step: string;
  stepLabel: string;
  reviewerId?: string;
  reviewerName?: string;
  opinions: { outcome: string; opinion: string }[];
}

let portal: RunningPortal;
let browser: Browser;
let people: Person[];
let review: ReviewView;
let reviewer: Person;

const consoleUrl = (path: string): string => `${portal.portalUrl}${path}`;

/** The API as the handling division and the legal division use it (local/demo-flows.ts). */
const flows = (): DemoFlows => demoFlows(portal.apiUrl);
const api = <T>(path: string, token: string, init: { json?: unknown } = {}) => flows().call<T>(path, token, init);
const tokenFor = (person: Pick<Person, 'sub' | 'name' | 'groups' | 'agencyId' | 'officerId'>): Promise<string> => flows().token(person);
const untilStep = (id: string, token: string, done: (r: ReviewView) => boolean, what: string): Promise<ReviewView> =>
  flows().untilStep(id, token, (r) => done(r as ReviewView), what) as Promise<ReviewView>;

/** The 告知 case's prior notice served and waived, its draft submitted: the workflow assigns a reviewer. */
async function reviewAwaitingOpinion(): Promise<ReviewView> {
  const officer = people.find((p) => p.role === 'officer' && p.agencyId === CITY);
  if (!officer) throw new Error('no city officer on the sign-in list');
  const { review: waiting } = await flows().reviewAwaitingOpinion(CITY, await tokenFor(officer));
  return api<ReviewView>(`/reviews/${waiting.id}`, await tokenFor(officer)).then((r) => r.body);
}

const withPage = <T>(viewport: Viewport, fn: (page: Page, errors: string[]) => Promise<T>): Promise<T> => withConsolePage(browser, viewport, fn);

const signInAs = (page: Page, name: string): Promise<void> => signInThrough(page, portal.portalUrl, '/console/sign-in', name, '我的案件');

/** From 审核任务 to the review's page, by the case number. */
async function openFromQueue(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审核任务' }).click();
  await expect.poll(() => heading(page).innerText()).toBe('审核任务');
  const row = page.locator('table.reviews tbody tr', { hasText: review.caseNo });
  await expect.poll(() => row.count()).toBe(1);
  expect(await row.innerText()).toContain('待审核人员出具审核意见');
  expect(await row.innerText()).toContain('待本人出具意见');
  await accessibleAndFits(page, 'review-queue');
  await row.getByRole('link', { name: review.caseNo }).click();
  await page.waitForURL(consoleUrl(`/console/reviews/${review.id}`));
  await expect.poll(() => heading(page).innerText()).toBe(`法制审核 ${review.caseNo}`);
}

const point = (page: Page, p: (typeof POINTS)[number]) => page.locator(`fieldset#point-${p}`);

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
  const res = await fetch(`${portal.apiUrl}/local/people`);
  people = ((await res.json()) as { items: Person[] }).items;
  review = await reviewAwaitingOpinion();
  const assigned = people.find((p) => p.role === 'reviewer' && p.officerId === review.reviewerId);
  if (!assigned) throw new Error(`the assigned reviewer ${review.reviewerId} is not on the sign-in list`);
  reviewer = assigned;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('the assigned reviewer', () => {
  it('at 768×1024 finds the review in 审核任务 and reads the case file beside the checklist', async () => {
    await withPage(VIEWPORTS[1], async (page, errors) => {
      await signInAs(page, reviewer.name);
      await openFromQueue(page);
      for (const part of ['审核进程', '决定草稿', '案件信息', '执法过程记录', '证据', '文书', '出具审核意见']) {
        await expect.poll(() => page.getByRole('heading', { level: 2, name: part }).count(), { message: part }).toBe(1);
      }
      expect(await page.locator('main').innerText()).toContain('等待您出具审核意见');
      await accessibleAndFits(page, 'review-page');
      expect(errors).toEqual([]);
    });
  });

  it('at 1366×900 fills the 7-point checklist under the outcome rule, keeps the draft across a reload and an expired session, meets a 409 and approves', async () => {
    await withPage(VIEWPORTS[0], async (page, errors) => {
      await signInAs(page, reviewer.name);
      await openFromQueue(page);
      // The decision draft under review and the evidence are on the page.
      expect(await page.locator('section[aria-labelledby="part-decision"]').innerText()).toContain('罚款');
      await expect.poll(() => page.locator('table.evidence tbody tr').count()).toBeGreaterThan(0);

      // A failed point: 同意 is not offered, and the failed point asks for its issue.
      for (const p of POINTS) await point(page, p).getByLabel('通过', { exact: true }).check();
      await point(page, 'FACTS_AND_EVIDENCE').getByLabel('未通过').check();
      await page.locator('fieldset#documentsComplete').getByLabel('齐全规范').check();
      await page.locator('fieldset#suspectedCrime').getByLabel('不涉嫌犯罪').check();
      const outcome = page.locator('fieldset#outcome');
      expect(await outcome.getByRole('radio', { name: /^同意/ }).isDisabled()).toBe(true);
      expect(await outcome.getByRole('radio', { name: /^退回补充材料/ }).isEnabled()).toBe(true);
      await outcome.getByRole('radio', { name: /^退回补充材料/ }).check();
      await page.getByRole('button', { name: '提交审核意见' }).click();
      // Refused in the form, as the API would: beside the point, the materials and the opinion.
      await expect.poll(() => point(page, 'FACTS_AND_EVIDENCE').locator('.field-error').innerText()).toBe('未通过的审核要点须写明问题');
      expect(await page.locator('#requestedMaterials-error').innerText()).toBe('退回补充须列明所需材料');
      expect(await page.locator('#opinion-text-error').innerText()).toContain('不少于 10 字');
      expect(await page.locator('.error-note[role=alert]').innerText()).toContain('请按各项下方的提示更正后再提交');
      await accessibleAndFits(page, 'review-form-errors');

      // On second thoughts every point passes: only 同意 is offered, and 退回 is said to be wrong.
      await point(page, 'FACTS_AND_EVIDENCE').getByLabel('通过', { exact: true }).check();
      expect(await outcome.getByRole('radio', { name: /^退回补充材料/ }).isDisabled()).toBe(true);
      expect(await outcome.locator('.field-error').innerText()).toContain('全部要点通过时应为同意');
      await outcome.getByRole('radio', { name: /^同意/ }).check();
      const opinion = '经审核，执法主体合法，事实清楚，证据确凿，定性准确，适用依据正确，程序合法，处罚适当，同意作出行政处罚决定。';
      await page.getByLabel('书面审核意见').fill(opinion);

      // Nothing typed is lost: a reload brings the form back as it was.
      await page.reload();
      await expect.poll(() => heading(page).innerText()).toBe(`法制审核 ${review.caseNo}`);
      await expect.poll(() => page.getByLabel('书面审核意见').inputValue()).toBe(opinion);
      expect(await outcome.getByRole('radio', { name: /^同意/ }).isChecked()).toBe(true);
      expect(await point(page, 'PROCEDURE').getByLabel('通过', { exact: true }).isChecked()).toBe(true);

      // The session ends before the opinion is sent: sign in again, back to the review, nothing lost.
      await page.evaluate(`sessionStorage.setItem(${JSON.stringify(SESSION_KEY)}, sessionStorage.getItem(${JSON.stringify(SESSION_KEY)}).slice(0, -4) + 'AAAA')`);
      await page.getByRole('button', { name: '提交审核意见' }).click();
      await page.waitForURL(/\/console\/sign-in\?next=/);
      await page.getByRole('button', { name: new RegExp(`^${reviewer.name}`) }).click();
      await page.waitForURL(consoleUrl(`/console/reviews/${review.id}`));
      await expect.poll(() => page.getByLabel('书面审核意见').inputValue()).toBe(opinion);
      expect(await outcome.getByRole('radio', { name: /^同意/ }).isChecked()).toBe(true);

      // Meanwhile the legal division re-confirms the assignment (the review's version moves on): the
      // submission meets a 409, the page says what changed, keeps the form, and loads the review anew.
      const admin = people.find((p) => p.role === 'admin');
      if (!admin) throw new Error('no administrator on the sign-in list');
      const adminToken = await tokenFor(admin);
      const current = await api<ReviewView>(`/reviews/${review.id}`, adminToken);
      const reassigned = await api(`/reviews/${review.id}/reassign`, adminToken, { json: { version: current.body.version, reviewerId: reviewer.officerId, reason: '核对审核人员分配' } });
      expect(reassigned.status, JSON.stringify(reassigned.body)).toBe(200);
      await page.getByRole('button', { name: '提交审核意见' }).click();
      const conflict = page.locator('.conflict[role=alert]');
      await expect.poll(() => conflict.innerText()).toContain('审核记录已变化');
      expect(await conflict.innerText()).toContain('改派审核人员为 ' + reviewer.name + '：核对审核人员分配');
      expect(await page.getByLabel('书面审核意见').inputValue()).toBe(opinion);
      await accessibleAndFits(page, 'review-conflict');
      await conflict.getByRole('button', { name: '载入最新内容' }).click();
      await expect.poll(() => conflict.count()).toBe(0);
      expect(await page.getByLabel('书面审核意见').inputValue()).toBe(opinion);

      await page.getByRole('button', { name: '提交审核意见' }).click();
      const done = page.locator('.done-note[role=status]');
      await expect.poll(() => done.innerText()).toContain('已出具审核意见（同意）');
      // The workflow takes it on to the leader; the page follows.
      await expect.poll(() => done.innerText(), { timeout: 10_000 }).toContain('待机关负责人审批');
      expect(await page.getByRole('heading', { level: 2, name: '出具审核意见' }).count()).toBe(0);
      await accessibleAndFits(page, 'review-approved');

      // The API agrees: the opinion is on record and the review waits for the leader.
      const token = await tokenFor(reviewer);
      const after = await untilStep(review.id, token, (r) => r.step === 'AwaitLeaderApproval', 'AwaitLeaderApproval');
      expect(after.opinions.at(-1)).toMatchObject({ outcome: 'APPROVE', opinion });
      // The 401 and the 409 are the API's answers, logged by the browser.
      errors.splice(0, errors.length, ...errors.filter((e) => !/status of (401|409)/.test(e)));
      // The draft went with the submission.
      expect(await page.evaluate(`Object.keys(sessionStorage).filter((k) => k.includes('opinion.${review.id}')).length`)).toBe(0);

      // In 审核任务 (all statuses) it no longer waits for this reviewer.
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审核任务' }).click();
      const row = page.locator('table.reviews tbody tr', { hasText: review.caseNo });
      await expect.poll(() => row.innerText()).toContain('待机关负责人审批');
      expect(await row.innerText()).not.toContain('待本人出具意见');
      expect(errors).toEqual([]);
    });
  });
});

describe('a reviewer of another agency', () => {
  it("opening the city's review is told why not", async () => {
    const county = people.find((p) => p.role === 'reviewer' && p.agencyId !== CITY);
    if (!county) throw new Error(`no county reviewer on the sign-in list: ${JSON.stringify(people.map((p) => [p.name, p.role, p.agencyId]))}`);
    await withPage(VIEWPORTS[0], async (page, errors) => {
      await signInAs(page, county.name);
      await page.goto(consoleUrl(`/console/reviews/${review.id}`));
      await expect.poll(() => heading(page).innerText()).toBe('无权查看此审核');
      expect(await page.locator('main [role=alert]').innerText()).toContain('只能处理本机构及下级机构的事项');
      await accessibleAndFits(page, 'review-forbidden');
      // The 403 is the API's answer, logged by the browser; nothing else went wrong.
      expect(errors.filter((e) => !/status of 403/.test(e))).toEqual([]);
    });
  });
});
