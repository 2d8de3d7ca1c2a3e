/**
 * Every state change is written in one TransactWriteItems together with its audit events and the
 * heads of the chains they are appended to, so a change without its audit event (or the reverse)
 * cannot exist. Events go to the chain of their entity (`chainOf`, 16 chains); each head serialises
 * the appends to its chain only. A transaction that lost the race for a head is retried after
 * re-reading the heads involved; a transaction whose own condition failed (stale version, duplicate)
 * is mapped to its error.
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '../aws/dynamodb.ts';
import type { TransactWriteCommandInput } from '../aws/dynamodb.ts';
import { TransactionCanceledException } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { TableId } from '../manifest.ts';
import { AUDIT_CHAINS, chainEvents, chainOf } from '../domain/audit.ts';
import { redactAuditEvent } from '../domain/audit-redaction.ts';
import type { AuditActor, AuditEvent, AuditEventInput } from '../domain/audit.ts';
import { ConflictError, VersionConflictError } from '../domain/errors.ts';
import { auditEventItem, chainHeadKey } from './audit-keys.ts';
import { readChainHeads } from './audit.ts';
import { assertTransactionFits, sizedWrites } from './item-size.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Values = Record<string, unknown>;
type Names = Record<string, string>;

export type Write =
  | { kind: 'put'; table: TableId; item: Values; condition?: string; names?: Names; values?: Values; onConditionFailed?: () => Error }
  | {
      kind: 'update';
      table: TableId;
      key: Values;
      update: string;
      condition?: string;
      names?: Names;
      values?: Values;
      onConditionFailed?: () => Error;
    }
  | { kind: 'check'; table: TableId; key: Values; condition: string; names?: Names; values?: Values; onConditionFailed?: () => Error };

/**
 * Put an item only if it is new (`expectedVersion` 0) or still at the version the caller read:
 * optimistic locking; a stale write becomes 409 VERSION_CONFLICT naming `label`.
 */
export function versionedPut(table: TableId, item: Values, expectedVersion: number, label: string): Write {
  return {
    kind: 'put',
    table,
    item,
    condition: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#v = :v',
    ...(expectedVersion === 0 ? {} : { names: { '#v': 'version' }, values: { ':v': expectedVersion } }),
    onConditionFailed: () => new VersionConflictError(label, expectedVersion),
  };
}

export interface CommitContext {
  readonly actor: AuditActor;
  readonly requestId: string;
  readonly now?: Date;
}

export const newRequestId = (): string => randomUUID();

function toTransactItem(w: Write): TransactItem {
  const common = {
    TableName: tableName(w.table),
    ...(w.names ? { ExpressionAttributeNames: w.names } : {}),
    ...(w.values ? { ExpressionAttributeValues: w.values } : {}),
  };
  switch (w.kind) {
    case 'put':
      return { Put: { ...common, Item: w.item, ...(w.condition ? { ConditionExpression: w.condition } : {}) } };
    case 'update':
      return {
        Update: { ...common, Key: w.key, UpdateExpression: w.update, ...(w.condition ? { ConditionExpression: w.condition } : {}) },
      };
    case 'check':
      return { ConditionCheck: { ...common, Key: w.key, ConditionExpression: w.condition } };
  }
}

/**
 * Bench and test switch (AUDIT_SINGLE_CHAIN=true, or `useSingleAuditChain`): every event goes to one
 * chain, as before the split, to measure the difference in one run. Never set in a deployment.
 */
let singleChain = process.env.AUDIT_SINGLE_CHAIN === 'true';
export function useSingleAuditChain(on: boolean): void {
  singleChain = on;
}

const chainFor = (e: AuditEventInput): string => (singleChain ? AUDIT_CHAINS[0]! : chainOf(e.entityType, e.entityId));

/** Counters of this process's commits, for the bench: how often a chain head was lost to another writer. */
export interface CommitCounters {
  commits: number;
  /** Retries because a chain head involved had moved (or was being moved) meanwhile. */
  headRetries: number;
  /** Retries because another item of the transaction was being written concurrently. */
  otherRetries: number;
  /** Attempts refused by the caller's own conditions (a stale version, a case number taken meanwhile). */
  conditionFailures: number;
}
const counters: CommitCounters = { commits: 0, headRetries: 0, otherRetries: 0, conditionFailures: 0 };
export const commitCounters = (): Readonly<CommitCounters> => ({ ...counters });
export function resetCommitCounters(): void {
  counters.commits = 0;
  counters.headRetries = 0;
  counters.otherRetries = 0;
  counters.conditionFailures = 0;
}

