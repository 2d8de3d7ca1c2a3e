/**
 * Dates that cannot be true (issue 11, point 3): each rule on its own, with the clock fixed, plus the
 * split between the schemas (400 for what is no plausible date) and the rules (422 naming the rule).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  actInstantProblem,
  assertDates,
  changeDateProblem,
  correctionDateProblem,
  decisionBeforeFilingProblem,
  decisionDateAtIssueProblem,
  filingDateProblem,
  latestPastDate,
  publicationDateProblem,
} from '../../shared/domain/date-rules.ts';
import { actBody, createCaseBody } from '../../shared/domain/case.ts';
import { decisionChangedBody, withdrawBody } from '../../shared/domain/decision.ts';
import { BusinessRuleError } from '../../shared/domain/errors.ts';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { catchError } from './support.ts';

const creditCode = (body: string) => body + creditCodeCheckChar(body);

/** 2026-12-02 15:39 in Shanghai. */
const NOW = new Date('2026-12-02T07:39:00Z');

/** Any real date from 2000 to 2100, as a string. */
const anyDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('latestPastDate: today in Shanghai, with the clock skew', () => {
  it('is the Shanghai date, not the UTC one', () => {
    // 2026-12-02T20:00Z is already 3 December in Shanghai.
    expect(latestPastDate(new Date('2026-12-02T20:00:00Z'))).toBe('2026-12-03');
    expect(latestPastDate(NOW)).toBe('2026-12-02');
  });

  it('lets a client five minutes ahead say "today" just before midnight', () => {
    // 23:57 in Shanghai on 2 December: a client at 00:01 on the 3rd is within the skew.
    expect(latestPastDate(new Date('2026-12-02T15:57:00Z'))).toBe('2026-12-03');
    expect(latestPastDate(new Date('2026-12-02T15:54:00Z'))).toBe('2026-12-02');
    expect(latestPastDate(new Date('2026-12-02T15:57:00Z'), 0)).toBe('2026-12-02');
  });
});

describe('filing date not in the future (FILING_DATE_IN_FUTURE)', () => {
  it('refuses the observed 2027-06-30 on 2026-12-02, naming both dates', () => {
    expect(filingDateProblem('2027-06-30', '2026-12-02')).toEqual({
      code: 'FILING_DATE_IN_FUTURE',
      message: '立案日期 2027-06-30 晚于今天（2026-12-02），不能为尚未到来的日期立案',
      path: 'body.filingDate',
      values: { filingDate: '2027-06-30', today: '2026-12-02' },
    });
    expect(filingDateProblem('2026-12-03', '2026-12-02')?.code).toBe('FILING_DATE_IN_FUTURE');
  });

  it('accepts today and any day before', () => {
    expect(filingDateProblem('2026-12-02', '2026-12-02')).toBeUndefined();
    expect(filingDateProblem('2000-01-01', '2026-12-02')).toBeUndefined();
  });

  it('refuses exactly the dates after today (property)', () => {
    fc.assert(
      fc.property(anyDate, anyDate, (filing, today) => {
        expect(filingDateProblem(filing, today) !== undefined).toBe(filing > today);
      }),
    );
  });
});

describe('decision date (DECISION_BEFORE_FILING, DECISION_DATE_IN_FUTURE)', () => {
  it('refuses a decision dated before its case was filed', () => {
    expect(decisionBeforeFilingProblem('2026-03-01', '2026-03-02', 'body.decisionDate')).toMatchObject({
      code: 'DECISION_BEFORE_FILING',
      message: '决定日期 2026-03-01 早于立案日期 2026-03-02',
      path: 'body.decisionDate',
    });
    expect(decisionBeforeFilingProblem('2026-03-02', '2026-03-02')).toBeUndefined();
  });

  it('at issue, refuses a decision dated after today (the observed 2026-12-15 on 2026-12-02)', () => {
    expect(decisionDateAtIssueProblem('2026-12-15', '2026-12-02')).toMatchObject({
      code: 'DECISION_DATE_IN_FUTURE',
      message: '决定日期 2026-12-15 晚于今天（2026-12-02），不能作出尚未到日期的决定',
      values: { decisionDate: '2026-12-15', today: '2026-12-02' },
    });
    expect(decisionDateAtIssueProblem('2026-12-02', '2026-12-02')).toBeUndefined();
    expect(decisionDateAtIssueProblem('2026-12-01', '2026-12-02')).toBeUndefined();
  });
});

