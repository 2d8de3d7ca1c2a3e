/**
 * The leaders' console in a real browser (issue 16, point 4; L5–L7, N8): `npm start` on a temporary data
 * dir (test/e2e/portal-support.ts), Debian's chromium. What the browser does not do here is set up
 * through the API as each role would: the demo's 告知 case (local/seed-procedure.ts: a general-procedure
 * fine, its notice made today) is served and waived, submitted for legal review, and the assigned
 * reviewer approves it; then the city bureau's leader signs in from the sign-in page, finds it in
 * 待审批 and overrides the review opinion through the confirmation step. A second, stale page of the
 * same leader meets the 409 and is told what changed, with what was typed kept. The deadline board
 * shows the demo's overdue payment. axe: 0 serious/critical at 1366×900 and 768×1024; screenshots in
 * `.screenshots/console/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PASSED, NOTICE_PARTY, STATEMENT_PARTY, demoFlows, type DemoCase, type DemoFlows } from '../../local/demo-flows.ts';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { VIEWPORTS, accessibleAndFits, heading, openPage } from './console-support.ts';

const AGENCY = 'sq-city';
const LEADER_NAME = '宿迁市市场监督管理局负责人';
const OVERRIDE_REASON = '当事人系初次违法且已主动下架全部涉案食品，经研究，改变审核意见，按裁量基准从轻处罚。';

interface Person {
  sub: string;
  name: string;
  groups: string[];
  agencyId: string;
  officerId?: string;
}
interface ReviewView {
  id: string;
  version: number;
  status: string;
  step: string;
  reviewerId?: string;
  reviewerName?: string;
  caseNo: string;
  approval?: { decision: string; by: string; reason?: string };
}

let portal: RunningPortal;
let browser: Browser;
let admin: string;
let review: ReviewView;
let caseId: string;
let disputed: ReviewView;

const consoleUrl = (path: string): string => `${portal.portalUrl}${path}`;

/** The API as the handling division and the reviewers use it (local/demo-flows.ts). */
const flows = (): DemoFlows => demoFlows(portal.apiUrl);
const api = <T>(path: string, token: string, init: { method?: string; json?: unknown } = {}) => flows().call<T>(path, token, init);
const tokenFor = (person: Person): Promise<string> => flows().token(person);
const untilStep = (id: string, token: string, done: (r: ReviewView) => boolean, what: string): Promise<ReviewView> =>
  flows().untilStep(id, token, (r) => done(r as ReviewView), what) as Promise<ReviewView>;
const demoCase = (party: string): Promise<DemoCase> => flows().demoCase(AGENCY, party, admin);

/** Submits the case's draft for review and waits for the assigned reviewer; returns the review and that reviewer's token. */
async function submitForReview(id: string): Promise<{ waiting: ReviewView; reviewer: string }> {
  const waiting = (await flows().submitForReview(id, admin)) as ReviewView;
  return { waiting, reviewer: await flows().reviewerToken(waiting, AGENCY) };
}

/**
 * The 陈述申辩 case: the reviewer suggests amending it, the handling division disputes the opinion, so
 * it waits for the leaders' collective discussion (L6).
 */
async function reviewAwaitingDiscussion(): Promise<void> {
  const c = await demoCase(STATEMENT_PARTY);
  const { waiting, reviewer } = await submitForReview(c.id);
  const opinion = await api(`/reviews/${waiting.id}/opinion`, reviewer, {
    json: {
      version: waiting.version,
      checklist: { ...ALL_PASSED, FACTS_AND_EVIDENCE: { passed: false, issue: '健康证明取得时间的证据不足' } },
      documentsComplete: true,
      suspectedCrime: false,
      outcome: 'AMEND',
      opinion: '建议补充 3 名从业人员取得健康证明时间的证据，并据此考虑从轻处罚。',
    },
  });
  expect(opinion.status, JSON.stringify(opinion.body)).toBe(200);
  const coordinating = await untilStep(waiting.id, admin, (r) => r.step === 'AwaitCoordination', 'AwaitCoordination');
  const disputed_ = await api(`/reviews/${waiting.id}/coordination`, admin, { json: { version: coordinating.version, response: 'DISPUTE', reason: '现有询问笔录已能证明从业人员未持证上岗的事实，不同意修改。' } });
  expect(disputed_.status, JSON.stringify(disputed_.body)).toBe(200);
  disputed = await untilStep(waiting.id, admin, (r) => r.step === 'AwaitCollectiveDiscussion', 'AwaitCollectiveDiscussion');
}

