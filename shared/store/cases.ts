/**
 * Cases in the Cases table: one item collection per case. The only code that builds their keys.
 *
 *   CASE#<id> / CASE                 the case          gsi1: AGENCY#<a>#CASES / <filingDate>#<id>
 *                                                     gsi3 (sparse, while OPEN): DUE#CASE_LIMIT / <decisionDueDate>#<id>
 *   CASE#<id> / ACT#<at>#<actId>     an act (R1)
 *   CASE#<id> / DECISION             the decision      gsi3 (sparse deadline queue): DUE#PUBLICATION / <due>#<id>
 *                                                     or, once a published decision changed: DUE#WITHDRAWAL / <due>#<id>
 *                                                     gsi2 (sparse, while that deadline is provisional): PROVISIONAL#DEADLINES / <year>#<id>
 *   CASE#<id> / EVENT#<at>#<n>       a decision step or publication event, for the timeline
 *   CASE#<id> / REVIEW#<id>          a legal review record (written by the review workflow)
 *   CASE#<id> / DOC#<documentId>     a generated document (P7): number, hash, object key, first service
 *                                                     gsi3 (sparse, a decision not yet served): DUE#SERVICE / <serviceDueDate>#<caseId>#<id>
 *   CASE#<id> / STATEMENT#<id>       the party's statement and defence or waiver (P2), with the response
 *   CASE#<id> / SERVICE#<id>         a service of a document (P4)
 *   COUNTER#<agency>#<year> / COUNTER  case number sequence
 *   DOCNO#<agency>#<type>#<year> / COUNTER  document number sequence per agency, type and year (P7)
 */
import { BatchGetCommand, GetCommand } from '../aws/dynamodb.ts';
import type { BatchGetCommandOutput } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { Act, Case } from '../domain/case.ts';
import { ConflictError } from '../domain/errors.ts';
import { queryAll, queryPage, queueUpTo } from './query.ts';
import type { Page, PageRequest } from './query.ts';
import { versionedPut } from './transact.ts';
import type { Write } from './transact.ts';
import { fromItem, withoutKeys } from './items.ts';
import { reviewsOfCase } from './reviews.ts';
import type { Decision, TimelineEvent } from '../domain/decision-record.ts';
import type { CaseDocument, ServiceRecord, Statement } from '../domain/procedure.ts';

const T = 'Cases' as const;

export const caseKey = (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' });
export const decisionKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'DECISION' });
const counterKey = (agencyId: string, year: number) => ({ pk: `COUNTER#${agencyId}#${year}`, sk: 'COUNTER' });

// ---------- case numbers ----------

/** A gap-free sequence item: `seq` is the last number given (0 when the item does not exist yet). */
async function readSequence(key: { pk: string; sk: string }): Promise<number> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: key, ConsistentRead: true }));
  return (res.Item?.seq as number | undefined) ?? 0;
}

/** Move a sequence from `current` to `current + 1`; fails (with `taken`) if someone else took that number. */
function advanceSequence(key: { pk: string; sk: string }, current: number, taken: () => Error): Write {
  return {
    kind: 'update',
    table: T,
    key,
    update: 'SET #seq = :next',
    condition: current === 0 ? 'attribute_not_exists(pk)' : '#seq = :current',
    names: { '#seq': 'seq' },
    values: { ':next': current + 1, ...(current === 0 ? {} : { ':current': current }) },
    onConditionFailed: taken,
  };
}

export const readCounter = (agencyId: string, year: number): Promise<number> => readSequence(counterKey(agencyId, year));

/** Move the counter from `current` to `current + 1`; fails if someone else took that number. */
export const advanceCounter = (agencyId: string, year: number, current: number): Write => advanceSequence(counterKey(agencyId, year), current, () => new CaseNumberTakenError());

export class CaseNumberTakenError extends ConflictError {
  constructor() {
    super('CASE_NUMBER_TAKEN', '案件编号已被占用，请重试');
  }
}

