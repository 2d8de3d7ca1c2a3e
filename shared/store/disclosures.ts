/**
 * The Disclosures table: only redacted, published records. The only code that builds its keys.
 *
 *   DECISION#<publicId> / CURRENT     the record as the public sees it now (status PUBLIC | WITHDRAWN | EXPIRED)
 *   DECISION#<publicId> / V#<000001>  every public version (corrections keep the earlier ones, D10)
 *   DECISION#<publicId> / IDX#<name>  one small item per way of finding the record, each on gsi1:
 *       ALL / <date>#<id>            KIND#<kind> / <date>#<id>        AGENCY#<a> / <date>#<id>
 *       AGENCY#<a>#KIND#<kind> / <date>#<id>   CREDIT#<code> / <date>#<id>
 *       PARTY / <normalised name>#<date>#<id>   DECNO#<no> / <id>
 *     Withdrawn or expired records keep their index items but without gsi1 keys, so they leave
 *     every list (sparse index) without anything being deleted.
 *   DECISION#<publicId> / PROOF#<chain>#<seq>  one per audit event that published, corrected, withdrew
 *     or ended the record (issue 12): chain, seq, event hash, action, time — never the event's change.
 *     Written in the event's own transaction, and never rewritten (the record's own puts leave them).
 */
import { GetCommand } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import { normaliseName, toSummary } from '../domain/disclosure.ts';
import { isProofAction } from '../domain/disclosure.ts';
import type { ProofRef, PublicDecision, PublicDecisionSummary } from '../domain/disclosure.ts';
import type { AuditEvent } from '../domain/audit.ts';
import { queryAll, queryPage } from './query.ts';
import type { Page, PageRequest } from './query.ts';
import type { Write } from './transact.ts';

const T = 'Disclosures' as const;
const pad = (n: number) => String(n).padStart(6, '0');
const pk = (id: string) => `DECISION#${id}`;

export type PublicStatus = 'PUBLIC' | 'WITHDRAWN' | 'EXPIRED';

export interface StoredRecord {
  readonly status: PublicStatus;
  readonly record: PublicDecision;
  readonly withdrawnOn?: string;
  readonly withdrawalGround?: string;
}

function indexEntries(d: PublicDecision): { name: string; gsi1pk: string; gsi1sk: string }[] {
  const dated = `${d.decisionDate}#${d.id}`;
  const out = [
    { name: 'ALL', gsi1pk: 'ALL', gsi1sk: dated },
    { name: 'AGENCY', gsi1pk: `AGENCY#${d.agencyId}`, gsi1sk: dated },
    { name: 'PARTY', gsi1pk: 'PARTY', gsi1sk: `${normaliseName(d.party.name)}#${dated}` },
    { name: 'DECNO', gsi1pk: `DECNO#${d.decisionNo}`, gsi1sk: d.id },
  ];
  // N1: a warning-only penalty is public, but not in the penalty register.
  if (d.kind !== 'PENALTY' || d.penaltyRegister) {
    out.push({ name: 'KIND', gsi1pk: `KIND#${d.kind}`, gsi1sk: dated });
    // Agency and kind together are the commonest combined search: a key of its own, not a filter.
    out.push({ name: 'AGENCY_KIND', gsi1pk: `AGENCY#${d.agencyId}#KIND#${d.kind}`, gsi1sk: dated });
  }
  if (d.party.creditCode) out.push({ name: 'CREDIT', gsi1pk: `CREDIT#${d.party.creditCode}`, gsi1sk: dated });
  return out;
}

const INDEX_NAMES = ['ALL', 'AGENCY', 'PARTY', 'DECNO', 'KIND', 'AGENCY_KIND', 'CREDIT'];

export const DISCLOSURE_END_QUEUE = 'DUE#DISCLOSURE_END';

/** Public records whose disclosure period ended before `today`: read from the sparse queue only. */
export async function disclosuresEndedBefore(today: string): Promise<PublicDecision[]> {
  const items = await queryAll({ table: T, index: 'gsi2', partition: { name: 'gsi2pk', value: DISCLOSURE_END_QUEUE }, sortCondition: '#sk < :today', names: { '#sk': 'gsi2sk' }, values: { ':today': `${today}#` } });
  return items.map((i) => (i as unknown as StoredRecord).record);
}

