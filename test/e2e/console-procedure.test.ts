/**
 * The officer's decision draft and penalty procedure on the case page, in a real browser (issue 16
 * points 2 and 8; N12, P1, P2, P4, L1): `npm start` on a temporary data dir, Debian's chromium. A new
 * food-safety penalty case is filed through the API; its handling officer 李文静 signs in, saves a draft
 * whose fine disagrees with its penalty types (the API's refusal shown beside 罚款金额), then drafts a
 * general-procedure penalty 从轻处罚, makes the prior notice, records its service and the party's
 * written waiver, and submits for legal review — and the review is there through the API. A draft
 * saved meanwhile by someone else answers 409: the typed draft stays and saves after 重新加载. The demo's
 * hearing case waits at 听证, its statement is answered in writing, its overdue payment case refuses a payment quoting another 缴款识别码,
 * beside that field. At each
 * viewport (1366×900, 768×1024): axe 0 serious/critical, no sideways scrolling, screenshots in
 * `.screenshots/console/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFlows, type DemoFlows } from '../../local/demo-flows.ts';
import { launchChromium, startPortal, type RunningPortal } from './portal-support.ts';
import { VIEWPORTS, accessibleAndFits, heading, openPage, screenshot } from './console-support.ts';
import { draftAndSubmitPenalty } from './console-steps.ts';

const AGENCY = 'sq-city';
const OFFICER = '李文静';
const POWER = 'CF-SP-002';

let portal: RunningPortal;
let browser: Browser;
let admin: string;

const flows = (): DemoFlows => demoFlows(portal.apiUrl);
const today = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A new penalty case of the city bureau handled by 李文静 and 刘梦婷; its id. */
async function newPenaltyCase(n: number): Promise<string> {
  const officers = await flows().expectStatus<{ items: { id: string; name: string }[] }>(200, `/officers?agencyId=${AGENCY}&limit=100`, admin);
  const ids = ['李文静', '刘梦婷'].map((name) => officers.items.find((o) => o.name === name)?.id ?? '');
  const created = await flows().expectStatus<{ id: string }>(201, '/cases', admin, {
    json: {
      agencyId: AGENCY,
      enforcementType: 'PENALTY',
      powerCode: POWER,
      party: { kind: 'ORG', name: `宿迁程序示例商行有限公司${n}`, creditCode: '91350100M000100Y43', legalRepresentative: '赵磊', address: '宿迁市宿城区示例路8号' },
      handlingOfficerIds: ids,
      filingDate: today(),
      summary: '涉嫌经营超过保质期的食品',
    },
  });
  return created.id;
}

