/** 统计年报's pure logic (console/src/lib/reports.ts; issue 16, point 5; D13, N13). */
import { describe, expect, it } from 'vitest';
import { PENALTY_TYPES } from '../../shared/domain/decision.ts';
import * as shared from '../../shared/report/figure-rows.ts';
import {
  FIGURE_ROWS,
  MAIN_FIGURES,
  PENALTY_ROWS,
  STAGE_LABELS,
  actionBody,
  actionsFor,
  beijingTime,
  correctionProblem,
  defaultYear,
  doneText,
  formatFigure,
  stageChange,
  stageSteps,
  yearOptions,
  type AnnualReportView,
  type ReportFigures,
  type ReportStage,
} from '../../console/src/lib/reports.ts';

/** Every figure a different number, so that a row reading the wrong one is found. */
function sampleFigures(): ReportFigures {
  let n = 0;
  const next = () => (n += 1);
  return {
    licensing: { applied: next(), accepted: next(), granted: next(), refused: next(), revoked: next() },
    penalties: { total: next(), byType: Object.fromEntries(PENALTY_TYPES.map((p) => [p, next()])) as ReportFigures['penalties']['byType'], finesYuan: '12345.5', confiscatedYuan: '0.00', finesCollectedYuan: '1000000.00' },
    remedies: { reconsiderations: next(), litigations: next(), outcomes: { UPHELD: next(), CHANGED: next(), REVOKED: next(), CONFIRMED_UNLAWFUL: next(), REMANDED: next() }, decided: next(), corrected: next(), correctedPercent: 33.3 },
    coerciveMeasures: next(),
    inspections: next(),
    otherActs: next(),
    reviews: { done: next(), passed: next(), returned: next() },
    disclosure: { due: next(), onTime: next(), onTimePercent: null },
    officers: { total: next(), validCertificates: next(), validCertificatesPercent: 90, trainedEnough: next(), trainedEnoughPercent: 76.7 },
    reviewers: { reviewers: next(), officers: next(), ratioPercent: 18.5, belowMinimum: false },
  };
}

const view = (stage: ReportStage | null, over: Partial<NonNullable<AnnualReportView['current']>> = {}): AnnualReportView => ({
  year: 2025,
  current:
    stage === null
      ? null
      : { version: 1, stage, generatedAt: '2026-01-04T16:00:00.000Z', total: sampleFigures(), agencies: [], files: { pdf: 'https://files/pdf', xlsx: 'https://files/xlsx' }, ...over },
  published: null,
});

describe('the figures', () => {
  it('read each figure from its own place (every row a different number) and are written as in the files', () => {
    const f = sampleFigures();
    const values = FIGURE_ROWS.map((r) => r.value(f));
    expect(new Set(values.filter((v) => typeof v === 'number')).size).toBeGreaterThan(25);
    expect(formatFigure('yuan', '1234567.5')).toBe('1,234,567.50');
    expect(formatFigure('percent', null)).toBe('—');
    expect(formatFigure('percent', 90)).toBe('90.0');
  });

  it('lead with the main ones, all of them known rows, and list the penalties by each type in order of severity', () => {
    expect(MAIN_FIGURES.every((k) => FIGURE_ROWS.some((r) => r.key === k))).toBe(true);
    // The shared rows take the order from the labels' keys: the same as the decision schema's types.
    expect(PENALTY_ROWS.map((p) => p.type)).toEqual([...PENALTY_TYPES]);
    expect(shared.PENALTY_ROWS.map((p) => p.type)).toEqual([...PENALTY_TYPES]);
    expect(PENALTY_ROWS[0]?.label).toBe('其中：警告（件）');
  });

  it('name the stages and the times as the files and the portal do', () => {
    expect(STAGE_LABELS).toEqual({ DRAFT: '草稿', DELIVERED: '已报送', PUBLISHED: '已公开' });
    expect(beijingTime('2026-01-15T02:30:00.000Z')).toBe('2026-01-15 10:30');
  });
});