/** The 告知 case through the prior notice, submitted for review, approved by the assigned reviewer: it waits for the leader. */
async function reviewAwaitingLeader(): Promise<void> {
  const c = await demoCase(NOTICE_PARTY);
  caseId = c.id;
  await flows().serveNoticeAndWaive(c, admin);
  const { waiting, reviewer } = await submitForReview(c.id);
  const opinion = await api(`/reviews/${waiting.id}/opinion`, reviewer, {
    json: { version: waiting.version, checklist: ALL_PASSED, documentsComplete: true, suspectedCrime: false, outcome: 'APPROVE', opinion: '经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意作出决定。' },
  });
  expect(opinion.status, JSON.stringify(opinion.body)).toBe(200);
  review = await untilStep(waiting.id, admin, (r) => r.step === 'AwaitLeaderApproval', 'AwaitLeaderApproval');
}

// The API's refusals (the 409s below) are answers the page shows, not script errors.
const newPage = (viewport: (typeof VIEWPORTS)[number]) => openPage(browser, viewport, { allowApiRefusals: true });

async function signInAsLeader(page: Page, to: string): Promise<void> {
  await page.goto(consoleUrl(to));
  await page.waitForURL(/\/console\/sign-in\?next=/);
  await expect.poll(() => heading(page).innerText()).toBe('登录执法工作台');
  await page.getByRole('button', { name: new RegExp(`^${LEADER_NAME}`) }).click();
}