async function signInAsOfficer(page: Page, caseId: string): Promise<void> {
  await page.goto(`${portal.portalUrl}/console/cases/${caseId}`);
  await page.waitForURL(/\/console\/sign-in\?next=/);
  await expect.poll(() => heading(page).innerText()).toBe('登录执法工作台');
  await page.getByRole('button', { name: new RegExp(`^${OFFICER}`) }).click();
  await expect.poll(() => heading(page).innerText()).toMatch(/^案件 /);
}

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
  admin = await flows().token({ sub: 'admin:e2e', name: '法规处（测试）', groups: ['admin'], agencyId: AGENCY });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('决定草稿与处罚程序', () => {
  it.each(VIEWPORTS.map((v, i) => [v.name, v, i] as const))(
    'at the %s viewport, the officer drafts a general-procedure penalty 从轻处罚, serves the notice, records the waiver and submits for review',
    async (name, viewport, i) => {
      const caseId = await newPenaltyCase(i);
      // The API's refusals (the 400 below) are answers the page shows, not script errors.
      const { page, errors, close } = await openPage(browser, viewport, { allowApiRefusals: true });
      try {
        await signInAsOfficer(page, caseId);
        const form = page.locator('section.case-procedure form.decision-form');
        // Prefilled from the case and its power-list item.
        await expect.poll(() => form.getByLabel('违法事实及证据', { exact: true }).inputValue()).toBe('涉嫌经营超过保质期的食品');
        expect(await form.getByLabel('法律依据', { exact: true }).inputValue()).not.toBe('');
        // A general-procedure penalty's 决定书 is generated at issue: no number or text asked for.
        expect(await form.getByLabel('决定书文号', { exact: true }).count()).toBe(0);

        // Bad input: a fine among the penalties but no amount — the API's message beside 罚款金额.
        await form.getByLabel('决定结论', { exact: true }).fill('罚款');
        await form.getByRole('checkbox', { name: '罚款', exact: true }).check();
        await form.getByRole('button', { name: '保存决定草稿' }).click();
        const fineField = form.locator('.field', { has: page.getByLabel('罚款金额（元）', { exact: true }) });
        await expect.poll(() => fineField.locator('.field-error').innerText().catch(() => '')).toContain('罚款金额与处罚种类不一致');
        expect(await form.locator('[role=alert]').innerText()).toContain('请按各栏下方的提示更正');
        // What was typed is still there.
        expect(await form.getByLabel('决定结论', { exact: true }).inputValue()).toBe('罚款');
        await accessibleAndFits(page, `procedure-draft-error-${name}`);

        const reviewId = await draftAndSubmitPenalty(page, caseId, {
          at: async (stage) => {
            if (stage === 'drafted' || stage === 'served') await accessibleAndFits(page, `procedure-${stage}-${name}`);
            else await screenshot(page, `procedure-${stage}-${name}`);
          },
        });
        await accessibleAndFits(page, `procedure-submitted-${name}`);
        expect(await page.locator('section.case-procedure p.scope').innerText()).toContain('适用一般程序的行政处罚');
        expect(errors).toEqual([]);

        // Through the API: the review of exactly this draft exists, and the draft waits for it.
        const review = await flows().expectStatus<{ caseId: string; status: string }>(200, `/reviews/${reviewId}`, admin);
        expect(review).toMatchObject({ caseId, status: 'IN_PROGRESS' });
        const decision = await flows().expectStatus<{ status: string; draft: { discretion: string; procedure: string; fine: string; penalties: string[] } }>(200, `/cases/${caseId}/decision`, admin);
        expect(decision.status).toBe('IN_REVIEW');
        expect(decision.draft).toMatchObject({ discretion: 'LIGHTER', procedure: 'GENERAL', penalties: ['WARNING', 'FINE'] });
        expect(Number(decision.draft.fine)).toBe(5000);
        const c = await flows().expectStatus<{ case: { notice?: { servedOn?: string; waivedOn?: string } } }>(200, `/cases/${caseId}`, admin);
        expect(c.case.notice).toMatchObject({ servedOn: today(), waivedOn: today() });
      } catch (e) {
        await screenshot(page, `procedure-failure-${name}`).catch(() => undefined);
        throw e;
      } finally {
        await close();
      }
    },
    180_000,
  );

  it('a draft changed meanwhile: the save answers 409, the typed draft stays, and after 重新加载 it saves', async () => {
    const caseId = await newPenaltyCase(9);
    const { page, errors, close } = await openPage(browser, VIEWPORTS[0], { allowApiRefusals: true });
    try {
      await signInAsOfficer(page, caseId);
      const form = page.locator('section.case-procedure form.decision-form');
      await form.getByLabel('决定结论', { exact: true }).fill('警告');
      await form.getByRole('checkbox', { name: '警告', exact: true }).check();
      await form.getByRole('button', { name: '保存决定草稿' }).click();
      await expect.poll(() => form.getByRole('status').innerText().catch(() => '')).toContain('决定草稿已保存');
      // Someone else saves the draft meanwhile.
      const saved = await flows().expectStatus<{ version: number; draft: Record<string, unknown> }>(200, `/cases/${caseId}/decision`, admin);
      await flows().expectStatus(200, `/cases/${caseId}/decision`, admin, { method: 'PUT', json: { ...saved.draft, version: saved.version, conclusion: '警告（法规处修改）' } });

      await form.getByLabel('决定结论', { exact: true }).fill('警告（承办人修改）');
      await form.getByRole('button', { name: '保存决定草稿' }).click();
      const alert = form.locator('[role=alert]');
      await expect.poll(() => alert.innerText().catch(() => '')).toContain('已填写的内容已保存');
      expect(await form.getByLabel('决定结论', { exact: true }).inputValue()).toBe('警告（承办人修改）');
      await alert.getByRole('button', { name: '重新加载' }).click();
      await expect.poll(() => alert.count()).toBe(0);
      await form.getByRole('button', { name: '保存决定草稿' }).click();
      await expect.poll(() => form.getByRole('status').innerText().catch(() => '')).toContain('决定草稿已保存');
      const after = await flows().expectStatus<{ draft: { conclusion: string } }>(200, `/cases/${caseId}/decision`, admin);
      expect(after.draft.conclusion).toBe('警告（承办人修改）');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it('the demo’s hearing case waits at 听证; its statement is answered in writing; its overdue payment case shows what is owed and refuses a payment quoting another reference beside 缴款识别码', async () => {
    const hearingCase = await flows().demoCase(AGENCY, '宿迁示例食品贸易有限公司', admin);
    const paymentCase = await flows().demoCase(AGENCY, '宿迁洋河示例副食品有限公司', admin);
    const { page, errors, close } = await openPage(browser, VIEWPORTS[0], { allowApiRefusals: true });
    try {
      await signInAsOfficer(page, hearingCase.id);
      const panel = page.locator('section.case-procedure');
      await expect.poll(() => panel.locator('.step-hearing').innerText()).toContain('当前步骤');
      expect(await panel.locator('.step-hearing').innerText()).toContain('听证结束前不得作出决定');
      expect(await panel.getByRole('heading', { name: '登记撤回听证申请' }).count()).toBe(1);

      // The 陈述申辩 case: the party's statement answered in writing (P2).
      const statementCase = await flows().demoCase(AGENCY, '宿迁示例餐饮有限公司', admin);
      await page.goto(`${portal.portalUrl}/console/cases/${statementCase.id}`);
      await expect.poll(() => panel.locator('.step-statement').innerText().catch(() => '')).toContain('1 份陈述、申辩尚待书面复核意见');
      const answer = panel.locator('form.answer-form');
      await answer.getByLabel('采纳情况', { exact: true }).selectOption('PARTLY_ADOPTED');
      await answer.getByLabel('书面复核意见', { exact: true }).fill('当事人已于检查后取得健康证明，部分采纳，按裁量基准从轻处罚。');
      await answer.getByRole('button', { name: '保存复核意见' }).click();
      await expect.poll(() => panel.locator('ul.statements').innerText()).toContain('复核意见：部分采纳');
      expect(await panel.locator('.step-statement').innerText()).not.toContain('尚待书面复核意见');

      await page.goto(`${portal.portalUrl}/console/cases/${paymentCase.id}`);
      await expect.poll(() => panel.locator('.payment-state').innerText().catch(() => '')).toContain('逾期未缴纳');
      const form = panel.locator('form.step-form', { has: page.getByRole('heading', { name: '登记罚款缴纳' }) });
      await form.getByLabel('银行流水号或票据号', { exact: true }).fill('BANK-E2E-0001');
      await form.getByLabel('缴款识别码', { exact: true }).fill('20269999999999999999');
      await form.getByRole('button', { name: '登记缴款' }).click();
      const field = form.locator('.field', { has: page.getByLabel('缴款识别码', { exact: true }) });
      await expect.poll(() => field.locator('.field-error').innerText().catch(() => '')).toContain('与决定书不一致');
      await accessibleAndFits(page, 'procedure-payment-error-laptop');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);
});
