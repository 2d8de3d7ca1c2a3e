/**
 * Payment of a fine (P5): confirmations from the bank's reconciliation or receipts, deferral and
 * instalments on the party's application, and the account with the surcharge computed for the day asked.
 * Every change is one transaction with its audit event and timeline entry; the account's version
 * serialises the changes of one case, so two payments can never together exceed what is due.
 */
import { createHash } from 'node:crypto';
import type { Case } from '../domain/case.ts';
import { shanghaiToday, yearOf } from '../domain/dates.ts';
import type { Decision } from '../domain/decision-record.ts';
import type { DecisionStatus } from '../domain/decision.ts';
import { BusinessRuleError, ConflictError, VersionConflictError } from '../domain/errors.ts';
import { fenToYuan, yuanToFen } from '../domain/money.ts';
import {
  ARRANGEMENT_LABELS,
  LATE_SURCHARGE_PERCENT_PER_DAY,
  PAYMENT_DAYS,
  PAYMENT_SOURCE_LABELS,
  PAYMENT_STATUS_LABELS,
  accountState,
  allocate,
  amountDueOn,
  defaultSchedule,
  instalmentsProblem,
} from '../domain/payment.ts';
import type { AccountState, Arrangement, ArrangementBody, Instalment, Payment, PaymentAccount, PaymentBody, PaymentLike } from '../domain/payment.ts';
import { addToAggregate } from '../store/aggregates.ts';
import * as store from '../store/cases.ts';
import * as payments from '../store/payments.ts';
import { commit } from '../store/transact.ts';
import type { Write } from '../store/transact.ts';
import { requireCase } from './cases.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';
import { nowIso, today } from './case-steps.ts';
import { requireDecision } from './decisions.ts';


const ISSUED: readonly DecisionStatus[] = ['ISSUED', 'PUBLISHED', 'EXEMPT', 'WITHDRAWN', 'EXPIRED'];

/** The fine of an issued decision that has a payment reference, in fen; 409 otherwise. */
function fineOf(d: Decision): number {
  const fineFen = yuanToFen(d.draft.fine);
  if (!ISSUED.includes(d.status) || !d.paymentReference || !d.draft.penalties.includes('FINE') || fineFen <= 0) {
    throw new ConflictError('PAYMENT_NOT_APPLICABLE', '只有已作出的、有罚款并生成了缴款识别码的一般程序行政处罚决定才有缴款记录（P5）');
  }
  return fineFen;
}

/** The account as stored, or as it starts: the schedule runs from the 决定书's service once recorded. */
async function loadAccount(c: Case, d: Decision, at: string): Promise<PaymentAccount> {
  const fineFen = fineOf(d);
  const stored = await payments.getAccount(c.id);
  const doc = d.document ? await store.getDocument(c.id, d.document.id) : undefined;
  const base: PaymentAccount = stored ?? {
    caseId: c.id,
    agencyId: c.agencyId,
    fineFen,
    paymentReference: d.paymentReference!,
    decisionDate: d.draft.decisionDate,
    ...(d.document ? { documentId: d.document.id } : {}),
    arrangements: [],
    paidFen: 0,
    version: 0,
    updatedAt: at,
  };
  // Served before the account existed (or the service's own write lost): take the date from the document.
  if (!base.servedOn && doc?.servedOn) return { ...base, servedOn: doc.servedOn, schedule: base.schedule ?? defaultSchedule(fineFen, doc.servedOn) };
  return base;
}

/** The earliest unpaid due date, the queue's key; none once paid in full or before service. */
function queueDate(a: Pick<PaymentAccount, 'fineFen' | 'schedule'>, paid: readonly PaymentLike[], on: string): string | undefined {
  const s = accountState(a.fineFen, a.schedule, paid, on);
  return s.status === 'PAID' || s.status === 'NOT_SERVED' ? undefined : s.dueDate;
}

const withDueDate = (a: PaymentAccount, paid: readonly PaymentLike[], on: string): PaymentAccount => {
  const { dueDate: _old, ...rest } = a;
  const dueDate = queueDate(a, paid, on);
  return dueDate ? { ...rest, dueDate } : rest;
};

function assertDate(date: string, earliest: { date: string; label: string }, latest: string, codes: { early: string; future: string }, path: string): void {
  if (date < earliest.date) throw new BusinessRuleError(codes.early, `${path} ${date} 早于${earliest.label} ${earliest.date}`, [{ path, message: `不早于 ${earliest.date}` }]);
  if (date > latest) throw new BusinessRuleError(codes.future, `${path} ${date} 晚于今天（${latest}）`, [{ path, message: `不晚于 ${latest}` }]);
}

