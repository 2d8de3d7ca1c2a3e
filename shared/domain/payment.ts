/**
 * Payment of a fine (P5, 罚缴分离): the party pays at the designated bank quoting the decision's payment
 * reference; the bank's reconciliation or a receipt confirms it. The fine is due PAYMENT_DAYS calendar
 * days after the 决定书 was served, or on the dates of an approved deferral (暂缓) or instalments (分期,
 * APL Art 66). Late, a surcharge of LATE_SURCHARGE_PERCENT_PER_DAY per cent a day runs on what is
 * overdue, never more than the fine (APL Art 72, 行政强制法 Art 45). Pure; money in integer fen.
 */
import * as z from './z.ts';
import { config } from './config.ts';
import { calendarDate } from './dates.ts';
import { fenToYuan, yuan } from './money.ts';
import { versionOrNew } from './numbers.ts';
import { multiLineText, singleLineText } from './text.ts';
import { addCalendarDays, calendarDaysBetween } from './working-days.ts';

export const PAYMENT_DAYS = config().PAYMENT_DAYS;
export const LATE_SURCHARGE_PERCENT_PER_DAY = config().LATE_SURCHARGE_PERCENT_PER_DAY;

// ---------------------------------------------------------------- requests

export const PAYMENT_SOURCES = ['BANK_RECONCILIATION', 'RECEIPT'] as const;
export type PaymentSource = (typeof PAYMENT_SOURCES)[number];
export const PAYMENT_SOURCE_LABELS: Record<PaymentSource, string> = { BANK_RECONCILIATION: '银行对账', RECEIPT: '缴款凭证' };

/** A bank's transaction reference or a receipt number: printable ASCII, as banks print them. */
const bankReference = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/, { message: '银行流水号或票据号只能包含字母、数字和 . _ : / -，长度 1–64' });

export const paymentBody = z.strictObject({
  amount: yuan.meta({ description: '缴款金额（元）' }),
  paidOn: calendarDate.meta({ description: '缴款日期（不早于决定日期，不能晚于今天）' }),
  source: z.enum(PAYMENT_SOURCES).meta({ description: 'BANK_RECONCILIATION：银行对账；RECEIPT：缴款凭证' }),
  reference: bankReference.meta({ description: '银行流水号或票据号：同一来源的同一号码只登记一次' }),
  paymentReference: z.string().regex(/^\d{20}$/, { message: '缴款识别码应为 20 位数字' }).meta({ description: '缴款时填写的缴款识别码（须与决定书一致）' }),
});
export type PaymentBody = z.infer<typeof paymentBody>;

export const ARRANGEMENT_KINDS = ['DEFERRAL', 'INSTALMENTS'] as const;
export type ArrangementKind = (typeof ARRANGEMENT_KINDS)[number];
export const ARRANGEMENT_LABELS: Record<ArrangementKind, string> = { DEFERRAL: '暂缓缴纳', INSTALMENTS: '分期缴纳' };
export const MAX_INSTALMENTS = 36;

export const arrangementBody = z
  .strictObject({
    version: versionOrNew.meta({ description: '读取时的缴款账户版本号（GET /cases/{id}/payments 的 version；尚无账户时为 0）' }),
    kind: z.enum(ARRANGEMENT_KINDS).meta({ description: 'DEFERRAL：暂缓缴纳；INSTALMENTS：分期缴纳' }),
    appliedOn: calendarDate.meta({ description: '当事人提出申请的日期（不早于决定日期，不晚于当前缴款期限）' }),
    reason: multiLineText({ min: 2, max: 1000 }).meta({ description: '当事人确有经济困难的情况' }),
    approver: singleLineText({ min: 2, max: 40 }).meta({ description: '批准人' }),
    approvedOn: calendarDate.meta({ description: '批准日期（不早于申请日期，不能晚于今天）' }),
    dueDate: calendarDate.optional().meta({ description: '暂缓缴纳：新的缴款期限' }),
    instalments: z
      .array(z.strictObject({ dueDate: calendarDate, amount: yuan }))
      .min(2)
      .max(MAX_INSTALMENTS)
      .optional()
      .meta({ description: '分期缴纳：各期期限和金额，合计等于罚款数额' }),
  })
  .superRefine((a, ctx) => {
    if (a.kind === 'DEFERRAL') {
      if (!a.dueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: '暂缓缴纳须给出新的缴款期限' });
      if (a.instalments) ctx.addIssue({ code: 'custom', path: ['instalments'], message: '暂缓缴纳不分期' });
    } else {
      if (!a.instalments) ctx.addIssue({ code: 'custom', path: ['instalments'], message: '分期缴纳须给出各期期限和金额' });
      if (a.dueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: '分期缴纳的期限在各期中给出' });
      a.instalments?.forEach((x, i) => {
        if (i > 0 && x.dueDate <= a.instalments![i - 1]!.dueDate) ctx.addIssue({ code: 'custom', path: ['instalments', i, 'dueDate'], message: '各期期限应逐期推后' });
        if (x.amount === '0' || /^0(\.0{1,2})?$/.test(x.amount)) ctx.addIssue({ code: 'custom', path: ['instalments', i, 'amount'], message: '每期金额应大于零' });
      });
    }
  });