// ---------- cases ----------

export const CASE_LIMIT_QUEUE = 'DUE#CASE_LIMIT';
export const PUBLICATION_QUEUE = 'DUE#PUBLICATION';

function caseItem(c: Case): Record<string, unknown> {
  // Open cases wait in the 90-day queue (N11) by their decision due date; a decided case leaves it.
  const queue = c.status === 'OPEN' ? { gsi3pk: CASE_LIMIT_QUEUE, gsi3sk: `${c.decisionDueDate}#${c.id}` } : {};
  return { ...caseKey(c.id), entity: 'Case', gsi1pk: `AGENCY#${c.agencyId}#CASES`, gsi1sk: `${c.filingDate}#${c.id}`, ...queue, ...c };
}

/** Open cases whose decision is due by `upTo` (overdue included): read from the sparse queue only. */
export async function casesDueBy(upTo: string): Promise<Case[]> {
  return (await queueUpTo(T, 'gsi3', CASE_LIMIT_QUEUE, upTo)).map((i) => withoutKeys<Case>(i));
}

export const WITHDRAWAL_QUEUE = 'DUE#WITHDRAWAL';

/** Published decisions whose withdrawal (N4) is due by `upTo`: the sparse queue only. */
export async function withdrawalsDueBy(upTo: string): Promise<Decision[]> {
  return (await queueUpTo(T, 'gsi3', WITHDRAWAL_QUEUE, upTo)).map((i) => withoutKeys<Decision>(i));
}

/** Issued decisions whose publication is due by `upTo` (overdue included): the sparse queue only. */
export async function publicationsDueBy(upTo: string): Promise<Decision[]> {
  return (await queueUpTo(T, 'gsi3', PUBLICATION_QUEUE, upTo)).map((i) => withoutKeys<Decision>(i));
}

export function putNewCase(c: Case): Write {
  return { kind: 'put', table: T, item: caseItem(c), condition: 'attribute_not_exists(pk)' };
}

/**
 * One marker per handling officer (written with the case: the handlers are fixed at filing), indexed
 * by officer: `CASE#<id> / HANDLER#<officerId>`, gsi2 `HANDLER#<officerId> / <filingDate>#<id>`. A
 * case item has one gsi2 key and a case two or more handlers, hence the markers.
 */
export function putHandlerMarkers(c: Pick<Case, 'id' | 'filingDate' | 'handlingOfficerIds'>): Write[] {
  return [...new Set(c.handlingOfficerIds)].map((officerId) => ({
    kind: 'put' as const,
    table: T,
    item: { pk: `CASE#${c.id}`, sk: `HANDLER#${officerId}`, entity: 'CaseHandler', gsi2pk: `HANDLER#${officerId}`, gsi2sk: `${c.filingDate}#${c.id}`, caseId: c.id, officerId },
    condition: 'attribute_not_exists(pk)',
  }));
}

/** The cases an officer handles, newest filing first: a page of markers, then the cases themselves. */
export async function casesHandledBy(officerId: string, page: PageRequest): Promise<Page<Case>> {
  const res = await queryPage(
    {
      table: T,
      index: 'gsi2',
      keyAttributes: ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
      partition: { name: 'gsi2pk', value: `HANDLER#${officerId}` },
      fingerprint: { handler: officerId },
      forward: false,
    },
    page,
  );
  const ids = res.items.map((i) => i.caseId as string);
  const cases = await casesByIds(ids);
  return { items: ids.map((id) => cases.get(id)).filter((c): c is Case => c !== undefined), nextCursor: res.nextCursor };
}

export function replaceCase(c: Case, expectedVersion: number): Write {
  return versionedPut(T, caseItem(c), expectedVersion, '案件');
}

export async function getCase(id: string): Promise<Case | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: caseKey(id), ConsistentRead: true }));
  return fromItem<Case>(res.Item);
}

