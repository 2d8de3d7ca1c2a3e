/**
 * Versioned lists (D2, D3): when laws change (立改废) each change is a version with effective
 * dates; `asOf` finds the version in force on a day, repealed items leave a gap in force.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createBody,
  inForce,
  powerContent,
  repealBody,
  repealProblem,
  successionProblem,
  updateBody,
  versionAsOf,
  type CatalogVersion,
} from '../../shared/domain/catalog.ts';

type Span = Pick<CatalogVersion<unknown>, 'effectiveFrom' | 'effectiveTo'> & { versionNo: number };

/** v1 from 2020, replaced by v2 on 2022-07-01, repealed 2024-01-01, re-enacted as v3 on 2025-03-15. */
const history: Span[] = [
  { versionNo: 1, effectiveFrom: '2020-01-01', effectiveTo: '2022-07-01' },
  { versionNo: 2, effectiveFrom: '2022-07-01', effectiveTo: '2024-01-01' },
  { versionNo: 3, effectiveFrom: '2025-03-15' },
];

const power = {
  name: '食品经营许可',
  type: 'LICENSING',
  agencyId: 'sq-city',
  handlingDivision: '行政审批处',
  legalBasis: '《中华人民共和国食品安全法》第三十五条',
  timeLimit: '20 个工作日',
  flowchart: '申请→受理→审查→决定',
  serviceGuide: '见办事指南',
  remedies: '行政复议或行政诉讼',
};

describe('versionAsOf', () => {
  it.each([
    ['2019-12-31', undefined, 'before the first version'],
    ['2020-01-01', 1, 'effectiveFrom is inclusive'],
    ['2022-06-30', 1, 'last day of v1'],
    ['2022-07-01', 2, 'effectiveTo is exclusive: the successor takes over that day'],
    ['2023-12-31', 2, 'last day before the repeal'],
    ['2024-01-01', undefined, 'repeal day: no longer in force'],
    ['2025-03-14', undefined, 'still in the gap after the repeal'],
    ['2025-03-15', 3, 're-enactment day'],
    ['2099-12-31', 3, 'open-ended version'],
  ])('on %s → v%s (%s)', (asOf, expected, _why) => {
    expect(versionAsOf(history, asOf)?.versionNo).toBe(expected);
  });

  it('does not depend on the order of the versions', () => {
    const shuffled = [history[2]!, history[0]!, history[1]!];

    expect(versionAsOf(shuffled, '2022-07-01')?.versionNo).toBe(2);
    expect(versionAsOf(shuffled, '2021-01-01')?.versionNo).toBe(1);
  });

  it('is undefined for an item without versions', () => {
    expect(versionAsOf([], '2026-01-01')).toBeUndefined();
  });

  it('finds exactly the version whose span contains the day, for contiguous histories (property)', () => {
    const day = (n: number) => new Date(Date.UTC(2000, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 20_500 }),
        (starts, probe) => {
          const sorted = [...starts].sort((a, b) => a - b);
          const versions: Span[] = sorted.map((s, i) => ({
            versionNo: i + 1,
            effectiveFrom: day(s),
            ...(i + 1 < sorted.length ? { effectiveTo: day(sorted[i + 1]!) } : {}),
          }));
          const expected = sorted.filter((s) => s <= probe).length || undefined;

          expect(versionAsOf(versions, day(probe))?.versionNo).toBe(expected);
          expect(versions.filter((v) => inForce(v, day(probe))).length).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('successionProblem', () => {
  it('accepts a new version starting after the latest started', () => {
    expect(successionProblem({ effectiveFrom: '2025-03-15' }, '2025-03-16')).toBeUndefined();
  });

  it.each(['2025-03-15', '2024-01-01'])('refuses a new version starting on or before the latest start (%s)', (from) => {
    expect(successionProblem({ effectiveFrom: '2025-03-15' }, from)).toBe('新版本生效日期必须晚于现行版本的生效日期 2025-03-15');
  });

  it('accepts a re-enactment after a repeal, on the repeal day or after a gap', () => {
    const repealed = { effectiveFrom: '2022-07-01', effectiveTo: '2024-01-01' };

    expect(successionProblem(repealed, '2024-01-01')).toBeUndefined();
    expect(successionProblem(repealed, '2025-03-15')).toBeUndefined();
  });
});

describe('repealProblem', () => {
  it('accepts a repeal after the latest version started', () => {
    expect(repealProblem({ effectiveFrom: '2025-03-15' }, '2025-03-16')).toBeUndefined();
  });

  it.each(['2025-03-15', '2025-01-01'])('refuses a repeal on or before the start day (%s)', (to) => {
    expect(repealProblem({ effectiveFrom: '2025-03-15' }, to)).toBe('废止日期必须晚于生效日期 2025-03-15');
  });

  it('refuses repealing an item twice', () => {
    expect(repealProblem({ effectiveFrom: '2022-07-01', effectiveTo: '2024-01-01' }, '2026-01-01')).toBe('该事项已于 2024-01-01 废止');
  });
});

describe('catalog request bodies', () => {
  it('createBody accepts a complete power item and refuses unknown content fields', () => {
    const schema = createBody(powerContent);

    expect(schema.safeParse({ code: 'XK-001', effectiveFrom: '2026-01-01', content: power }).success).toBe(true);
    expect(schema.safeParse({ code: 'XK-001', content: { ...power, secret: 1 } }).success).toBe(false);
  });

  it('refuses bad codes, power types and dates with Chinese messages', () => {
    const result = createBody(powerContent).safeParse({ code: '中文编码', effectiveFrom: '2026-02-30', content: { ...power, type: 'FINE' } });

    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['code', 'content.type', 'effectiveFrom']);
    for (const issue of result.error!.issues) expect(issue.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('updateBody needs the version read; repealBody needs a reason', () => {
    expect(updateBody(powerContent).safeParse({ content: power }).success).toBe(false);
    expect(updateBody(powerContent).safeParse({ version: 3, content: power, changeNote: '依据修订' }).success).toBe(true);
    expect(repealBody.safeParse({ version: 3 }).success).toBe(false);
    expect(repealBody.safeParse({ version: 3, reason: '上位法废止', effectiveTo: '2026-07-01' }).success).toBe(true);
  });
});
