/**
 * What each change adds to the annual report's counters (D13, N13): a combined penalty once under its
 * heaviest type, amounts in fen, licensing by outcome, and the configurable severity order; fines
 * collected and remedies (P5, P6) and their 纠错率; reports stored before those figures existed.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_ORDER, heaviestPenalty, issueIncrements, remedyFiledIncrements, remedyOutcomeIncrements, severityOrder } from '../../shared/domain/report-aggregates.ts';
import { figuresOf, sumAggregates, withAllFigures } from '../../shared/domain/annual-report.ts';
import { emptyAggregate } from '../../shared/domain/report-aggregates.ts';
import { PENALTY_TYPES } from '../../shared/domain/decision.ts';
import { catchError } from './support.ts';

describe('issueIncrements', () => {
  it('counts a combined penalty once, under its heaviest type, with fines and confiscations in fen', () => {
    expect(issueIncrements({ kind: 'PENALTY', penalties: ['FINE', 'REVOKE_PERMIT', 'WARNING'], fine: '1234.56', confiscatedValue: '0.5' })).toEqual({
      penaltiesTotal: 1,
      penalty_REVOKE_PERMIT: 1,
      finesFen: 123456,
      confiscatedFen: 50,
    });
  });

  it('counts licensing by its outcome, other kinds by kind', () => {
    const base = { penalties: [], fine: '0', confiscatedValue: '0' };
    expect(issueIncrements({ ...base, kind: 'LICENSING', licensingOutcome: 'REFUSED' })).toEqual({ licensingRefused: 1 });
    expect(issueIncrements({ ...base, kind: 'LICENSING' })).toEqual({});
    expect(issueIncrements({ ...base, kind: 'COERCION' })).toEqual({ coerciveMeasures: 1 });
    expect(issueIncrements({ ...base, kind: 'INSPECTION' })).toEqual({ inspections: 1 });
    expect(issueIncrements({ ...base, kind: 'OTHER' })).toEqual({ otherActs: 1 });
  });
});

describe('severity order', () => {
  it('is configurable, and a bad order is refused rather than half-used', () => {
    expect(DEFAULT_SEVERITY_ORDER).toHaveLength(PENALTY_TYPES.length);
    const reversed = [...DEFAULT_SEVERITY_ORDER].reverse();
    expect(heaviestPenalty(['FINE', 'REVOKE_PERMIT'], severityOrder(reversed.join(',')))).toBe('FINE');
    expect(heaviestPenalty(['FINE', 'REVOKE_PERMIT'])).toBe('REVOKE_PERMIT');
    expect((catchError(() => severityOrder('FINE,WARNING')) as Error).message).toMatch(/PENALTY_SEVERITY_ORDER/);
  });
});

describe('figures', () => {
  it('percentages have one decimal and are null without a denominator; totals sum the agencies', () => {
    const a = { ...emptyAggregate(), disclosureDue: 3, disclosureOnTime: 2, penaltiesTotal: 1 };
    const b = { ...emptyAggregate(), disclosureDue: 0, penaltiesTotal: 2 };
    const officer = (validUntil: string, hours: number, reviewer = false) => ({ certificateStatus: 'VALID' as const, validUntil, reviewer, training: hours ? [{ year: 2026, hours, course: '培训', completedOn: '2026-05-01' }] : [] });
    const f = figuresOf(a, [officer('2029-01-01', 40, true), officer('2026-06-30', 12), officer('2030-01-01', 0)], 2026, 0.05);
    expect(f.disclosure).toEqual({ due: 3, onTime: 2, onTimePercent: 66.7 });
    expect(f.officers).toEqual({ total: 3, validCertificates: 2, validCertificatesPercent: 66.7, trainedEnough: 1, trainedEnoughPercent: 33.3 });
    expect(f.reviewers).toEqual({ reviewers: 1, officers: 2, ratioPercent: 50, belowMinimum: false });
    expect(figuresOf(b, [], 2026, 0.05).disclosure.onTimePercent).toBeNull();
    expect(sumAggregates([a, b]).penaltiesTotal).toBe(3);
  });
});

describe('fines collected and remedies (P5, P6)', () => {
  it('a filing counts by kind, an outcome by outcome', () => {
    expect(remedyFiledIncrements('RECONSIDERATION')).toEqual({ reconsiderationsFiled: 1 });
    expect(remedyFiledIncrements('LITIGATION')).toEqual({ litigationsFiled: 1 });
    expect(remedyOutcomeIncrements('CONFIRMED_UNLAWFUL')).toEqual({ remedyOutcome_CONFIRMED_UNLAWFUL: 1 });
  });

  it('shows fines collected in yuan, and the 纠错率 as outcomes other than upheld over all outcomes', () => {
    const a = { ...emptyAggregate(), finesCollectedFen: 1_234_550, reconsiderationsFiled: 3, litigationsFiled: 1, remedyOutcome_UPHELD: 2, remedyOutcome_REVOKED: 1 };
    const f = figuresOf(a, [], 2026, 0.05);
    expect(f.penalties.finesCollectedYuan).toBe('12345.50');
    expect(f.remedies).toEqual({
      reconsiderations: 3,
      litigations: 1,
      outcomes: { UPHELD: 2, CHANGED: 0, REVOKED: 1, CONFIRMED_UNLAWFUL: 0, REMANDED: 0 },
      decided: 3,
      corrected: 1,
      correctedPercent: 33.3,
    });
    expect(figuresOf(emptyAggregate(), [], 2026, 0.05).remedies.correctedPercent).toBeNull();
    expect(sumAggregates([a, { ...emptyAggregate(), remedyOutcome_REMANDED: 1 }]).remedyOutcome_REMANDED).toBe(1);
  });

  it('a report stored before these figures existed reads them as 0 and keeps everything else', () => {
    const current = figuresOf({ ...emptyAggregate(), penaltiesTotal: 4, finesFen: 100 }, [], 2025, 0.05);
    const { remedies: _r, ...rest } = current;
    const { finesCollectedYuan: _c, ...penalties } = current.penalties;
    const old = { ...rest, penalties };
    const loaded = withAllFigures({ year: 2025, agencies: [{ agencyId: 'a', agencyName: '甲', ...old }], total: old });
    expect(loaded.total).toEqual(current);
    expect(loaded.agencies[0]).toEqual({ agencyId: 'a', agencyName: '甲', ...current });
    expect(loaded.year).toBe(2025);
    // A current report passes unchanged.
    const now = { agencies: [], total: figuresOf({ ...emptyAggregate(), remedyOutcome_CHANGED: 2, finesCollectedFen: 5 }, [], 2025, 0.05) };
    expect(withAllFigures(now)).toEqual(now);
  });
});
