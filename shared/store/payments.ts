/**
 * Fine payments (P5) in the Cases table, in the case's item collection. The only code that builds their keys.
 *
 *   CASE#<id> / PAYMENT              the payment account: schedule in force, arrangements, paid total
 *                                    gsi3 (sparse, while something is unpaid): DUE#PAYMENT / <dueDate>#<caseId>
 *   CASE#<id> / PAYMENT#<paymentId>  a confirmed payment (append-only; the id derives from source and reference)
 */
import { GetCommand } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import { ConflictError } from '../domain/errors.ts';
import type { Payment, PaymentAccount } from '../domain/payment.ts';
import { fromItem, withoutKeys } from './items.ts';
import { queryAll, queueUpTo } from './query.ts';
import { versionedPut } from './transact.ts';
import type { Write } from './transact.ts';

const T = 'Cases' as const;
export const PAYMENT_QUEUE = 'DUE#PAYMENT';

const accountKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'PAYMENT' });

function accountItem(a: PaymentAccount): Record<string, unknown> {
  // Waits in the payment queue by the earliest unpaid due date; leaves it once paid in full.
  const queue = a.dueDate ? { gsi3pk: PAYMENT_QUEUE, gsi3sk: `${a.dueDate}#${a.caseId}` } : {};
  return { ...accountKey(a.caseId), entity: 'PaymentAccount', ...queue, ...a };
}

export async function getAccount(caseId: string): Promise<PaymentAccount | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: accountKey(caseId), ConsistentRead: true }));
  return fromItem<PaymentAccount>(res.Item);
}

/** New (expected 0) or still at the version read: two payments of one case are serialised here. */
export function putAccount(a: PaymentAccount, expectedVersion: number): Write {
  return versionedPut(T, accountItem(a), expectedVersion, '缴款账户');
}

/**
 * Accounts with something unpaid whose earliest due date is on or before `upTo`: the sparse queue only,
 * never a Scan. The daily check asks with yesterday for those overdue (today for those due today too).
 */
export async function overduePayments(upTo: string): Promise<PaymentAccount[]> {
  return (await queueUpTo(T, 'gsi3', PAYMENT_QUEUE, upTo)).map((i) => withoutKeys<PaymentAccount>(i));
}

export function putPayment(p: Payment): Write {
  return {
    kind: 'put',
    table: T,
    item: { pk: `CASE#${p.caseId}`, sk: `PAYMENT#${p.id}`, entity: 'Payment', ...p },
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () => new ConflictError('PAYMENT_ALREADY_RECORDED', `该笔缴款（${p.reference}）已经登记`),
  };
}

/** The payments of a case, in the order paid. */
export async function paymentsOf(caseId: string): Promise<Payment[]> {
  const items = await queryAll({ table: T, partition: { name: 'pk', value: `CASE#${caseId}` }, sortCondition: 'begins_with(#sk, :p)', names: { '#sk': 'sk' }, values: { ':p': 'PAYMENT#' }, consistent: true });
  return items.map((i) => withoutKeys<Payment>(i)).sort((a, b) => a.paidOn.localeCompare(b.paidOn) || a.recordedAt.localeCompare(b.recordedAt));
}
