/**
 * The portal's annual report page shows fines collected and remedies (P5, P6) from the API's figures, in
 * the key figures, their own section and the agencies' table; an answer without them (an API older than
 * them) still renders.
 */
import { describe, expect, it } from 'vitest';
import { emptyAggregate } from '../../shared/domain/report-aggregates.ts';
import { figuresOf } from '../../shared/domain/annual-report.ts';
import { fakeApi, ok, render } from './portal-fake-api.ts';

const figures = figuresOf(
  { ...emptyAggregate(), penaltiesTotal: 3, finesFen: 900_000, finesCollectedFen: 1_234_550, reconsiderationsFiled: 4, litigationsFiled: 2, remedyOutcome_UPHELD: 3, remedyOutcome_REVOKED: 1, remedyOutcome_REMANDED: 1 },
  [],
  2025,
  0.05,
);
const report = (f: object) => ({
  year: 2025,
  version: 1,
  stage: 'PUBLISHED',
  bureauName: '宿迁市市场监督管理局',
  generatedAt: '2026-01-05T00:00:00.000Z',
  publishedAt: '2026-01-31T00:00:00.000Z',
  penaltySeverityOrder: [],
  agencies: [{ agencyId: 'sq-city', agencyName: '市局', ...f }],
  total: f,
  history: [{ version: 1, publishedAt: '2026-01-31T00:00:00.000Z' }],
  files: { pdf: 'https://files.example.cn/2025.pdf', xlsx: 'https://files.example.cn/2025.xlsx' },
});
const squash = (s: string) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, '');

describe('/reports/{year}: fines collected and remedies', () => {
  it('shows fines collected, filings by kind, outcomes and the 纠错率', async () => {
    const res = await render(fakeApi({ '/public/reports/2025': ok(report(figures)) }), '/reports/2025');
    expect(res.status).toBe(200);
    const text = squash(res.body);
    for (const s of ['罚款收缴12,345.50元', '行政复议4件', '行政诉讼2件', '维持3件', '撤销1件', '责令重新作出1件', '确认违法0件', '纠错率40%（2/5件）']) {
      expect(text).toContain(s);
    }
    expect(res.body).toContain('<th scope="col">纠错率</th>');
  });

  it('an answer without them renders, with 0 and no 纠错率', async () => {
    const { remedies: _r, ...rest } = figures;
    const { finesCollectedYuan: _c, ...penalties } = figures.penalties;
    const res = await render(fakeApi({ '/public/reports/2025': ok(report({ ...rest, penalties })) }), '/reports/2025');
    expect(res.status).toBe(200);
    const text = squash(res.body);
    expect(text).toContain('罚款收缴0元');
    expect(text).toContain('无复议、诉讼结果');
  });
});