describe('the year', () => {
  it('is last year by default, in Beijing (on 1 January at 01:00 there it is already the new year)', () => {
    expect(defaultYear(new Date('2026-12-02T12:00:00Z'))).toBe(2025);
    expect(defaultYear(new Date('2026-12-31T17:00:00Z'))).toBe(2026);
  });

  it('offers only years that have ended, newest first, never before 2000', () => {
    expect(yearOptions(new Date('2026-06-01T00:00:00Z'), 3)).toEqual([2025, 2024, 2023]);
    expect(yearOptions(new Date('2002-06-01T00:00:00Z'))).toEqual([2001, 2000]);
  });
});

describe('the stages', () => {
  it('shows nothing done before a draft, then each stage done with its time, the current one marked', () => {
    expect(stageSteps(null).map((s) => s.state)).toEqual(['todo', 'todo', 'todo']);
    const steps = stageSteps(view('DELIVERED', { deliveredAt: '2026-01-10T01:00:00.000Z' }).current);
    expect(steps.map((s) => [s.label, s.state, s.at])).toEqual([
      ['草稿', 'done', '2026-01-05 00:00'],
      ['已报送', 'current', '2026-01-10 09:00'],
      ['已公开', 'todo', undefined],
    ]);
  });

  it('offers the service’s next steps: draft; deliver (or redraft); publish (or redeliver, redraft); nothing after publication', () => {
    expect(actionsFor(view(null)).map((a) => [a.action, a.primary])).toEqual([['draft', true]]);
    expect(actionsFor(view('DRAFT')).map((a) => [a.action, a.primary])).toEqual([['deliver', true], ['draft', false]]);
    expect(actionsFor(view('DELIVERED')).map((a) => [a.action, a.primary])).toEqual([['publish', true], ['deliver', false], ['draft', false]]);
    expect(actionsFor(view('PUBLISHED'))).toEqual([]);
  });

  it('says before publishing that the report becomes public on the portal and can then only be corrected', () => {
    const publish = actionsFor(view('DELIVERED')).find((a) => a.action === 'publish')!;
    expect(publish.confirmText).toContain('门户网站向社会公开');
    expect(publish.confirmText).toContain('不能撤回');
    expect(actionsFor(view('DRAFT'))[0]?.confirmText).toContain('司法行政部门和上级主管部门');
  });
});

describe('the correction after publication', () => {
  it('needs a reason before the confirmation', () => {
    expect(correctionProblem({ reason: '  ' })).toBe('请填写更正原因');
    expect(correctionProblem({ reason: '罚款金额有误' })).toBeUndefined();
  });

  it('sends the trimmed reason with a new draft only', () => {
    expect(actionBody('draft', '  罚款金额有误 ')).toEqual({ action: 'draft', correctionReason: '罚款金额有误' });
    expect(actionBody('draft')).toEqual({ action: 'draft' });
    expect(actionBody('publish')).toEqual({ action: 'publish' });
  });
});

describe('what the page says', () => {
  it('after each step', () => {
    expect(doneText('deliver', view('DELIVERED'))).toBe('已报送 2025 年度统计年报（第 1 版）给司法行政部门和上级主管部门。');
    expect(doneText('publish', view('PUBLISHED'))).toContain('门户网站已可查看');
    expect(doneText('draft', view('DRAFT', { version: 2, correction: { reason: '罚款金额有误', previousVersion: 1 } }))).toBe('已生成更正版本（第 2 版）草稿：罚款金额有误。请审阅后报送、公开。');
  });

  it('after a reload, what someone else did meanwhile', () => {
    expect(stageChange(view('DRAFT'), view('DELIVERED'))).toBe('统计年报已被他人办理：第 1 版 草稿 → 第 1 版 已报送。');
    expect(stageChange(view('DRAFT'), view('DRAFT'))).toBe('统计年报没有变化，可以重新操作。');
  });
});
