/**
 * The audit trail is a set of hash chains: every event carries the previous event's hash in its chain
 * and its own SHA-256 over a canonical form, so that any altered, removed or inserted event breaks its
 * chain. Events are spread over a fixed number of chains by entity (`chainOf`), so writes to different
 * entities seldom contend on one chain head (issue 12, point 1).
 *
 * The hash covers the stored event as a whole: every attribute of the item, the entity index keys
 * (`gsi1pk`/`gsi1sk`, which entity's history the event appears in) included; only the table keys, which
 * are derived from (chain, seq), and the hash itself are left out. Verification recomputes it from the
 * stored item, so an extra, removed or altered attribute is found.
 *
 * Legacy: before the split, every event went to one chain, `main`, hashed over a fixed list of fields.
 * `main` stays readable and verifiable in that format; nothing new is appended to it.
 */
import { createHash } from 'node:crypto';
import type { Identity } from './identity.ts';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * How many chains the trail is split into. Fixed: changing it would send an entity's later events to
 * another chain than its earlier ones (`chainOf` is the digest modulo this number); a different count
 * needs a new chain-id scheme (other ids than s00…s15), never a change of this constant.
 */
export const AUDIT_SHARDS = 16;

/** The chains new events are appended to: `s00` … `s15`. */
export const AUDIT_CHAINS: readonly string[] = Object.freeze(
  Array.from({ length: AUDIT_SHARDS }, (_, i) => `s${String(i).padStart(2, '0')}`),
);

/** The single chain of the trail before the split: read and verified, never appended to. */
export const LEGACY_CHAIN = 'main';

export const isAuditChain = (chain: string): boolean => chain === LEGACY_CHAIN || AUDIT_CHAINS.includes(chain);

/** The chain of an entity's events: SHA-256 of `type#id`, its first four bytes modulo AUDIT_SHARDS. */
export function chainOf(entityType: string, entityId: string): string {
  const digest = createHash('sha256').update(`${entityType}#${entityId}`, 'utf8').digest();
  return AUDIT_CHAINS[digest.readUInt32BE(0) % AUDIT_SHARDS]!;
}

/** Table keys of an event: derived from (chain, seq), so they are not hashed but checked. */
export const chainPk = (chain: string): string => `CHAIN#${chain}`;
export const EVENT_SK_PREFIX = 'SEQ#';
export const eventSk = (seq: number): string => `${EVENT_SK_PREFIX}${String(seq).padStart(12, '0')}`;

/** Keys of the entity index (one entity's events in time order); part of the hashed event. */
export function entityIndexKeys(entityType: string, entityId: string, at: string, seq: number): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: `ENTITY#${entityType}#${entityId}`, gsi1sk: `${at}#${String(seq).padStart(12, '0')}` };
}

export interface AuditActor {
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly string[];
}

/** What a change contributes to the trail; the store adds chain, seq, time, request id and hashes. */
export interface AuditEventInput {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly change: Readonly<Record<string, unknown>>;
}

/** An event as stored (without its table keys pk/sk). Every field but `hash` is covered by `hash`. */
export interface AuditEvent extends AuditEventInput {
  /** `s00`…`s15`; `main` for events written before the split (not stored on those, added on read). */
  readonly chain: string;
  /** Position in its chain, from 1. */
  readonly seq: number;
  readonly at: string;
  readonly requestId: string;
  readonly actor: AuditActor;
  readonly gsi1pk: string;
  readonly gsi1sk: string;
  readonly prevHash: string;
  /** SHA-256 (hex) of the canonical event; a Merkle leaf is these 32 bytes. */
  readonly hash: string;
}

/** A chain's head item: the last event's seq and hash. */
export interface ChainHead {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
}

/** JSON with object keys sorted at every level: the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Attributes of a stored item that the hash does not cover: the table keys (derived) and the hash. */
const UNHASHED = new Set(['pk', 'sk', 'hash']);

/** The hash of a stored event: every attribute except pk, sk and hash. */
export function hashEvent(record: Readonly<Record<string, unknown>>): string {
  const covered: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!UNHASHED.has(k)) covered[k] = v;
  return sha256Hex(canonicalJson(covered));
}

