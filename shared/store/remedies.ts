/**
 * Remedies against a decision (P6) in the Cases table, in the case's item collection. The only code that
 * builds their keys.
 *
 *   CASE#<id> / REMEDY#<remedyId>   a reconsideration or lawsuit, with its outcome once decided
 */
import { GetCommand } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import { ConflictError } from '../domain/errors.ts';
import type { Remedy } from '../domain/remedy.ts';
import { fromItem, withoutKeys } from './items.ts';
import { queryAll } from './query.ts';
import type { Write } from './transact.ts';

const T = 'Cases' as const;
const remedyKey = (caseId: string, id: string) => ({ pk: `CASE#${caseId}`, sk: `REMEDY#${id}` });

export function putRemedy(r: Remedy): Write {
  return {
    kind: 'put',
    table: T,
    item: { ...remedyKey(r.caseId, r.id), entity: 'Remedy', ...r },
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () => new ConflictError('REMEDY_ALREADY_RECORDED', `案号 ${r.caseNumber} 的${r.kind === 'RECONSIDERATION' ? '行政复议' : '行政诉讼'}已经登记`),
  };
}

/** The outcome, once only. */
export function setOutcome(r: Remedy, outcome: NonNullable<Remedy['outcome']>): Write {
  return {
    kind: 'update',
    table: T,
    key: remedyKey(r.caseId, r.id),
    update: 'SET #o = :o',
    condition: 'attribute_exists(pk) AND attribute_not_exists(#o)',
    names: { '#o': 'outcome' },
    values: { ':o': outcome },
    onConditionFailed: () => new ConflictError('OUTCOME_ALREADY_RECORDED', '该复议或诉讼的结果已经登记'),
  };
}

export async function getRemedy(caseId: string, id: string): Promise<Remedy | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: remedyKey(caseId, id), ConsistentRead: true }));
  return fromItem<Remedy>(res.Item);
}

/** The remedies of a case, in the order filed. */
export async function remediesOf(caseId: string): Promise<Remedy[]> {
  const items = await queryAll({ table: T, partition: { name: 'pk', value: `CASE#${caseId}` }, sortCondition: 'begins_with(#sk, :p)', names: { '#sk': 'sk' }, values: { ':p': 'REMEDY#' }, consistent: true });
  return items.map((i) => withoutKeys<Remedy>(i)).sort((a, b) => a.filedOn.localeCompare(b.filedOn) || a.recordedAt.localeCompare(b.recordedAt));
}
