/**
 * Evidence records in the Cases table. The only code that builds their keys.
 *
 *   EVIDENCE#<id> / EVIDENCE       an evidence record      gsi1: CASE#<caseId>#EVIDENCE / <capturedAt>#<id>
 *                                  until sealed, rejected or aborted, gsi3 (sparse queue): DUE#UPLOAD_ABANDON / <abandonAt>#<id>
 *                                  once aborted, gsi3: LOG#UPLOAD_ABORTED / <abortedAt>#<id> (the daily digest's report)
 *                                  while sealed, gsi3 (sparse queue): DUE#EVIDENCE_VERIFY / <integrity.nextDueAt>#<id>
 *                                  (the scheduled re-verification reads what is due, never the table)
 *   CASE#<caseId> / RECEXC#<actId> an admin's explained exception to the recording rules (R5)
 */
import { GetCommand, QueryCommand } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import { ABANDON_AFTER_MS } from '../domain/evidence.ts';
import type { Evidence } from '../domain/evidence.ts';
import type { RecordingException } from '../domain/recording-rules.ts';
import { fromItem, withoutKeys } from './items.ts';
import { queryAll, queryPage, queueUpTo } from './query.ts';
import type { Page, PageRequest } from './query.ts';
import { versionedPut } from './transact.ts';
import type { Write } from './transact.ts';

const T = 'Cases' as const;
const ABANDON_QUEUE = 'DUE#UPLOAD_ABANDON';
const ABORTED_LOG = 'LOG#UPLOAD_ABORTED';
const VERIFY_QUEUE = 'DUE#EVIDENCE_VERIFY';

export const evidenceKey = (id: string) => ({ pk: `EVIDENCE#${id}`, sk: 'EVIDENCE' });

function evidenceItem(e: Evidence): Record<string, unknown> {
  const abandonAt = new Date(Date.parse(e.createdAt) + ABANDON_AFTER_MS).toISOString();
  // Until sealed, rejected or aborted: an upload whose object never arrived or was never verified is due.
  const queue =
    e.status === 'UPLOADING' || e.status === 'VERIFYING'
      ? { gsi3pk: ABANDON_QUEUE, gsi3sk: `${abandonAt}#${e.id}` }
      : e.status === 'ABORTED' && e.abortedAt
        ? // Kept by time, so the daily digest can report the uploads aborted since the day before.
          { gsi3pk: ABORTED_LOG, gsi3sk: `${e.abortedAt}#${e.id}` }
        : e.status === 'SEALED' && e.integrity?.nextDueAt
          ? // The scheduled re-verification's queue (issue 10): leaves it when it fails.
            { gsi3pk: VERIFY_QUEUE, gsi3sk: `${e.integrity.nextDueAt}#${e.id}` }
          : {};
  return { ...evidenceKey(e.id), entity: 'Evidence', gsi1pk: `CASE#${e.caseId}#EVIDENCE`, gsi1sk: `${e.capturedAt}#${e.id}`, ...queue, ...e };
}

export function putEvidence(e: Evidence, expectedVersion: number): Write {
  return versionedPut(T, evidenceItem(e), expectedVersion, '证据');
}

export async function getEvidence(id: string): Promise<Evidence | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: evidenceKey(id), ConsistentRead: true }));
  return fromItem<Evidence>(res.Item);
}

const CASE_EVIDENCE_KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];

export async function listCaseEvidence(caseId: string, page: PageRequest): Promise<Page<Evidence>> {
  const res = await queryPage(
    { table: T, index: 'gsi1', keyAttributes: CASE_EVIDENCE_KEYS, partition: { name: 'gsi1pk', value: `CASE#${caseId}#EVIDENCE` }, fingerprint: {} },
    page,
  );
  return { items: res.items.map((i) => withoutKeys<Evidence>(i)), nextCursor: res.nextCursor };
}

/** Every evidence record of a case (a case holds tens to hundreds), for the recording-gaps rule. */
export async function allCaseEvidence(caseId: string): Promise<Evidence[]> {
  const items = await queryAll({ table: T, index: 'gsi1', partition: { name: 'gsi1pk', value: `CASE#${caseId}#EVIDENCE` } });
  return items.map((i) => withoutKeys<Evidence>(i));
}

/** Uploads not yet sealed, rejected or aborted whose 24 hours ran out by `now`: read from the sparse queue only. */
export async function abandonedUploads(now: Date): Promise<Evidence[]> {
  return (await queueUpTo(T, 'gsi3', ABANDON_QUEUE, now.toISOString())).map((i) => withoutKeys<Evidence>(i));
}

/**
 * Sealed evidence whose next integrity check is due by `now`, oldest first, a page at a time: the
 * caller stops when its budget is spent, so a run reads what it checks (and one page at most beyond).
 * Eventually consistent (an index); the caller's versioned write catches a record changed meanwhile.
 */
export async function* verificationsDue(now: Date, pageSize = 100): AsyncGenerator<Evidence> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(new QueryCommand({ ...dueRange(now), Limit: pageSize, ExclusiveStartKey: startKey }));
    for (const item of res.Items ?? []) yield withoutKeys<Evidence>(item);
    startKey = res.LastEvaluatedKey;
  } while (startKey);
}

/** How many checks are due by `now` (a count over the due range only: what a run left for the next). */
export async function countVerificationsDue(now: Date): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(new QueryCommand({ ...dueRange(now), Select: 'COUNT', ExclusiveStartKey: startKey }));
    count += res.Count ?? 0;
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** The verification queue up to `now`: the sparse index's due range, never the table. */
const dueRange = (now: Date) => ({
  TableName: tableName(T),
  IndexName: 'gsi3',
  KeyConditionExpression: '#pk = :pk AND #sk <= :to',
  ExpressionAttributeNames: { '#pk': 'gsi3pk', '#sk': 'gsi3sk' },
  ExpressionAttributeValues: { ':pk': VERIFY_QUEUE, ':to': `${now.toISOString()}#~` },
});

/** Uploads aborted in [from, to) (ISO instants): a time range of the sparse log, never the table. */
export async function uploadsAbortedBetween(from: string, to: string): Promise<Evidence[]> {
  const items = await queryAll({ table: T, index: 'gsi3', partition: { name: 'gsi3pk', value: ABORTED_LOG }, sortCondition: '#sk BETWEEN :from AND :to', names: { '#sk': 'gsi3sk' }, values: { ':from': from, ':to': `${to}` } });
  return items.map((i) => withoutKeys<Evidence>(i)).filter((e) => (e.abortedAt ?? '') < to);
}

// ---------- recording exceptions ----------

export const recordingExceptionKey = (caseId: string, actId: string) => ({ pk: `CASE#${caseId}`, sk: `RECEXC#${actId}` });

export function putRecordingException(x: RecordingException): Write {
  return {
    kind: 'put',
    table: T,
    item: { ...recordingExceptionKey(x.caseId, x.actId), entity: 'RecordingException', ...x },
    condition: 'attribute_not_exists(pk)',
  };
}

export async function recordingExceptions(caseId: string): Promise<RecordingException[]> {
  const items = await queryAll({
    table: T,
    partition: { name: 'pk', value: `CASE#${caseId}` },
    sortCondition: 'begins_with(#sk, :p)',
    names: { '#sk': 'sk' },
    values: { ':p': 'RECEXC#' },
    consistent: true,
  });
  return items.map((i) => withoutKeys<RecordingException>(i));
}
