/**
 * The hearing's items in the case's collection (P3). The hearing's state is on the case item (its
 * version guards every step); the 听证笔录's text, which can be long, is an item of its own:
 *
 *   CASE#<id> / HEARING_RECORD#<documentId>   the record's content (append-only)
 */
import type { HearingRecord } from '../domain/hearing.ts';
import type { CaseDocument } from '../domain/procedure.ts';
import { documentsOf } from './cases.ts';
import { withoutKeys } from './items.ts';
import { queryAll } from './query.ts';
import type { Write } from './transact.ts';

const T = 'Cases' as const;
const recordKey = (caseId: string, documentId: string) => ({ pk: `CASE#${caseId}`, sk: `HEARING_RECORD#${documentId}` });

export function putHearingRecord(r: HearingRecord): Write {
  return { kind: 'put', table: T, item: { ...recordKey(r.caseId, r.documentId), entity: 'HearingRecord', ...r }, condition: 'attribute_not_exists(pk)' };
}

/** The hearing records of a case, oldest first (a new notice may give the party a second hearing). */
export async function hearingRecordsOf(caseId: string): Promise<HearingRecord[]> {
  const items = await queryAll({ table: T, partition: { name: 'pk', value: `CASE#${caseId}` }, sortCondition: 'begins_with(#sk, :p)', names: { '#sk': 'sk' }, values: { ':p': 'HEARING_RECORD#' }, consistent: true });
  return items.map((i) => withoutKeys<HearingRecord>(i)).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
}

export const HEARING_DOCUMENT_TYPES = ['HEARING_NOTICE', 'HEARING_RECORD'] as const;

/** The case's 听证通知书 and 听证笔录, oldest first. */
export async function hearingDocumentsOf(caseId: string): Promise<CaseDocument[]> {
  return (await documentsOf(caseId)).filter((d) => (HEARING_DOCUMENT_TYPES as readonly string[]).includes(d.type));
}