/** The fields the legacy (`main`) hash covered; its index keys were derived, not hashed. */
const LEGACY_FIELDS = ['seq', 'at', 'requestId', 'actor', 'action', 'entityType', 'entityId', 'change', 'prevHash'] as const;

/** The hash of an event of the legacy `main` chain (a fixed list of fields). */
export function hashLegacyEvent(record: Readonly<Record<string, unknown>>): string {
  const covered: Record<string, unknown> = {};
  for (const k of LEGACY_FIELDS) covered[k] = record[k];
  return sha256Hex(canonicalJson(covered));
}

export function actorOf(identity: Identity): AuditActor {
  return { sub: identity.sub, name: identity.name, groups: [...identity.groups] };
}

/**
 * Chain the inputs after the head (chain, seq, hash) in order. `chain` defaults to the first chain
 * (`s00`), for callers that chain one sequence on its own; `commit` always names it.
 * The event goes through JSON first so that what is hashed is what DynamoDB stores and returns
 * (undefined members dropped, undefined in arrays as null).
 */
export function chainEvents(
  head: { readonly chain?: string; readonly seq: number; readonly hash: string },
  inputs: readonly AuditEventInput[],
  meta: { at: string; requestId: string; actor: AuditActor },
): AuditEvent[] {
  const chain = head.chain ?? AUDIT_CHAINS[0]!;
  if (!AUDIT_CHAINS.includes(chain)) throw new Error(`Events are appended to ${AUDIT_CHAINS.join(', ')} only, not ${chain}`);
  const out: AuditEvent[] = [];
  let prev = { seq: head.seq, hash: head.hash };
  for (const input of inputs) {
    const seq = prev.seq + 1;
    const body = JSON.parse(
      JSON.stringify({
        chain,
        seq,
        at: meta.at,
        requestId: meta.requestId,
        actor: meta.actor,
        action: input.action,
        entityType: input.entityType,
        entityId: input.entityId,
        change: input.change,
        ...entityIndexKeys(input.entityType, input.entityId, meta.at, seq),
        prevHash: prev.hash,
      }),
    ) as Omit<AuditEvent, 'hash'>;
    const event: AuditEvent = { ...body, hash: hashEvent(body) };
    out.push(event);
    prev = event;
  }
  return out;
}

export type ChainBreakKind = 'MISSING' | 'HASH_MISMATCH' | 'PREV_HASH_MISMATCH' | 'KEY_MISMATCH' | 'HEAD_MISMATCH';

/** The first bad position of a chain: which chain, which seq, what is wrong. */
export interface ChainBreak {
  readonly kind: ChainBreakKind;
  readonly chain: string;
  readonly seq: number;
  readonly message: string;
}

type StoredEvent = Readonly<Record<string, unknown>>;