/** Several cases in as few round trips as DynamoDB allows (100 keys a call), eventually consistent. */
export async function casesByIds(ids: readonly string[]): Promise<Map<string, Case>> {
  const out = new Map<string, Case>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((id) => caseKey(id));
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      const res: BatchGetCommandOutput = await documentClient().send(new BatchGetCommand({ RequestItems: { [tableName(T)]: { Keys: keys } } }));
      for (const item of res.Responses?.[tableName(T)] ?? []) {
        const c = withoutKeys<Case>(item);
        out.set(c.id, c);
      }
      keys = res.UnprocessedKeys?.[tableName(T)]?.Keys;
      if (keys && keys.length > 0) {
        if (attempt >= 8) throw new Error('BatchGetItem kept returning unprocessed keys');
        await new Promise((r) => setTimeout(r, 2 ** attempt * 20));
      }
    }
  }
  return out;
}

export async function listCases(agencyId: string, page: PageRequest): Promise<Page<Case>> {
  const res = await queryPage(
    {
      table: T,
      index: 'gsi1',
      keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      partition: { name: 'gsi1pk', value: `AGENCY#${agencyId}#CASES` },
      fingerprint: {},
      forward: false,
    },
    page,
  );
  return { items: res.items.map((i) => withoutKeys<Case>(i)), nextCursor: res.nextCursor };
}

// ---------- acts and timeline events ----------

export function putAct(a: Act): Write {
  // The key sorts by instant (UTC), whatever offset the act's time was given in.
  return { kind: 'put', table: T, item: { pk: `CASE#${a.caseId}`, sk: `ACT#${new Date(a.at).toISOString()}#${a.id}`, entity: 'Act', ...a }, condition: 'attribute_not_exists(pk)' };
}

export function putEvent(caseId: string, e: TimelineEvent, n = 0): Write {
  return {
    kind: 'put',
    table: T,
    item: { pk: `CASE#${caseId}`, sk: `EVENT#${e.at}#${n}#${e.type}`, entity: 'Event', ...e },
    condition: 'attribute_not_exists(pk)',
  };
}

/** The acts of a case (R1), in time order: the `ACT#` range of its collection only. */
export async function actsOf(caseId: string): Promise<Act[]> {
  const items = await queryAll({ table: T, partition: { name: 'pk', value: `CASE#${caseId}` }, sortCondition: 'begins_with(#sk, :p)', names: { '#sk': 'sk' }, values: { ':p': 'ACT#' }, consistent: true });
  return items.map((i) => withoutKeys<Act>(i));
}

/** Everything in a case's item collection (a case holds tens to hundreds of items). */
export async function caseCollection(caseId: string): Promise<Record<string, unknown>[]> {
  return queryAll({ table: T, partition: { name: 'pk', value: `CASE#${caseId}` }, consistent: true });
}

// ---------- decisions ----------

function decisionItem(d: Decision): Record<string, unknown> {
  // One queue at a time: publication while issued (D7), withdrawal once a published decision changed (N4).
  const due =
    d.status === 'ISSUED' && d.publicationDue
      ? { gsi3pk: PUBLICATION_QUEUE, gsi3sk: `${d.publicationDue.dueDate}#${d.caseId}` }
      : d.status === 'PUBLISHED' && d.pendingWithdrawal
        ? { gsi3pk: WITHDRAWAL_QUEUE, gsi3sk: `${d.pendingWithdrawal.dueDate}#${d.caseId}` }
        : {};
  return { ...decisionKey(d.caseId), entity: 'Decision', ...due, ...provisionalMark(d), ...d };
}

export const PROVISIONAL_QUEUE = 'PROVISIONAL#DEADLINES';

