/**
 * The money rules of payment (P5) and the remedy windows (P6): due date from service, the surcharge on
 * what is overdue (a payment counts from its own day, the fine first, capped at the fine, rounded down),
 * the account's status, what may be paid, instalments; reconsideration, litigation and enforcement dates.
 */
import { describe, expect, it } from 'vitest';
import { accountState, allocate, amountDueOn, arrangementBody, defaultSchedule, instalmentsProblem, paymentDueDate, surchargeFen } from '../../shared/domain/payment.ts';
import { enforcementApplicationDue, isLate, remedyBody, remedyWindows } from '../../shared/domain/remedy.ts';

const FINE = 1_000_000; // 10,000.00 yuan
const one = defaultSchedule(FINE, '2026-09-01'); // due 2026-09-16

describe('the due date and the surcharge (P5)', () => {
  it('is due 15 calendar days after service', () => {
    expect(paymentDueDate('2026-09-01')).toBe('2026-09-16');
    expect(paymentDueDate('2026-12-20')).toBe('2027-01-04');
    expect(one).toEqual([{ dueDate: '2026-09-16', amountFen: FINE }]);
  });

  it('runs 3% of the fine a day from the day after the due date', () => {
    expect(surchargeFen(FINE, one, [], '2026-09-16')).toBe(0);
    expect(surchargeFen(FINE, one, [], '2026-09-17')).toBe(30_000);
    expect(surchargeFen(FINE, one, [], '2026-09-19')).toBe(90_000);
  });

  it('is capped at the fine (34 days of 3% would be 102%)', () => {
    expect(surchargeFen(FINE, one, [], '2026-10-18')).toBe(30_000 * 32); // 32 days: 96%
    expect(surchargeFen(FINE, one, [], '2026-10-20')).toBe(FINE); // 34 days would be 102%
    expect(surchargeFen(FINE, one, [], '2030-01-01')).toBe(FINE);
  });

  it('runs on what was unpaid before each day, and stops once the fine is paid', () => {
    const half = [{ paidOn: '2026-09-18', amountFen: FINE / 2 }];
    // 09-17 and 09-18 (the day it was paid) on 10,000; 09-19 and 09-20 on 5,000.
    expect(surchargeFen(FINE, one, half, '2026-09-20')).toBe(2 * 30_000 + 2 * 15_000);
    const all = [...half, { paidOn: '2026-09-21', amountFen: FINE / 2 }];
    expect(surchargeFen(FINE, one, all, '2026-09-21')).toBe(2 * 30_000 + 3 * 15_000);
    expect(surchargeFen(FINE, one, all, '2027-01-01')).toBe(2 * 30_000 + 3 * 15_000);
    // One day late is one day's surcharge.
    expect(surchargeFen(FINE, one, [{ paidOn: '2026-09-17', amountFen: FINE }], '2027-01-01')).toBe(30_000);
    // Paid on the due date: nothing.
    expect(surchargeFen(FINE, one, [{ paidOn: '2026-09-16', amountFen: FINE }], '2027-01-01')).toBe(0);
  });

  it('rounds down to the fen, in the party\'s favour', () => {
    const s = defaultSchedule(33, '2026-09-01');
    expect(surchargeFen(33, s, [], '2026-09-17')).toBe(0); // 0.99 fen
    expect(surchargeFen(33, s, [], '2026-09-18')).toBe(1); // 1.98 fen
  });

  it('with instalments, runs on each instalment overdue', () => {
    const schedule = [
      { dueDate: '2026-09-30', amountFen: 600_000 },
      { dueDate: '2026-10-31', amountFen: 400_000 },
    ];
    expect(surchargeFen(FINE, schedule, [], '2026-10-02')).toBe(2 * 18_000);
    // The first paid on time: nothing runs until the second is late.
    expect(surchargeFen(FINE, schedule, [{ paidOn: '2026-09-30', amountFen: 600_000 }], '2026-11-01')).toBe(12_000);
    expect(surchargeFen(FINE, schedule, [{ paidOn: '2026-09-30', amountFen: 600_000 }], '2026-10-31')).toBe(0);
  });
});