describe('publication and correction not before the decision date', () => {
  it('refuses publishing on 2026-12-02 a decision dated 2026-12-15 (PUBLISHED_BEFORE_DECISION)', () => {
    expect(publicationDateProblem('2026-12-02', '2026-12-15')).toMatchObject({
      code: 'PUBLISHED_BEFORE_DECISION',
      message: '公示日期 2026-12-02 早于决定日期 2026-12-15，不能公示尚未作出的决定',
    });
  });

  it('publishes on the decision date itself or later', () => {
    expect(publicationDateProblem('2026-12-15', '2026-12-15')).toBeUndefined();
    expect(publicationDateProblem('2027-01-04', '2026-12-15')).toBeUndefined();
  });

  it('refuses a correction dated before the decision (CORRECTED_BEFORE_DECISION)', () => {
    expect(correctionDateProblem('2026-12-02', '2026-12-15')?.code).toBe('CORRECTED_BEFORE_DECISION');
    expect(correctionDateProblem('2026-12-15', '2026-12-15')).toBeUndefined();
  });
});

describe('change and withdrawal date (CHANGE_BEFORE_DECISION, CHANGE_DATE_IN_FUTURE)', () => {
  it('refuses the observed change dated 2025-01-01 on a decision of 2026-12-15', () => {
    expect(changeDateProblem('2025-01-01', '2026-12-15', '2026-12-20')).toEqual({
      code: 'CHANGE_BEFORE_DECISION',
      message: '变更、撤销日期 2025-01-01 早于决定日期 2026-12-15：决定不能在作出之前被变更或撤销',
      path: 'body.changedOn',
      values: { changedOn: '2025-01-01', decisionDate: '2026-12-15' },
    });
  });

  it('refuses a change dated after today', () => {
    expect(changeDateProblem('2026-12-21', '2026-12-15', '2026-12-20')).toMatchObject({
      code: 'CHANGE_DATE_IN_FUTURE',
      message: '变更、撤销日期 2026-12-21 晚于今天（2026-12-20）',
    });
  });

  it('accepts the decision date, today and the days between', () => {
    for (const d of ['2026-12-15', '2026-12-18', '2026-12-20']) expect(changeDateProblem(d, '2026-12-15', '2026-12-20'), d).toBeUndefined();
  });

  it('accepts exactly the dates from the decision date to today (property)', () => {
    fc.assert(
      fc.property(anyDate, anyDate, anyDate, (changedOn, decisionDate, today) => {
        expect(changeDateProblem(changedOn, decisionDate, today) === undefined).toBe(changedOn >= decisionDate && changedOn <= today);
      }),
    );
  });
});

describe('act instants between filing and now (ACT_BEFORE_FILING, ACT_IN_FUTURE)', () => {
  const questioning = (at: string) => ({ at, mayPrecedeFiling: false });

  it('refuses an act more than the clock skew ahead of now', () => {
    const p = actInstantProblem(questioning('2026-12-02T15:45:01+08:00'), '2026-11-01', NOW);
    expect(p).toMatchObject({ code: 'ACT_IN_FUTURE', path: 'body.at', message: '执法行为时间 2026-12-02T15:45:01+08:00 晚于当前时间（北京时间 2026-12-02 15:39）' });
  });

  it('accepts an act up to five minutes ahead (a field device slightly fast), and none beyond with no skew', () => {
    expect(actInstantProblem(questioning('2026-12-02T15:44:00+08:00'), '2026-11-01', NOW)).toBeUndefined();
    expect(actInstantProblem(questioning('2026-12-02T07:44:00Z'), '2026-11-01', NOW)).toBeUndefined();
    expect(actInstantProblem(questioning('2026-12-02T15:39:01+08:00'), '2026-11-01', NOW, 0)?.code).toBe('ACT_IN_FUTURE');
  });

  it('refuses an act on a day before the filing date, judged in Shanghai', () => {
    // 2026-10-31T17:00Z is already 1 November in Shanghai: the filing day, accepted.
    expect(actInstantProblem(questioning('2026-10-31T17:00:00Z'), '2026-11-01', NOW)).toBeUndefined();
    expect(actInstantProblem(questioning('2026-10-31T15:00:00Z'), '2026-11-01', NOW)).toMatchObject({
      code: 'ACT_BEFORE_FILING',
      message: '执法行为时间 2026-10-31T15:00:00Z（2026-10-31）早于立案日期 2026-11-01',
    });
  });

  it('an on-site inspection may precede the filing (it is how the violation was found), never the clock', () => {
    expect(actInstantProblem({ at: '2026-10-20T10:00:00+08:00', mayPrecedeFiling: true }, '2026-11-01', NOW)).toBeUndefined();
    expect(actInstantProblem({ at: '2027-01-01T10:00:00+08:00', mayPrecedeFiling: true }, '2026-11-01', NOW)?.code).toBe('ACT_IN_FUTURE');
  });
});