export type ArrangementBody = z.infer<typeof arrangementBody>;

// ---------------------------------------------------------------- records

/** One amount due on one date. */
export interface Instalment {
  readonly dueDate: string;
  readonly amountFen: number;
}

/** A confirmed payment: append-only, one per source and bank reference. */
export interface Payment {
  readonly id: string;
  readonly caseId: string;
  readonly amountFen: number;
  readonly paidOn: string;
  readonly source: PaymentSource;
  readonly reference: string;
  readonly paymentReference: string;
  /** How it was applied when recorded: to the fine first, then to the surcharge. */
  readonly toFineFen: number;
  readonly toSurchargeFen: number;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

export interface Arrangement {
  readonly kind: ArrangementKind;
  readonly appliedOn: string;
  readonly reason: string;
  readonly approver: string;
  readonly approvedOn: string;
  readonly schedule: readonly Instalment[];
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/**
 * The payment account of a decision with a fine (one item per case). It holds the schedule in force and
 * what was paid; the surcharge is never stored, it is computed for the day asked (`accountState`).
 */
export interface PaymentAccount {
  readonly caseId: string;
  readonly agencyId: string;
  readonly fineFen: number;
  readonly paymentReference: string;
  readonly decisionDate: string;
  /** The 决定书 and the day its service took effect: the payment period runs from it. */
  readonly documentId?: string;
  readonly servedOn?: string;
  /** The schedule in force: PAYMENT_DAYS after service, or the last approved arrangement's. */
  readonly schedule?: readonly Instalment[];
  /** Approved arrangements, oldest first; the last one is in force. */
  readonly arrangements: readonly Arrangement[];
  readonly paidFen: number;
  /** The earliest date on which something is unpaid (the queue's key); absent once paid in full. */
  readonly dueDate?: string;
  readonly version: number;
  readonly updatedAt: string;
}

// ---------------------------------------------------------------- rules

/** P5: the one payment, due PAYMENT_DAYS calendar days after the 决定书 was served. */
export const paymentDueDate = (servedOn: string, days = PAYMENT_DAYS): string => addCalendarDays(servedOn, days);

export const defaultSchedule = (fineFen: number, servedOn: string): Instalment[] => [{ dueDate: paymentDueDate(servedOn), amountFen: fineFen }];

export interface PaymentLike {
  readonly paidOn: string;
  readonly amountFen: number;
}

const paidBy = (payments: readonly PaymentLike[], date: string): number => payments.reduce((s, p) => (p.paidOn <= date ? s + p.amountFen : s), 0);
const paidBefore = (payments: readonly PaymentLike[], date: string): number => payments.reduce((s, p) => (p.paidOn < date ? s + p.amountFen : s), 0);

/**
 * The surcharge accrued up to and including `asOf`: for each day after an instalment's due date, `percent`
 * per cent of what of the fine had fallen due and was not paid before that day (paid one day late is one
 * day's surcharge; payments go to the fine first), at most the fine in all. Rounded down to the fen, in
 * the party's favour. Paying on a day does not change that day's surcharge, so what is owed on a day is
 * exactly what may be paid on it.
 */
export function surchargeFen(fineFen: number, schedule: readonly Instalment[], payments: readonly PaymentLike[], asOf: string, percent = LATE_SURCHARGE_PERCENT_PER_DAY): number {
  if (schedule.length === 0) return 0;
  const end = addCalendarDays(asOf, 1);
  // The overdue amount only changes the day after a due date or after a payment day.
  const breaks = [...new Set([...schedule.map((i) => addCalendarDays(i.dueDate, 1)), ...payments.map((p) => addCalendarDays(p.paidOn, 1)), end])].filter((d) => d <= end).sort();
  const first = addCalendarDays(schedule[0]!.dueDate, 1);
  let accrued = 0n; // fen × percent
  const cap = BigInt(fineFen) * 100n;
  for (let k = 0; k < breaks.length - 1; k++) {
    const from = breaks[k]!;
    if (from < first) continue;
    const fallenDue = schedule.reduce((s, i) => (i.dueDate < from ? s + i.amountFen : s), 0);
    const overdue = fallenDue - Math.min(fineFen, paidBefore(payments, from));
    if (overdue <= 0) continue;
    accrued += BigInt(overdue) * BigInt(percent) * BigInt(calendarDaysBetween(from, breaks[k + 1]!));
    if (accrued >= cap) return fineFen;
  }
  return Number(accrued / 100n);
}

export const PAYMENT_STATUSES = ['NOT_SERVED', 'NOT_DUE', 'DUE', 'OVERDUE', 'PAID'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, string> = {
  NOT_SERVED: '决定书尚未送达，缴款期限未起算',
  NOT_DUE: '缴款期限未届满',
  DUE: '今日为缴款期限最后一日',
  OVERDUE: '逾期未缴纳',
  PAID: '已缴清',
};

export interface AccountState {
  readonly fineFen: number;
  readonly paidFen: number;
  /** Of what was paid, what went to the fine (first) and to the surcharge. */
  readonly finePaidFen: number;
  readonly surchargePaidFen: number;
  /** Accrued up to `asOf` (or up to the last payment, once the fine is paid: it stops running then). */
  readonly surchargeFen: number;
  readonly outstandingFen: number;
  /** The earliest due date of what of the fine is unpaid; the last due date when only surcharge is left. */
  readonly dueDate?: string;
  readonly daysOverdue: number;
  readonly status: PaymentStatus;
}

/** The account on `asOf`. Without a schedule (the 决定书 not yet served) nothing can be late. */
export function accountState(fineFen: number, schedule: readonly Instalment[] | undefined, payments: readonly PaymentLike[], asOf: string, percent = LATE_SURCHARGE_PERCENT_PER_DAY): AccountState {
  const paidFen = paidBy(payments, '9999-12-31');
  const finePaidFen = Math.min(fineFen, paidFen);
  const surcharge = schedule ? surchargeFen(fineFen, schedule, payments, asOf, percent) : 0;
  const surchargePaidFen = Math.min(paidFen - finePaidFen, surcharge);
  const outstandingFen = Math.max(0, fineFen + surcharge - paidFen);
  const base = { fineFen, paidFen, finePaidFen, surchargePaidFen, surchargeFen: surcharge, outstandingFen };
  if (outstandingFen === 0) return { ...base, daysOverdue: 0, status: 'PAID' };
  if (!schedule || schedule.length === 0) return { ...base, daysOverdue: 0, status: 'NOT_SERVED' };
  let covered = 0;
  const unpaid = schedule.find((i) => (covered += i.amountFen) > finePaidFen);
  const dueDate = (unpaid ?? schedule.at(-1)!).dueDate;
  const daysOverdue = Math.max(0, calendarDaysBetween(dueDate, asOf));
  const status: PaymentStatus = asOf > dueDate ? 'OVERDUE' : asOf === dueDate ? 'DUE' : 'NOT_DUE';
  return { ...base, dueDate, daysOverdue, status };
}

/** What the party may still pay on `paidOn`: the fine plus the surcharge accrued to that day, less everything paid. */
export function amountDueOn(fineFen: number, schedule: readonly Instalment[] | undefined, earlier: readonly PaymentLike[], paidOn: string): number {
  const surcharge = schedule ? surchargeFen(fineFen, schedule, earlier, paidOn) : 0;
  return Math.max(0, fineFen + surcharge - paidBy(earlier, '9999-12-31'));
}

/** How a payment of `amountFen` divides between the fine and the surcharge, the fine first. */
export function allocate(fineFen: number, paidBeforeFen: number, amountFen: number): { toFineFen: number; toSurchargeFen: number } {
  const toFineFen = Math.max(0, Math.min(amountFen, fineFen - paidBeforeFen));
  return { toFineFen, toSurchargeFen: amountFen - toFineFen };
}

/** Why instalments cannot stand for the fine, or undefined: they must sum to it exactly. */
export function instalmentsProblem(fineFen: number, schedule: readonly Instalment[]): string | undefined {
  const sum = schedule.reduce((s, i) => s + i.amountFen, 0);
  return sum === fineFen ? undefined : `各期金额合计 ${fenToYuan(sum)} 元，与罚款数额 ${fenToYuan(fineFen)} 元不一致`;
}
