/**
 * What closing a case reads and writes in its item collection (P8):
 *
 *   CASE#<id> / PAYMENT#…            payments towards the fine (written by the payments step): summed here
 *   CASE#<id> / REMEDY#…             reconsideration and litigation (written by the remedies step): open without `outcome`
 *   CASE#<id> / ONDEMAND#<type>      marks that the one on-demand document of a type was made (its DOC# item holds it)
 */
import { yuanToFen } from '../domain/money.ts';
import { ConflictError } from '../domain/errors.ts';
import { queryAll } from './query.ts';
import type { Write } from './transact.ts';

const T = 'Cases' as const;

const range = (caseId: string, prefix: string) =>
  queryAll({ table: T, partition: { name: 'pk', value: `CASE#${caseId}` }, sortCondition: 'begins_with(#sk, :p)', names: { '#sk': 'sk' }, values: { ':p': prefix }, consistent: true });

/** A payment item's amount in fen, whichever way its step spells it (`amountFen`, or `amount` in yuan). */
export function paymentFen(item: Record<string, unknown>): number {
  if (typeof item.amountFen === 'number') return item.amountFen;
  if (typeof item.amount === 'string') return yuanToFen(item.amount);
  if (typeof item.amount === 'number') return Math.round(item.amount * 100);
  return 0;
}

/** Fen paid on the case: every payment item not marked reversed. */
export async function paidFen(caseId: string): Promise<number> {
  return (await range(caseId, 'PAYMENT#')).filter((i) => i.status !== 'REVERSED' && i.reversed !== true).reduce((sum, i) => sum + paymentFen(i), 0);
}

/** Remedies of the case that have no outcome yet. */
export async function openRemedyCount(caseId: string): Promise<number> {
  return (await range(caseId, 'REMEDY#')).filter((i) => i.outcome === undefined || i.outcome === null).length;
}

/** One on-demand document of `type` per case: a second request fails, also when two race. */
export function markOnDemandDocument(caseId: string, type: string, documentId: string, documentNo: string): Write {
  return {
    kind: 'put',
    table: T,
    item: { pk: `CASE#${caseId}`, sk: `ONDEMAND#${type}`, entity: 'OnDemandDocument', caseId, type, documentId, documentNo },
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () => new ConflictError('DOCUMENT_EXISTS', `本案已制作该文书，请查看 GET /cases/${caseId}/documents`),
  };
}