const instalmentView = (i: Instalment) => ({ dueDate: i.dueDate, amount: fenToYuan(i.amountFen) });
const paymentView = ({ amountFen, toFineFen, toSurchargeFen, ...p }: Payment) => ({ ...p, amount: fenToYuan(amountFen), toFine: fenToYuan(toFineFen), toSurcharge: fenToYuan(toSurchargeFen), sourceLabel: PAYMENT_SOURCE_LABELS[p.source] });

export interface AccountView {
  readonly caseId: string;
  readonly version: number;
  readonly asOf: string;
  readonly fine: string;
  readonly paymentReference: string;
  readonly decisionDate: string;
  readonly servedOn: string | null;
  readonly dueDate: string | null;
  readonly schedule: { dueDate: string; amount: string }[] | null;
  readonly arrangement: (Omit<Arrangement, 'schedule'> & { kindLabel: string; schedule: { dueDate: string; amount: string }[] }) | null;
  readonly payments: ReturnType<typeof paymentView>[];
  readonly paid: string;
  readonly surcharge: string;
  readonly surchargeRule: string;
  readonly daysOverdue: number;
  readonly outstanding: string;
  readonly status: AccountState['status'];
  readonly statusLabel: string;
}

function view(a: PaymentAccount, paid: readonly Payment[], on: string): AccountView {
  const s = accountState(a.fineFen, a.schedule, paid, on);
  const last = a.arrangements.at(-1);
  return {
    caseId: a.caseId,
    version: a.version,
    asOf: on,
    fine: fenToYuan(a.fineFen),
    paymentReference: a.paymentReference,
    decisionDate: a.decisionDate,
    servedOn: a.servedOn ?? null,
    dueDate: s.dueDate ?? null,
    schedule: a.schedule ? a.schedule.map(instalmentView) : null,
    arrangement: last ? { ...last, kindLabel: ARRANGEMENT_LABELS[last.kind], schedule: last.schedule.map(instalmentView) } : null,
    payments: paid.map(paymentView),
    paid: fenToYuan(s.paidFen),
    surcharge: fenToYuan(s.surchargeFen),
    surchargeRule: `到期不缴纳的，每日按逾期未缴罚款数额的 ${LATE_SURCHARGE_PERCENT_PER_DAY}% 加处罚款，加处罚款的数额不超出罚款数额（行政处罚法第七十二条；缴款期限为决定书送达之日起 ${PAYMENT_DAYS} 日内）`,
    daysOverdue: s.daysOverdue,
    outstanding: fenToYuan(s.outstandingFen),
    status: s.status,
    statusLabel: PAYMENT_STATUS_LABELS[s.status],
  };
}

/** The account today (or on `ctx.now`'s date): nothing is written. */
export async function account(ctx: Pick<ActionContext, 'now'>, caseId: string): Promise<AccountView> {
  const c = await requireCase(caseId);
  const d = await requireDecision(caseId);
  const a = await loadAccount(c, d, new Date().toISOString());
  return view(a, await payments.paymentsOf(caseId), today(ctx));
}

/** Whether the fine of a case is still unpaid today (for the enforcement deadline, P6); undefined without a fine. */
export async function unpaidFine(c: Case, d: Decision, on: string): Promise<boolean | undefined> {
  try {
    fineOf(d);
  } catch {
    return undefined;
  }
  const a = await loadAccount(c, d, new Date().toISOString());
  return accountState(a.fineFen, a.schedule, await payments.paymentsOf(c.id), on).outstandingFen > 0;
}

// ---------------------------------------------------------------- payments