const card = (page: Page, caseNo = review.caseNo) => page.locator('article.review-card', { has: page.getByRole('heading', { level: 2, name: `案件 ${caseNo}` }) });

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
  admin = await tokenFor({ sub: 'admin:e2e', name: '法规处（测试）', groups: ['admin'], agencyId: AGENCY });
  await reviewAwaitingLeader();
  await reviewAwaitingDiscussion();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('the legal division', () => {
  it('may record a collective discussion but is not offered the approval, which is the leader’s own (access.ts)', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[0]);
    try {
      await page.goto(consoleUrl('/console/approvals'));
      await page.waitForURL(/\/console\/sign-in\?next=/);
      await expect.poll(() => heading(page).innerText()).toBe('登录执法工作台');
      await page.getByRole('button', { name: /^法规处管理员/ }).click();
      await expect.poll(() => heading(page).innerText()).toBe('待审批');
      await expect.poll(() => card(page).count()).toBe(1);
      await expect.poll(() => card(page, disputed.caseNo).count()).toBe(1);
      expect(await card(page).getByRole('button', { name: '提交审批' }).count()).toBe(0);
      expect(await card(page).innerText()).toContain('负责人审批须由机关负责人本人办理');
      expect(await card(page, disputed.caseNo).getByRole('button', { name: '保存集体讨论记录' }).count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the leader', () => {
  it("finds the review in 待审批 with the reviewer's opinion, overrides it through the confirmation, and the review passes; a stale page is told what changed", async () => {
    const laptop = await newPage(VIEWPORTS[0]);
    const stale = await newPage(VIEWPORTS[1]);
    try {
      const { page, errors } = laptop;
      await signInAsLeader(page, '/console/approvals');
      await page.waitForURL(consoleUrl('/console/approvals'));
      await expect.poll(() => heading(page).innerText()).toBe('待审批');
      expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待审批' }).count()).toBe(1);
      await expect.poll(() => card(page).count()).toBe(1);
      // The case's party comes with the case, loaded beside the review.
      await expect.poll(() => card(page).innerText()).toContain(NOTICE_PARTY);
      const text = await card(page).innerText();
      expect(text).toContain('待机关负责人审批');
      expect(text).toContain('审核意见：同意');
      expect(text).toContain('审核要点 7/7 项通过');
      await accessibleAndFits(page, 'approvals');

      // The second page, opened now, will be stale when it sends.
      await signInAsLeader(stale.page, '/console/approvals');
      await expect.poll(() => card(stale.page).count()).toBe(1);
      await card(stale.page).getByRole('radio', { name: /^同意审核意见/ }).check();
      await card(stale.page).getByLabel('理由或说明（可选）').fill('同意。');
      await accessibleAndFits(stale.page, 'approvals');

      // Override: too short a reason first — the API's refusal beside the reason.
      await card(page).getByRole('radio', { name: /^改变审核意见/ }).check();
      const reason = card(page).getByLabel('改变审核意见的理由（必填）');
      await reason.fill('不同意');
      await card(page).getByRole('button', { name: '提交审批' }).click();
      const confirm = card(page).getByRole('group', { name: '确认改变审核意见' });
      await expect.poll(() => confirm.innerText()).toContain('改变审核意见，由该负责人承担相应责任');
      await card(page).getByRole('button', { name: /确认改变审核意见/ }).click();
      await expect.poll(() => card(page).locator('.field-error').innerText()).toContain('不少于 10 字');
      expect(await reason.getAttribute('aria-invalid')).toBe('true');

      await reason.fill(OVERRIDE_REASON);
      await card(page).getByRole('button', { name: '提交审批' }).click();
      await expect.poll(() => confirm.innerText()).toContain(LEADER_NAME);
      expect(await confirm.innerText()).toContain(OVERRIDE_REASON);
      await accessibleAndFits(page, 'approval-confirm');
      await card(page).getByRole('button', { name: /确认改变审核意见/ }).click();
      await expect.poll(() => card(page).locator('.success').innerText(), { timeout: 30_000 }).toContain('法制审核结果：法制审核通过');
      await accessibleAndFits(page, 'approval-passed');

      const after = await api<ReviewView>(`/reviews/${review.id}`, admin);
      expect(after.body.status).toBe('PASSED');
      expect(after.body.approval).toMatchObject({ decision: 'OVERRIDE', by: LEADER_NAME, reason: OVERRIDE_REASON });
      const responsibility = await api<{ reviews: { approval: { by: string; decision: string; responsibility: string } | null }[] }>(`/cases/${caseId}/responsibility`, admin);
      expect(responsibility.body.reviews.at(-1)?.approval).toMatchObject({ by: LEADER_NAME, decision: 'OVERRIDE', responsibility: '改变审核意见，由该负责人承担相应责任' });

      // The stale page sends: 409; it offers to reload, says what changed, and keeps what was typed.
      await card(stale.page).getByRole('button', { name: '提交审批' }).click();
      const alert = card(stale.page).locator('[role=alert]');
      await expect.poll(() => alert.innerText()).toContain('负责人审批');
      await card(stale.page).getByRole('button', { name: '重新加载此审核' }).click();
      const changes = card(stale.page).locator('.changes');
      await expect.poll(() => changes.innerText()).toContain('审核状态：审核中 → 法制审核通过');
      expect(await changes.innerText()).toContain(`已由 ${LEADER_NAME} 审批：改变审核意见`);
      const kept = (await stale.page.evaluate(`sessionStorage.getItem('three-systems.console.draft.approval.${review.id}')`)) as string | null;
      expect(JSON.parse(kept ?? '{}')).toEqual({ decision: 'APPROVE', reason: '同意。' });
      await accessibleAndFits(stale.page, 'approval-conflict');

      // Gone from the list on the next visit.
      await page.reload();
      await expect.poll(() => page.locator('main .summary').innerText()).toMatch(/共 \d+ 件等待处理|目前没有/);
      expect(await card(page).count()).toBe(0);
      expect(errors).toEqual([]);
      expect(stale.errors).toEqual([]);
    } finally {
      await laptop.close();
      await stale.close();
    }
  });
});

describe('the collective discussion', () => {
  it('refuses too few leaders beside the participants, keeps what was typed across a reload, then records the discussion, and the leader does not approve the decision', async () => {
    const { page, errors, close } = await newPage(VIEWPORTS[1]);
    try {
      await signInAsLeader(page, '/console/approvals');
      const it_ = card(page, disputed.caseNo);
      await expect.poll(() => it_.count()).toBe(1);
      await expect.poll(() => it_.innerText()).toContain(STATEMENT_PARTY);
      const text = await it_.innerText();
      expect(text).toContain('待集体讨论');
      expect(text).toContain('审核意见：建议修改');
      expect(text).toContain('审核要点 6/7 项通过');
      expect(text).toContain('未通过：事实是否清楚、证据是否确凿充分——健康证明取得时间的证据不足');
      expect(text).toContain('承办机构对审核意见有异议');
      // Not the approval's step: no approval form.
      expect(await it_.getByRole('button', { name: '提交审批' }).count()).toBe(0);

      await it_.getByLabel('主持人').fill('张建国');
      const people = [
        ['张建国', '同意审核意见，健康证明取得时间须查清后再作决定。'],
        ['王立平', '同意审核意见。'],
        ['刘晓梅', '同意补充证据后重新报审。'],
      ] as const;
      for (const [i, [name, view]] of people.entries()) {
        await it_.getByLabel(`第 ${i + 1} 人 姓名`).fill(name);
        await it_.getByLabel(`第 ${i + 1} 人 意见`).fill(view);
      }
      await it_.getByLabel('第 3 人 身份').selectOption('MEMBER');
      await expect.poll(() => it_.locator('.participants .hint').innerText()).toContain('负责人 2 名');
      await it_.getByRole('radio', { name: '不同意作出决定' }).check();
      await it_.getByLabel('讨论纪要').fill('经集体讨论，同意审核意见：健康证明取得时间的证据不足，不同意按现有草稿作出决定，由承办机构补充证据后重新报审。');
      await it_.getByRole('button', { name: '保存集体讨论记录' }).click();
      await expect.poll(() => it_.locator('.participants .field-error').innerText()).toContain('至少 3 名负责人');
      await accessibleAndFits(page, 'discussion-too-few');

      // What was typed survives a reload of the page (sessionStorage, per review).
      await page.reload();
      await expect.poll(() => card(page, disputed.caseNo).getByLabel('主持人').inputValue()).toBe('张建国');
      const again = card(page, disputed.caseNo);
      expect(await again.getByLabel('第 3 人 意见').inputValue()).toBe(people[2][1]);
      await again.getByLabel('第 3 人 身份').selectOption('LEADER');
      await expect.poll(() => again.locator('.participants .hint').innerText()).toContain('负责人 3 名');
      await again.getByRole('button', { name: '保存集体讨论记录' }).click();
      await expect.poll(() => again.locator('.success').innerText(), { timeout: 30_000 }).toContain('审核已进入「待机关负责人审批」');

      // The approval follows at once on the same card; only an override asks for a confirmation.
      expect(await again.innerText()).toContain('审核意见为「建议修改」');
      await again.getByRole('radio', { name: /^不同意作出决定/ }).check();
      await again.getByLabel('理由或说明（可选）').fill('同意集体讨论意见。');
      await accessibleAndFits(page, 'discussion-then-approval');
      await again.getByRole('button', { name: '提交审批' }).click();
      await expect.poll(() => again.locator('.success').innerText(), { timeout: 30_000 }).toContain('法制审核结果：未通过（不予作出决定）');

      const after = await api<ReviewView & { discussions: { chair: string; decision: string; participants: { role: string }[] }[] }>(`/reviews/${disputed.id}`, admin);
      expect(after.body.status).toBe('REJECTED');
      expect(after.body.discussions).toHaveLength(1);
      expect(after.body.discussions[0]).toMatchObject({ chair: '张建国', decision: 'REJECT' });
      expect(after.body.discussions[0]?.participants.filter((p) => p.role === 'LEADER')).toHaveLength(3);
      expect(after.body.approval).toMatchObject({ decision: 'REJECT', by: LEADER_NAME });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe.each(VIEWPORTS)('the deadline board at $width×$height', (viewport) => {
  it("shows the demo's overdue payment under 已逾期, linking to its case", async () => {
    const { page, errors, close } = await newPage(viewport);
    try {
      await signInAsLeader(page, '/console/deadlines');
      await page.waitForURL(consoleUrl('/console/deadlines'));
      await expect.poll(() => heading(page).innerText()).toBe('期限看板');
      const overdue = page.locator('section.deadline-group', { has: page.getByRole('heading', { level: 2, name: /已逾期/ }) });
      const payments = overdue.locator('table', { has: page.locator('caption', { hasText: '罚款缴纳' }) });
      await expect.poll(() => payments.locator('tbody tr').count()).toBeGreaterThan(0);
      expect(await payments.locator('tbody tr').first().innerText()).toMatch(/已逾期 \d+ 日/);
      await accessibleAndFits(page, 'deadlines');
      const link = payments.locator('tbody tr th a').first();
      const caseNo = (await link.innerText()).replace(/^案件 /, '');
      await link.click();
      await page.waitForURL(/\/console\/cases\/[0-9a-f-]{36}$/);
      await expect.poll(() => heading(page).innerText()).toBe(`案件 ${caseNo}`);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