/**
 * Incremental verifier of one chain: feed the stored items in seq order; it remembers the last good
 * link so the whole chain never has to be held in memory. Each item is checked as a whole: its table
 * keys (if present) against (chain, seq), its link, and its hash recomputed from every attribute.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private firstBreak: ChainBreak | undefined;
  private count = 0;

  /** `chain` defaults to `s00`, matching `chainEvents`' default. */
  constructor(readonly chain: string = AUDIT_CHAINS[0]!) {
    if (!isAuditChain(chain)) throw new Error(`Unknown audit chain ${chain}`);
  }

  get checked(): number {
    return this.count;
  }

  get broken(): ChainBreak | undefined {
    return this.firstBreak;
  }

  private fail(kind: ChainBreakKind, seq: number, what: string): false {
    this.firstBreak = { kind, chain: this.chain, seq, message: `审计链 ${this.chain} ${what}` };
    return false;
  }

  /** Returns false once a break has been found (later events are not examined). */
  push(event: StoredEvent | AuditEvent): boolean {
    if (this.firstBreak) return false;
    const item = event as StoredEvent;
    this.count += 1;
    const seq = this.expectedSeq;
    if (item.seq !== seq) {
      // The position of `seq` holds another event (moved or swapped), or `seq` is absent.
      if (item.sk === eventSk(seq)) return this.fail('KEY_MISMATCH', seq, `第 ${seq} 号位置存放的是第 ${String(item.seq)} 号审计事件`);
      return this.fail('MISSING', seq, `第 ${seq} 号审计事件缺失（下一条为第 ${String(item.seq)} 号）`);
    }
    if ((item.pk !== undefined && item.pk !== chainPk(this.chain)) || (item.sk !== undefined && item.sk !== eventSk(seq))) {
      return this.fail('KEY_MISMATCH', seq, `第 ${seq} 号审计事件的存储位置与其链和序号不符`);
    }
    if (item.prevHash !== this.prevHash) {
      return this.fail('PREV_HASH_MISMATCH', seq, `第 ${seq} 号审计事件记录的前一哈希与第 ${seq - 1} 号事件不符`);
    }
    const intact = this.chain === LEGACY_CHAIN ? legacyIntact(item) : hashEvent(item) === item.hash;
    if (!intact) return this.fail('HASH_MISMATCH', seq, `第 ${seq} 号审计事件内容与其哈希不符（已被改动）`);
    if (this.chain !== LEGACY_CHAIN && item.chain !== this.chain) {
      // Intact but copied from another chain (the first events of every chain link to the genesis hash).
      return this.fail('KEY_MISMATCH', seq, `第 ${seq} 号审计事件属于审计链 ${String(item.chain)}，不属于本链`);
    }
    this.prevHash = item.hash as string;
    this.expectedSeq += 1;
    return true;
  }

  /** Compare the end of the walk with the head item (catches truncated tails). */
  finish(head: { seq: number; hash: string } | undefined): ChainBreak | undefined {
    if (this.firstBreak) return this.firstBreak;
    const lastSeq = this.expectedSeq - 1;
    const headSeq = head?.seq ?? 0;
    if (headSeq > lastSeq) {
      this.fail('MISSING', lastSeq + 1, `第 ${lastSeq + 1} 号审计事件缺失（链头记录共 ${headSeq} 条）`);
    } else if (headSeq < lastSeq || (head && head.hash !== this.prevHash)) {
      this.fail('HEAD_MISMATCH', lastSeq, `链头与第 ${lastSeq} 号事件不符`);
    }
    return this.firstBreak;
  }
}

/**
 * A legacy event is intact when its fixed fields match the hash and nothing else is stored but the
 * index keys derived from those fields (so changing gsi1pk/gsi1sk is found there too), the table
 * keys, and `chain: main` (the read-side annotation).
 */
function legacyIntact(item: StoredEvent): boolean {
  if (hashLegacyEvent(item) !== item.hash) return false;
  const derived = entityIndexKeys(String(item.entityType), String(item.entityId), String(item.at), Number(item.seq));
  if (item.gsi1pk !== derived.gsi1pk || item.gsi1sk !== derived.gsi1sk) return false;
  const allowed = new Set<string>([...LEGACY_FIELDS, 'gsi1pk', 'gsi1sk', 'pk', 'sk', 'hash']);
  for (const [k, v] of Object.entries(item)) {
    if (allowed.has(k)) continue;
    if (k === 'chain' && v === LEGACY_CHAIN) continue;
    return false;
  }
  return true;
}

/** Personal fields are never copied into the trail: only the fact that they changed. */
export const PERSONAL_FIELDS = new Set(['idNumber', 'phone', 'homeAddress']);

/** A field-by-field diff for the trail, with personal values masked. */
export function diffForAudit(
  beforeObj: object | undefined,
  afterObj: object,
  ignore: readonly string[] = [],
): Record<string, { from: unknown; to: unknown }> {
  const before = beforeObj as Readonly<Record<string, unknown>> | undefined;
  const after = afterObj as Readonly<Record<string, unknown>>;
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const key of keys) {
    if (ignore.includes(key)) continue;
    const from = before?.[key];
    const to = after[key];
    if (canonicalJson(from) === canonicalJson(to)) continue;
    out[key] = PERSONAL_FIELDS.has(key)
      ? { from: from === undefined || from === null ? null : '***', to: to === undefined || to === null ? null : '***' }
      : { from: from ?? null, to: to ?? null };
  }
  return out;
}