const MAX_ATTEMPTS = 60;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Write `writes` and append `events` to their chains atomically: each chain's group after its head,
 * each head moved under a condition on its seq. Returns the chained events, in the order given.
 * `eventWrites` adds writes that depend on the chained events (chain, seq, hash are known only once
 * the heads are read, so they are rebuilt on each attempt); it must give the same number of writes
 * for any chaining.
 */
export async function commit(
  ctx: CommitContext,
  fixedWrites: readonly Write[],
  events: readonly AuditEventInput[],
  eventWrites?: (chained: readonly AuditEvent[]) => readonly Write[],
): Promise<AuditEvent[]> {
  // No personal data in the permanent trail (issue 10, point 9): every event passes here.
  const safeEvents = events.map(redactAuditEvent);
  const groups = new Map<string, number[]>();
  safeEvents.forEach((e, i) => {
    const chain = chainFor(e);
    groups.set(chain, [...(groups.get(chain) ?? []), i]);
  });
  const chains = [...groups.keys()].sort();
  if (fixedWrites.length + events.length + chains.length > 100) throw new Error('Transaction too large: split the change');
  for (let attempt = 1; ; attempt++) {
    const heads = await readChainHeads(chains);
    const meta = { at: (ctx.now ?? new Date()).toISOString(), requestId: ctx.requestId, actor: ctx.actor };
    const chained: AuditEvent[] = new Array<AuditEvent>(safeEvents.length);
    const headUpdates: TransactItem[] = [];
    for (const chain of chains) {
      const head = heads.get(chain)!;
      const indexes = groups.get(chain)!;
      const appended = chainEvents(head, indexes.map((i) => safeEvents[i]!), meta);
      appended.forEach((e, j) => (chained[indexes[j]!] = e));
      const last = appended.at(-1)!;
      headUpdates.push({
        Update: {
          TableName: tableName('Audit'),
          Key: chainHeadKey(chain),
          UpdateExpression: 'SET #seq = :seq, #hash = :hash, #at = :at',
          ConditionExpression: head.seq === 0 ? 'attribute_not_exists(pk)' : '#seq = :prevSeq',
          ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash', '#at': 'at' },
          ExpressionAttributeValues: { ':seq': last.seq, ':hash': last.hash, ':at': last.at, ...(head.seq === 0 ? {} : { ':prevSeq': head.seq }) },
        },
      });
    }
    const writes = eventWrites ? [...fixedWrites, ...eventWrites(chained)] : fixedWrites;
    if (writes.length + chained.length + chains.length > 100) throw new Error('Transaction too large: split the change');
    // Refuse what DynamoDB would refuse (an item above 400 KB, ...) before sending anything: 413, not 500.
    if (attempt === 1) assertTransactionFits(sizedWrites(writes, chained.map(auditEventItem)));
    const items: TransactItem[] = writes.map(toTransactItem);
    for (const e of chained) {
      items.push({
        Put: { TableName: tableName('Audit'), Item: auditEventItem(e), ConditionExpression: 'attribute_not_exists(pk)' },
      });
    }
    items.push(...headUpdates);
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: undefined }));
      counters.commits += 1;
      return chained;
    } catch (err: unknown) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      // Our own conditions first: a stale version is the caller's problem, not a race to retry.
      for (let i = 0; i < writes.length; i++) {
        if (reasons[i]?.Code === 'ConditionalCheckFailed') {
          counters.conditionFailures += 1;
          const w = writes[i];
          throw w?.onConditionFailed?.() ?? new ConflictError('CONFLICT', '数据已变化，请刷新后重试');
        }
      }
      const retryable = reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
      if (!retryable || attempt >= MAX_ATTEMPTS) throw err;
      const headReasons = reasons.slice(writes.length + chained.length);
      if (headReasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) counters.headRetries += 1;
      else counters.otherRetries += 1;
      // Lost the race for a chain head: back off with jitter and chain after the new heads.
      await sleep(Math.min(200, 5 * attempt) * Math.random());
    }
  }
}