/** A payment's id: the same source and bank reference is the same payment, however often it is reported. */
const paymentId = (source: string, reference: string): string => {
  // A UUID version 8 (RFC 9562: application-defined) made of the hash.
  const h = createHash('sha256').update(`${source}\n${reference}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export async function recordPayment(ctx: ActionContext, caseId: string, body: PaymentBody): Promise<{ payment: ReturnType<typeof paymentView>; account: AccountView }> {
  const c = await requireCase(caseId);
  const d = await requireDecision(caseId);
  const at = nowIso(ctx);
  const a = await loadAccount(c, d, at);
  if (body.paymentReference !== a.paymentReference) {
    throw new BusinessRuleError('PAYMENT_REFERENCE_MISMATCH', `缴款识别码 ${body.paymentReference} 与本案决定书的缴款识别码不一致，不能登记为本案缴款`, [{ path: 'body.paymentReference', message: '与决定书不一致' }]);
  }
  assertDate(body.paidOn, { date: a.decisionDate, label: '决定日期' }, today(ctx), { early: 'PAYMENT_BEFORE_DECISION', future: 'PAYMENT_DATE_IN_FUTURE' }, 'body.paidOn');
  const amountFen = yuanToFen(body.amount);
  if (amountFen <= 0) throw new BusinessRuleError('PAYMENT_AMOUNT_NOT_POSITIVE', '缴款金额应大于零', [{ path: 'body.amount', message: '应大于零' }]);
  const earlier = await payments.paymentsOf(caseId);
  const id = paymentId(body.source, body.reference);
  const same = earlier.find((p) => p.id === id);
  if (same) throw new ConflictError('PAYMENT_ALREADY_RECORDED', `该笔缴款（${PAYMENT_SOURCE_LABELS[body.source]} ${body.reference}）已于 ${same.recordedAt} 登记`);
  const dueFen = amountDueOn(a.fineFen, a.schedule, earlier, body.paidOn);
  if (amountFen > dueFen) {
    throw new BusinessRuleError(
      'PAYMENT_EXCEEDS_DUE',
      `缴款金额 ${fenToYuan(amountFen)} 元超过截至 ${body.paidOn} 尚应缴纳的 ${fenToYuan(dueFen)} 元（罚款及加处罚款，减去已缴金额）`,
      [{ path: 'body.amount', message: `不超过 ${fenToYuan(dueFen)}`, amountDue: fenToYuan(dueFen) }],
    );
  }
  const payment: Payment = {
    id,
    caseId,
    amountFen,
    paidOn: body.paidOn,
    source: body.source,
    reference: body.reference,
    paymentReference: body.paymentReference,
    ...allocate(a.fineFen, a.paidFen, amountFen),
    recordedBy: ctx.identity.name,
    recordedAt: at,
  };
  const all = [...earlier, payment].sort((x, y) => x.paidOn.localeCompare(y.paidOn));
  const next = withDueDate({ ...a, paidFen: a.paidFen + amountFen, version: a.version + 1, updatedAt: at }, all, today(ctx));
  const after = accountState(next.fineFen, next.schedule, all, today(ctx));
  const writes: Write[] = [
    payments.putPayment(payment),
    payments.putAccount(next, a.version),
    store.putEvent(caseId, {
      type: 'procedure.payment',
      label: after.status === 'PAID' ? `登记缴款 ${fenToYuan(amountFen)} 元，已缴清` : `登记缴款 ${fenToYuan(amountFen)} 元`,
      at,
      by: ctx.identity.name,
      details: { paymentId: id, amount: fenToYuan(amountFen), paidOn: body.paidOn, source: body.source, outstanding: fenToYuan(after.outstandingFen), status: after.status },
    }),
  ];
  // The annual report's fines collected, in the year of payment (the surcharge is not the fine).
  const collected = payment.toFineFen > 0 ? addToAggregate(c.agencyId, yearOf(body.paidOn), { finesCollectedFen: payment.toFineFen }) : undefined;
  if (collected) writes.push(collected);
  await commit(commitContext(ctx), writes, [
    {
      action: 'case.payment',
      entityType: 'Case',
      entityId: caseId,
      change: { paymentId: id, amountFen, paidOn: body.paidOn, source: body.source, reference: body.reference, toFineFen: payment.toFineFen, toSurchargeFen: payment.toSurchargeFen, status: after.status },
    },
  ]);
  return { payment: paymentView(payment), account: view(next, all, today(ctx)) };
}

// ---------------------------------------------------------------- deferral and instalments (APL Art 66)

export async function approveArrangement(ctx: ActionContext, caseId: string, body: ArrangementBody): Promise<AccountView> {
  const c = await requireCase(caseId);
  const d = await requireDecision(caseId);
  const at = nowIso(ctx);
  const a = await loadAccount(c, d, at);
  if (a.version !== body.version) throw new VersionConflictError('缴款账户', body.version, a.version);
  if (!a.servedOn || !a.schedule) throw new ConflictError('DECISION_NOT_SERVED', '决定书尚未送达，缴款期限尚未起算，不能批准暂缓或分期缴纳');
  const paid = await payments.paymentsOf(caseId);
  const on = today(ctx);
  const now = accountState(a.fineFen, a.schedule, paid, on);
  if (now.status === 'PAID') throw new ConflictError('ALREADY_PAID', '罚款已缴清');
  assertDate(body.appliedOn, { date: a.decisionDate, label: '决定日期' }, on, { early: 'APPLICATION_BEFORE_DECISION', future: 'APPLICATION_DATE_IN_FUTURE' }, 'body.appliedOn');
  // Once late, the surcharge runs by law: an arrangement is applied for within the period in force.
  if (now.dueDate && body.appliedOn > now.dueDate) {
    throw new BusinessRuleError('ARRANGEMENT_APPLIED_LATE', `当事人于 ${body.appliedOn} 申请，晚于缴款期限 ${now.dueDate}：暂缓或分期缴纳应在缴款期限内申请（行政处罚法第六十六条）`, [{ path: 'body.appliedOn', message: `不晚于 ${now.dueDate}` }]);
  }
  assertDate(body.approvedOn, { date: body.appliedOn, label: '申请日期' }, on, { early: 'APPROVAL_BEFORE_APPLICATION', future: 'APPROVAL_DATE_IN_FUTURE' }, 'body.approvedOn');
  let schedule: Instalment[];
  if (body.kind === 'DEFERRAL') {
    const current = a.schedule.at(-1)!.dueDate;
    if (body.dueDate! <= current) throw new BusinessRuleError('DEFERRAL_NOT_LATER', `暂缓后的缴款期限 ${body.dueDate} 应晚于现在的期限 ${current}`, [{ path: 'body.dueDate', message: `晚于 ${current}` }]);
    schedule = [{ dueDate: body.dueDate!, amountFen: a.fineFen }];
  } else {
    schedule = body.instalments!.map((i) => ({ dueDate: i.dueDate, amountFen: yuanToFen(i.amount) }));
    const problem = instalmentsProblem(a.fineFen, schedule);
    if (problem) throw new BusinessRuleError('INSTALMENTS_SUM_MISMATCH', problem, [{ path: 'body.instalments', message: problem }]);
    if (schedule[0]!.dueDate < body.approvedOn) {
      throw new BusinessRuleError('INSTALMENT_BEFORE_APPROVAL', `第一期期限 ${schedule[0]!.dueDate} 早于批准日期 ${body.approvedOn}`, [{ path: 'body.instalments.0.dueDate', message: `不早于 ${body.approvedOn}` }]);
    }
  }
  const arrangement: Arrangement = { kind: body.kind, appliedOn: body.appliedOn, reason: body.reason, approver: body.approver, approvedOn: body.approvedOn, schedule, recordedBy: ctx.identity.name, recordedAt: at };
  const next = withDueDate({ ...a, schedule, arrangements: [...a.arrangements, arrangement], version: a.version + 1, updatedAt: at }, paid, on);
  await commit(
    commitContext(ctx),
    [
      payments.putAccount(next, a.version),
      store.putEvent(caseId, {
        type: 'procedure.payment.arrangement',
        label: body.kind === 'DEFERRAL' ? `批准暂缓缴纳罚款至 ${schedule[0]!.dueDate}` : `批准分 ${schedule.length} 期缴纳罚款，最后一期至 ${schedule.at(-1)!.dueDate}`,
        at,
        by: ctx.identity.name,
        details: { kind: body.kind, appliedOn: body.appliedOn, approvedOn: body.approvedOn, schedule: schedule.map(instalmentView) },
      }),
    ],
    // The reason and the approver stay in the case file; the trail has dates and amounts.
    [{ action: 'case.payment.arrangement', entityType: 'Case', entityId: caseId, change: { kind: body.kind, appliedOn: body.appliedOn, approvedOn: body.approvedOn, schedule: schedule.map((i) => ({ dueDate: i.dueDate, amountFen: i.amountFen })) } }],
  );
  return view(next, paid, on);
}

// ---------------------------------------------------------------- the 决定书's service starts the period

/**
 * The writes that put the account in the payment queue when the 决定书 of a decision with a fine is first
 * served (recordService calls this in its own transaction); none for any other document.
 */
export async function onDecisionServed(caseId: string, documentId: string, servedOn: string, at: string): Promise<Write[]> {
  const d = await store.getDecision(caseId);
  if (!d || d.document?.id !== documentId || !d.paymentReference) return [];
  const c = await requireCase(caseId);
  let a: PaymentAccount;
  try {
    a = await loadAccount(c, d, at);
  } catch {
    return [];
  }
  const schedule = a.arrangements.length ? a.schedule : defaultSchedule(a.fineFen, servedOn);
  const next = withDueDate({ ...a, documentId, servedOn, ...(schedule ? { schedule } : {}), version: a.version + 1, updatedAt: at }, await payments.paymentsOf(caseId), shanghaiToday(new Date(at)));
  return [payments.putAccount(next, a.version)];
}