describe('assertDates', () => {
  it('throws the first violation as a 422 with its code, message and the dates in the details', () => {
    const error = catchError(() => assertDates(undefined, decisionBeforeFilingProblem('2026-03-01', '2026-03-02'), decisionDateAtIssueProblem('2027-01-01', '2026-12-02')));
    expect(error).toBeInstanceOf(BusinessRuleError);
    const e = error as BusinessRuleError;
    expect([e.status, e.code, e.message]).toEqual([422, 'DECISION_BEFORE_FILING', '决定日期 2026-03-01 早于立案日期 2026-03-02']);
    expect(e.details).toEqual([{ path: 'decisionDate', message: '决定日期 2026-03-01 早于立案日期 2026-03-02', decisionDate: '2026-03-01', filingDate: '2026-03-02' }]);
  });

  it('does nothing when every rule holds', () => {
    expect(() => assertDates(undefined, filingDateProblem('2026-12-01', '2026-12-02'))).not.toThrow();
  });
});

describe('schemas: 400 only for dates that are no plausible date; the future is a business rule', () => {
  const caseBody = {
    agencyId: 'sq-city',
    enforcementType: 'PENALTY',
    powerCode: 'CF-SP-001',
    party: { kind: 'ORG', name: '宿迁市某某食品有限公司', creditCode: creditCode('91321302MA1XXXXX0') },
    handlingOfficerIds: ['o-1', 'o-2'],
    filingDate: '2026-03-02',
    summary: '涉嫌经营超过保质期的食品',
  };
  const act = { type: 'QUESTIONING', at: '2026-03-05T10:00:00+08:00', place: '宿城区某超市', officerIds: ['o-1', 'o-2'] };
  const change = { version: 3, ground: 'REVOKED', changedOn: '2026-10-09', reason: '行政复议决定撤销' };

  it('a filing date, act instant or change date in the future passes the schema (the service answers 422)', () => {
    expect(createCaseBody.safeParse(caseBody).success).toBe(true);
    expect(createCaseBody.safeParse({ ...caseBody, filingDate: '2100-12-31' }).success).toBe(true);
    expect(actBody.safeParse({ ...act, at: '2099-01-01T00:00:00+08:00' }).success).toBe(true);
    expect(decisionChangedBody.safeParse({ ...change, changedOn: '2099-01-01' }).success).toBe(true);
    expect(withdrawBody.safeParse({ ...change, changedOn: '2099-01-01' }).success).toBe(true);
  });

  it.each(['0000-01-01', '9999-12-31', '1999-12-31', '2101-01-01', '2026-02-30', '2026-3-2'])('refuses %j as a filing date or change date with 400', (date) => {
    expect(createCaseBody.safeParse({ ...caseBody, filingDate: date }).error?.issues.map((i) => i.path.join('.'))).toEqual(['filingDate']);
    expect(decisionChangedBody.safeParse({ ...change, changedOn: date }).success).toBe(false);
    expect(withdrawBody.safeParse({ ...change, changedOn: date }).success).toBe(false);
  });

  it.each(['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1999-12-31T23:59:59+08:00', '2026-03-05T10:00:00'])('refuses the act instant %j with 400', (at) => {
    expect(actBody.safeParse({ ...act, at }).success).toBe(false);
  });
});