/** The live deadline of a decision that was counted provisionally (a year without holiday data), if any. */
export function liveProvisional(d: Decision): { readonly kind: 'publication' | 'withdrawal'; readonly missingYears: readonly number[] } | undefined {
  if (d.status === 'ISSUED' && d.publicationDue?.provisional) return { kind: 'publication', missingYears: d.publicationDue.provisional.missingYears };
  if (d.status === 'PUBLISHED' && d.pendingWithdrawal?.provisional) return { kind: 'withdrawal', missingYears: d.pendingWithdrawal.provisional.missingYears };
  return undefined;
}

/**
 * Sparse gsi2 entry while a live deadline is provisional, keyed by the first missing year: entering a
 * year reads exactly the deadlines that waited for it (`provisionalDecisions`), never the table.
 */
function provisionalMark(d: Decision): Record<string, string> {
  const live = liveProvisional(d);
  return live ? { gsi2pk: PROVISIONAL_QUEUE, gsi2sk: `${String(live.missingYears[0]).padStart(4, '0')}#${d.caseId}` } : {};
}

/** Decisions whose live deadline is provisional: all of them, or those waiting for years up to `upToYear`. */
export async function provisionalDecisions(upToYear?: number): Promise<Decision[]> {
  const items = await queryAll({
    table: T,
    index: 'gsi2',
    partition: { name: 'gsi2pk', value: PROVISIONAL_QUEUE },
    ...(upToYear !== undefined ? { sortCondition: '#sk <= :to', names: { '#sk': 'gsi2sk' }, values: { ':to': `${String(upToYear).padStart(4, '0')}#~` } } : {}),
  });
  return items.map((i) => withoutKeys<Decision>(i));
}

export async function getDecision(caseId: string): Promise<Decision | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: decisionKey(caseId), ConsistentRead: true }));
  return fromItem<Decision>(res.Item);
}

export function putDecision(d: Decision, expectedVersion: number): Write {
  return versionedPut(T, decisionItem(d), expectedVersion, '决定');
}

/** A passed legal review of exactly this draft (by its content hash): the only key to the gate (L1). */
export async function findPassedReview(caseId: string, draftHash: string): Promise<{ pk: string; sk: string } | undefined> {
  const passed = (await reviewsOfCase(caseId)).find((r) => r.status === 'PASSED' && r.draftHash === draftHash);
  return passed ? { pk: `CASE#${caseId}`, sk: `REVIEW#${passed.id}` } : undefined;
}

// ---------- penalty procedure: documents, statements, services (P1–P4, P7) ----------

const documentKey = (caseId: string, documentId: string) => ({ pk: `CASE#${caseId}`, sk: `DOC#${documentId}` });
const statementKey = (caseId: string, statementId: string) => ({ pk: `CASE#${caseId}`, sk: `STATEMENT#${statementId}` });
const documentCounterKey = (agencyId: string, type: string, year: number) => ({ pk: `DOCNO#${agencyId}#${type}#${year}`, sk: 'COUNTER' });

/** The last number given to a document of `type` in `year` by `agencyId` (0 when none). */
export const readDocumentCounter = (agencyId: string, type: string, year: number): Promise<number> => readSequence(documentCounterKey(agencyId, type, year));

/** Move the document counter from `current` to `current + 1`: numbers are never reused (P7). */
export const advanceDocumentCounter = (agencyId: string, type: string, year: number, current: number): Write =>
  advanceSequence(documentCounterKey(agencyId, type, year), current, () => new DocumentNumberTakenError());

export class DocumentNumberTakenError extends ConflictError {
  constructor() {
    super('DOCUMENT_NUMBER_TAKEN', '文书编号已被占用，请重试');
  }
}

export const SERVICE_QUEUE = 'DUE#SERVICE';

export function putDocument(d: CaseDocument): Write {
  // A decision to be served waits in the service queue (P4) until its first service is recorded.
  const queue = d.serviceDueDate && !d.servedOn ? { gsi3pk: SERVICE_QUEUE, gsi3sk: `${d.serviceDueDate}#${d.caseId}#${d.id}` } : {};
  return { kind: 'put', table: T, item: { ...documentKey(d.caseId, d.id), entity: 'Document', ...queue, ...d }, condition: 'attribute_not_exists(pk)' };
}

