/**
 * Steps of the console's journeys that more than one e2e test takes (issue 16 point 8). The page is
 * signed in as one of the case's handling officers; each step drives the case page as they would.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface PenaltyDraft {
  readonly conclusion: string;
  /** Yuan, as typed. */
  readonly fine: string;
  /** The discretion level's label as the form shows it (从轻处罚, 一般处罚, 从重处罚, 减轻处罚). */
  readonly discretion: string;
  readonly facts?: string;
  readonly legalBasis?: string;
}

export const DEFAULT_PENALTY: PenaltyDraft = {
  conclusion: '警告，并处罚款人民币 5000 元',
  fine: '5000',
  discretion: '从轻处罚',
  facts: '当事人经营超过保质期的食品，货值金额较小，案发后主动下架全部涉案食品。',
  legalBasis: '《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项',
};

/** Where the step function pauses for the caller (an axe check, a screenshot). */
export type PenaltyStage = 'drafted' | 'notice-made' | 'served' | 'waived' | 'submitted';

const section = (page: Page) => page.locator('section.case-procedure');

/** Fills the decision draft on the open case page and saves it; waits for the review scope the API answers. */
export async function fillPenaltyDraft(page: Page, draft: PenaltyDraft = DEFAULT_PENALTY): Promise<void> {
  const form = section(page).locator('form.decision-form');
  await expect.poll(() => form.count()).toBe(1);
  await form.getByLabel('程序', { exact: true }).selectOption('GENERAL');
  await form.getByLabel('决定结论', { exact: true }).fill(draft.conclusion);
  await form.getByRole('checkbox', { name: '警告', exact: true }).check();
  await form.getByRole('checkbox', { name: '罚款', exact: true }).check();
  await form.getByLabel('罚款金额（元）', { exact: true }).fill(draft.fine);
  await form.getByRole('radio', { name: new RegExp(`^${draft.discretion}`) }).check();
  if (draft.facts) await form.getByLabel('违法事实及证据', { exact: true }).fill(draft.facts);
  if (draft.legalBasis) await form.getByLabel('法律依据', { exact: true }).fill(draft.legalBasis);
  await form.getByRole('button', { name: '保存决定草稿' }).click();
  await expect.poll(() => form.locator('p.scope').innerText().catch(() => '')).toContain('须经法制审核');
}

/**
 * The officer drafts a general-procedure penalty with a discretion level, makes the prior notice,
 * records its service and the party's written waiver, and submits the draft for legal review.
 * Returns the review's id (from the API's answer to the submission).
 */
export async function draftAndSubmitPenalty(page: Page, caseId: string, options: { draft?: PenaltyDraft; portalUrl?: string; at?: (stage: PenaltyStage) => Promise<void> } = {}): Promise<string> {
  const at = options.at ?? (() => Promise.resolve());
  if (options.portalUrl) await page.goto(`${options.portalUrl}/console/cases/${caseId}`);
  await fillPenaltyDraft(page, options.draft);
  const panel = section(page);
  await expect.poll(() => panel.locator('.step-current .step-title').first().innerText()).toBe('告知');
  await at('drafted');

  await panel.getByRole('button', { name: '制作告知书' }).click();
  await panel.getByRole('button', { name: '确认制作告知书' }).click();
  await expect.poll(() => panel.locator('.step-current .step-title').first().innerText()).toBe('送达');
  await at('notice-made');

  const service = panel.locator('form.step-form', { has: page.getByRole('heading', { name: /的送达$/ }) });
  await service.getByLabel('送达方式', { exact: true }).selectOption('DIRECT');
  if ((await service.getByLabel('送达地点', { exact: true }).inputValue()) === '') await service.getByLabel('送达地点', { exact: true }).fill('当事人住所');
  await service.getByLabel('回执', { exact: true }).fill('当事人当场签收');
  await service.getByRole('button', { name: '登记送达' }).click();
  await expect.poll(() => panel.locator('.step-current .step-title').first().innerText()).toBe('陈述申辩');
  await at('served');

  const statement = panel.locator('form.step-form', { has: page.getByRole('heading', { name: '登记陈述、申辩或书面放弃' }) });
  await statement.getByLabel('类型', { exact: true }).selectOption('WAIVER');
  await statement.getByLabel('收到方式', { exact: true }).selectOption('WRITTEN');
  await statement.getByRole('button', { name: '登记书面放弃' }).click();
  await expect.poll(() => panel.locator('.step-current .step-title').first().innerText()).toBe('法制审核');
  await at('waived');

  await panel.getByRole('button', { name: '提交法制审核' }).click();
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/cases/${caseId}/decision/review`);
  await panel.getByRole('button', { name: '确认提交' }).click();
  const res = await answer;
  expect(res.status(), await res.text()).toBe(201);
  await expect.poll(() => panel.locator('.step-review').innerText()).toContain('已提交法制审核');
  await at('submitted');
  return ((await res.json()) as { id: string }).id;
}