describe('the account (P5)', () => {
  it('is NOT_SERVED without a schedule, NOT_DUE before the due date, DUE on it, OVERDUE after, PAID once all is paid', () => {
    expect(accountState(FINE, undefined, [], '2026-12-01')).toMatchObject({ status: 'NOT_SERVED', outstandingFen: FINE, surchargeFen: 0 });
    expect(accountState(FINE, one, [], '2026-09-10')).toMatchObject({ status: 'NOT_DUE', dueDate: '2026-09-16', daysOverdue: 0 });
    expect(accountState(FINE, one, [], '2026-09-16')).toMatchObject({ status: 'DUE', outstandingFen: FINE });
    expect(accountState(FINE, one, [], '2026-09-20')).toMatchObject({ status: 'OVERDUE', daysOverdue: 4, surchargeFen: 120_000, outstandingFen: FINE + 120_000 });
    // The fine paid late: the surcharge accrued to that day is still owed.
    const late = [{ paidOn: '2026-09-18', amountFen: FINE }];
    expect(accountState(FINE, one, late, '2026-12-01')).toMatchObject({ status: 'OVERDUE', finePaidFen: FINE, surchargeFen: 60_000, outstandingFen: 60_000, dueDate: '2026-09-16' });
    expect(accountState(FINE, one, [...late, { paidOn: '2026-12-01', amountFen: 60_000 }], '2026-12-01')).toMatchObject({ status: 'PAID', outstandingFen: 0, surchargePaidFen: 60_000 });
  });

  it('may take no more than the fine plus the surcharge to the day of payment, less what was paid', () => {
    expect(amountDueOn(FINE, one, [], '2026-09-10')).toBe(FINE);
    expect(amountDueOn(FINE, one, [{ paidOn: '2026-09-10', amountFen: 400_000 }], '2026-09-12')).toBe(600_000);
    expect(amountDueOn(FINE, one, [], '2026-09-18')).toBe(FINE + 60_000);
    expect(amountDueOn(FINE, undefined, [], '2026-09-18')).toBe(FINE);
  });

  it('applies a payment to the fine first', () => {
    expect(allocate(FINE, 0, 400_000)).toEqual({ toFineFen: 400_000, toSurchargeFen: 0 });
    expect(allocate(FINE, 900_000, 150_000)).toEqual({ toFineFen: 100_000, toSurchargeFen: 50_000 });
    expect(allocate(FINE, FINE, 50_000)).toEqual({ toFineFen: 0, toSurchargeFen: 50_000 });
  });

  it('takes instalments that sum to the fine, in ascending order', () => {
    expect(instalmentsProblem(FINE, [{ dueDate: '2026-10-01', amountFen: 500_000 }, { dueDate: '2026-11-01', amountFen: 500_000 }])).toBeUndefined();
    expect(instalmentsProblem(FINE, [{ dueDate: '2026-10-01', amountFen: 500_000 }, { dueDate: '2026-11-01', amountFen: 400_000 }])).toContain('9000.00');
    const body = { version: 1, kind: 'INSTALMENTS', appliedOn: '2026-09-10', reason: '经营困难', approver: '王局长', approvedOn: '2026-09-11' };
    expect(arrangementBody.safeParse({ ...body, instalments: [{ dueDate: '2026-11-01', amount: '5000' }, { dueDate: '2026-10-01', amount: '5000' }] }).success).toBe(false);
    expect(arrangementBody.safeParse({ ...body, instalments: [{ dueDate: '2026-10-01', amount: '5000' }, { dueDate: '2026-11-01', amount: '5000' }] }).success).toBe(true);
    expect(arrangementBody.safeParse({ ...body, kind: 'DEFERRAL' }).success).toBe(false);
  });
});

describe('remedy windows and the enforcement application (P6, 行政强制法 Art 53)', () => {
  const w = remedyWindows('2026-01-31');
  it('gives 60 days for reconsideration and 6 months for litigation from service', () => {
    expect(w).toEqual({ reconsiderationUntil: '2026-04-01', litigationUntil: '2026-07-31' });
    expect(remedyWindows('2026-08-31').litigationUntil).toBe('2027-02-28');
    expect(isLate('RECONSIDERATION', '2026-04-02', w)).toBe(true);
    expect(isLate('LITIGATION', '2026-04-02', w)).toBe(false);
  });

  it('is due within 3 months after the litigation window, only without a remedy and with the fine unpaid', () => {
    expect(enforcementApplicationDue(w, '2026-07-31', false, true)).toBeUndefined();
    expect(enforcementApplicationDue(w, '2026-08-01', false, true)).toEqual({ from: '2026-08-01', until: '2026-10-31', overdue: false });
    expect(enforcementApplicationDue(w, '2026-11-01', false, true)).toMatchObject({ overdue: true });
    expect(enforcementApplicationDue(w, '2026-08-01', true, true)).toBeUndefined();
    expect(enforcementApplicationDue(w, '2026-08-01', false, false)).toBeUndefined();
  });

  it('defaults the stage by kind and refuses a mismatched one', () => {
    const base = { body: '测试市人民政府', filedOn: '2026-09-01', caseNumber: '测复〔2026〕1号' };
    expect(remedyBody.parse({ ...base, kind: 'RECONSIDERATION' }).stage).toBe('RECONSIDERATION');
    expect(remedyBody.parse({ ...base, kind: 'LITIGATION' }).stage).toBe('FIRST_INSTANCE');
    expect(remedyBody.safeParse({ ...base, kind: 'LITIGATION', stage: 'RECONSIDERATION' }).success).toBe(false);
  });
});
