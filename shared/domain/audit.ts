/**
 * The audit trail is a hash chain: every event carries the previous event's hash and its own
 * SHA-256 over a canonical form, so that any altered, removed or inserted event breaks the chain.
 */
import { createHash } from 'node:crypto';
import type { Identity } from './identity.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditActor {
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly string[];
}

/** What a change contributes to the trail; the store adds seq, time, request id and hashes. */
export interface AuditEventInput {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly change: Readonly<Record<string, unknown>>;
}

export interface AuditEvent extends AuditEventInput {
  readonly seq: number;
  readonly at: string;
  readonly requestId: string;
  readonly actor: AuditActor;
  readonly prevHash: string;
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

export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  const { seq, at, requestId, actor, action, entityType, entityId, change, prevHash } = event;
  return sha256Hex(
    canonicalJson({ seq, at, requestId, actor, action, entityType, entityId, change, prevHash }),
  );
}

export function actorOf(identity: Identity): AuditActor {
  return { sub: identity.sub, name: identity.name, groups: [...identity.groups] };
}

/** Chain the inputs after the head (seq, hash) in order. */
export function chainEvents(
  head: { seq: number; hash: string },
  inputs: readonly AuditEventInput[],
  meta: { at: string; requestId: string; actor: AuditActor },
): AuditEvent[] {
  const out: AuditEvent[] = [];
  let prev = head;
  for (const input of inputs) {
    const base = { ...input, seq: prev.seq + 1, at: meta.at, requestId: meta.requestId, actor: meta.actor, prevHash: prev.hash };
    const event: AuditEvent = { ...base, hash: hashEvent(base) };
    out.push(event);
    prev = event;
  }
  return out;
}

export type ChainBreak =
  | { kind: 'MISSING'; seq: number; message: string }
  | { kind: 'HASH_MISMATCH'; seq: number; message: string }
  | { kind: 'PREV_HASH_MISMATCH'; seq: number; message: string }
  | { kind: 'HEAD_MISMATCH'; seq: number; message: string };

/**
 * Incremental verifier: feed events in seq order; it remembers the last good link so the whole
 * chain never has to be held in memory.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private firstBreak: ChainBreak | undefined;
  private count = 0;

  get checked(): number {
    return this.count;
  }

  get broken(): ChainBreak | undefined {
    return this.firstBreak;
  }

  /** Returns false once a break has been found (later events are not examined). */
  push(event: AuditEvent): boolean {
    if (this.firstBreak) return false;
    this.count += 1;
    if (event.seq !== this.expectedSeq) {
      this.firstBreak = {
        kind: 'MISSING',
        seq: this.expectedSeq,
        message: `第 ${this.expectedSeq} 号审计事件缺失（下一条为第 ${event.seq} 号）`,
      };
      return false;
    }
    if (event.prevHash !== this.prevHash) {
      this.firstBreak = {
        kind: 'PREV_HASH_MISMATCH',
        seq: event.seq,
        message: `第 ${event.seq} 号审计事件记录的前一哈希与第 ${event.seq - 1} 号事件不符`,
      };
      return false;
    }
    const { hash, ...rest } = event;
    if (hashEvent(rest) !== hash) {
      this.firstBreak = {
        kind: 'HASH_MISMATCH',
        seq: event.seq,
        message: `第 ${event.seq} 号审计事件内容与其哈希不符（已被改动）`,
      };
      return false;
    }
    this.prevHash = hash;
    this.expectedSeq += 1;
    return true;
  }

  /** Compare the end of the walk with the head pointer (catches truncated tails). */
  finish(head: { seq: number; hash: string } | undefined): ChainBreak | undefined {
    if (this.firstBreak) return this.firstBreak;
    const lastSeq = this.expectedSeq - 1;
    const headSeq = head?.seq ?? 0;
    if (headSeq > lastSeq) {
      this.firstBreak = {
        kind: 'MISSING',
        seq: lastSeq + 1,
        message: `第 ${lastSeq + 1} 号审计事件缺失（链头记录共 ${headSeq} 条）`,
      };
    } else if (headSeq < lastSeq || (head && head.hash !== this.prevHash)) {
      this.firstBreak = {
        kind: 'HEAD_MISMATCH',
        seq: lastSeq,
        message: `审计链头与第 ${lastSeq} 号事件不符`,
      };
    }
    return this.firstBreak;
  }
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