/** All writes that put a record (first publication or correction) in public view. */
export function publishWrites(d: PublicDecision, expectedPreviousVersion: number): Write[] {
  const summary = toSummary(d);
  const filterable = { kind: d.kind, agencyId: d.agencyId, creditCode: d.party.creditCode, partyName: normaliseName(d.party.name), decisionDate: d.decisionDate };
  const writes: Write[] = [
    {
      kind: 'put',
      table: T,
      // While public, the record waits in the end-of-disclosure queue (N5).
      item: { pk: pk(d.id), sk: 'CURRENT', entity: 'PublicDecision', status: 'PUBLIC', record: d, gsi2pk: DISCLOSURE_END_QUEUE, gsi2sk: `${d.disclosureEndsOn}#${d.id}` },
      ...(expectedPreviousVersion === 0
        ? { condition: 'attribute_not_exists(pk)' }
        : { condition: '#r.#v = :v AND #s = :public', names: { '#r': 'record', '#v': 'publicVersion', '#s': 'status' }, values: { ':v': expectedPreviousVersion, ':public': 'PUBLIC' } }),
    },
    { kind: 'put', table: T, item: { pk: pk(d.id), sk: `V#${pad(d.publicVersion)}`, entity: 'PublicDecisionVersion', record: d }, condition: 'attribute_not_exists(pk)' },
  ];
  const entries = indexEntries(d);
  for (const name of INDEX_NAMES) {
    const e = entries.find((x) => x.name === name);
    writes.push({
      kind: 'put',
      table: T,
      item: { pk: pk(d.id), sk: `IDX#${name}`, entity: 'PublicDecisionIndex', summary, ...filterable, ...(e ? { gsi1pk: e.gsi1pk, gsi1sk: e.gsi1sk } : {}) },
    });
  }
  return writes;
}

/** Take a record out of every list; its detail then answers 410 (D11, N5). */
export function removeFromViewWrites(d: PublicDecision, status: Exclude<PublicStatus, 'PUBLIC'>, extra: { withdrawnOn?: string; withdrawalGround?: string }): Write[] {
  return [
    {
      kind: 'put',
      table: T,
      item: { pk: pk(d.id), sk: 'CURRENT', entity: 'PublicDecision', status, record: d, ...extra },
      condition: '#s = :public',
      names: { '#s': 'status' },
      values: { ':public': 'PUBLIC' },
    },
    ...INDEX_NAMES.map(
      (name): Write => ({ kind: 'put', table: T, item: { pk: pk(d.id), sk: `IDX#${name}`, entity: 'PublicDecisionIndex', status, summary: toSummary(d) } }),
    ),
  ];
}

export async function getRecord(id: string): Promise<StoredRecord | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: { pk: pk(id), sk: 'CURRENT' } }));
  if (!res.Item) return undefined;
  const { status, record, withdrawnOn, withdrawalGround } = res.Item as StoredRecord;
  return { status, record, ...(withdrawnOn ? { withdrawnOn } : {}), ...(withdrawalGround ? { withdrawalGround } : {}) };
}

const PROOF_PREFIX = 'PROOF#';

/**
 * The references a record keeps to the audit events of its publication (issue 12), as writes for the
 * same transaction: `commit` hands over the chained events (with chain, seq and hash) before it sends
 * anything. Only the public actions are kept; other events of the same commit are not referenced.
 */
export function proofRefWrites(publicId: string, events: readonly AuditEvent[]): Write[] {
  return events
    .filter((e) => isProofAction(e.action))
    .map((e): Write => {
      const ref: ProofRef = { chain: e.chain, seq: e.seq, eventHash: e.hash, action: e.action as ProofRef['action'], at: e.at };
      return {
        kind: 'put',
        table: T,
        item: { pk: pk(publicId), sk: `${PROOF_PREFIX}${e.chain}#${String(e.seq).padStart(12, '0')}`, entity: 'PublicDecisionProofRef', ...ref },
        // An event has one place in its chain: never overwrite a reference.
        condition: 'attribute_not_exists(pk)',
      };
    });
}

/** A record's proof references, oldest first. One Query of the record's own item collection. */
export async function getProofRefs(publicId: string): Promise<ProofRef[]> {
  const items = await queryAll({ table: T, partition: { name: 'pk', value: pk(publicId) }, sortCondition: 'begins_with(#sk, :p)', names: { '#sk': 'sk' }, values: { ':p': PROOF_PREFIX } });
  return items
    .map((i) => ({ chain: String(i.chain), seq: Number(i.seq), eventHash: String(i.eventHash), action: i.action as ProofRef['action'], at: String(i.at) }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : a.seq - b.seq));
}