/** Documents whose service is due by `upTo` (overdue included) and not yet recorded: the sparse queue only. */
export async function servicesDueBy(upTo: string): Promise<CaseDocument[]> {
  return (await queueUpTo(T, 'gsi3', SERVICE_QUEUE, upTo)).map((i) => withoutKeys<CaseDocument>(i));
}

/** The document with its first effective service date; fails if another service got there first. */
export function markDocumentServed(d: CaseDocument, servedOn: string): Write {
  return {
    kind: 'update',
    table: T,
    key: documentKey(d.caseId, d.id),
    // Served: out of the service queue (P4).
    update: 'SET #s = :s REMOVE gsi3pk, gsi3sk',
    condition: 'attribute_exists(pk) AND attribute_not_exists(#s)',
    names: { '#s': 'servedOn' },
    values: { ':s': servedOn },
    onConditionFailed: () => new ConflictError('DOCUMENT_CHANGED', '文书的送达情况已被他人更新，请重新读取后再提交'),
  };
}

export async function getDocument(caseId: string, documentId: string): Promise<CaseDocument | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: documentKey(caseId, documentId), ConsistentRead: true }));
  return fromItem<CaseDocument>(res.Item);
}

const rangeOf = async <X>(caseId: string, prefix: string): Promise<X[]> =>
  (await queryAll({ table: T, partition: { name: 'pk', value: `CASE#${caseId}` }, sortCondition: 'begins_with(#sk, :p)', names: { '#sk': 'sk' }, values: { ':p': prefix }, consistent: true })).map((i) =>
    withoutKeys<X>(i),
  );

/** The documents of a case, oldest first. */
export async function documentsOf(caseId: string): Promise<CaseDocument[]> {
  return (await rangeOf<CaseDocument>(caseId, 'DOC#')).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.documentNo.localeCompare(b.documentNo));
}

export function putStatement(s: Statement): Write {
  return { kind: 'put', table: T, item: { ...statementKey(s.caseId, s.id), entity: 'Statement', ...s }, condition: 'attribute_not_exists(pk)' };
}

/** The statement with its written response; only once. */
export function answerStatement(s: Statement, response: NonNullable<Statement['response']>): Write {
  return {
    kind: 'update',
    table: T,
    key: statementKey(s.caseId, s.id),
    update: 'SET #r = :r',
    condition: 'attribute_exists(pk) AND attribute_not_exists(#r)',
    names: { '#r': 'response' },
    values: { ':r': response },
    onConditionFailed: () => new ConflictError('STATEMENT_ALREADY_ANSWERED', '该陈述、申辩已有书面复核意见'),
  };
}

export async function getStatement(caseId: string, statementId: string): Promise<Statement | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: statementKey(caseId, statementId), ConsistentRead: true }));
  return fromItem<Statement>(res.Item);
}

/** The statements of a case, in the order received. */
export async function statementsOf(caseId: string): Promise<Statement[]> {
  return (await rangeOf<Statement>(caseId, 'STATEMENT#')).sort((a, b) => a.receivedOn.localeCompare(b.receivedOn) || a.recordedAt.localeCompare(b.recordedAt));
}

export function putService(s: ServiceRecord): Write {
  return { kind: 'put', table: T, item: { pk: `CASE#${s.caseId}`, sk: `SERVICE#${s.id}`, entity: 'Service', ...s }, condition: 'attribute_not_exists(pk)' };
}

/** The services of a case, in the order served. */
export async function servicesOf(caseId: string): Promise<ServiceRecord[]> {
  return (await rangeOf<ServiceRecord>(caseId, 'SERVICE#')).sort((a, b) => a.servedOn.localeCompare(b.servedOn) || a.recordedAt.localeCompare(b.recordedAt));
}