export async function getVersions(id: string): Promise<PublicDecision[]> {
  const items = await queryAll({ table: T, partition: { name: 'pk', value: pk(id) }, sortCondition: 'begins_with(#sk, :v)', names: { '#sk': 'sk' }, values: { ':v': 'V#' } });
  return items.map((i) => i.record as PublicDecision);
}

export interface DecisionSearch {
  readonly kind?: string | undefined;
  readonly agencyId?: string | undefined;
  /** Prefix of the (normalised) party name. */
  readonly party?: string | undefined;
  readonly creditCode?: string | undefined;
  readonly decisionNo?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/**
 * Search by the most selective index the query allows, newest first (a party search: by name, then
 * newest first within one name); the other criteria filter within it. Every query reads one index
 * partition, at most a bounded number of items per page (see query.ts): cost follows the matches,
 * not the table.
 */
export async function search(q: DecisionSearch, page: PageRequest): Promise<Page<PublicDecisionSummary>> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  let partition: string;
  let sortCondition: string | undefined;
  const dateRange = () => {
    if (q.from || q.to) {
      values[':from'] = q.from ?? '0000-00-00';
      values[':to'] = `${q.to ?? '9999-12-31'}#~`;
      names['#sk'] = 'gsi1sk';
      sortCondition = '#sk BETWEEN :from AND :to';
    }
  };
  const filterDate = () => {
    if (q.from) {
      names['#date'] = 'decisionDate';
      values[':from'] = q.from;
      filters.push('#date >= :from');
    }
    if (q.to) {
      names['#date'] = 'decisionDate';
      values[':to'] = q.to;
      filters.push('#date <= :to');
    }
  };
  const filterOn = (attr: string, value: string | undefined) => {
    if (value === undefined) return;
    names[`#${attr}`] = attr;
    values[`:${attr}`] = value;
    filters.push(`#${attr} = :${attr}`);
  };

  if (q.decisionNo) {
    partition = `DECNO#${q.decisionNo}`;
    filterDate();
    filterOn('kind', q.kind);
    filterOn('agencyId', q.agencyId);
    filterOn('creditCode', q.creditCode);
  } else if (q.creditCode) {
    partition = `CREDIT#${q.creditCode}`;
    dateRange();
    filterOn('kind', q.kind);
    filterOn('agencyId', q.agencyId);
  } else if (q.party) {
    partition = 'PARTY';
    values[':party'] = normaliseName(q.party);
    // A key range rather than begins_with: the same on DynamoDB, and DynamoDB Local's begins_with
    // slows with the partition's size (bench/README.md).
    values[':partyEnd'] = `${normaliseName(q.party)}\u{10FFFF}`;
    names['#sk'] = 'gsi1sk';
    sortCondition = '#sk BETWEEN :party AND :partyEnd';
    filterDate();
    filterOn('kind', q.kind);
    filterOn('agencyId', q.agencyId);
  } else if (q.agencyId && q.kind) {
    partition = `AGENCY#${q.agencyId}#KIND#${q.kind}`;
    dateRange();
  } else if (q.agencyId) {
    partition = `AGENCY#${q.agencyId}`;
    dateRange();
  } else if (q.kind) {
    partition = `KIND#${q.kind}`;
    dateRange();
  } else {
    partition = 'ALL';
    dateRange();
  }
  // A kind filter on another index must honour the penalty register too (N1).
  if (q.kind === 'PENALTY' && !partition.startsWith('KIND#') && !partition.includes('#KIND#')) {
    names['#summary'] = 'summary';
    names['#reg'] = 'penaltyRegister';
    values[':true'] = true;
    filters.push('#summary.#reg = :true');
  }
  if (q.party && partition !== 'PARTY') {
    names['#partyName'] = 'partyName';
    values[':party'] = normaliseName(q.party);
    filters.push('begins_with(#partyName, :party)');
  }
  const res = await queryPage(
    {
      table: T,
      index: 'gsi1',
      keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      partition: { name: 'gsi1pk', value: partition },
      ...(sortCondition ? { sortCondition } : {}),
      ...(filters.length ? { filter: filters.join(' AND ') } : {}),
      names,
      values,
      fingerprint: { ...q },
      forward: false,
    },
    page,
  );
  return { items: res.items.map((i) => i.summary as PublicDecisionSummary), nextCursor: res.nextCursor };
}
