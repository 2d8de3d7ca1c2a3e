/**
 * Every state change is written in one TransactWriteItems together with its audit events and the
 * chain head, so a change without its audit event (or the reverse) cannot exist. The head item
 * serialises appends: a transaction that lost the race for the head is retried with the new head;
 * a transaction whose own condition failed (stale version, duplicate) is mapped to its error.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { TableId } from '../manifest.ts';
import { chainEvents, GENESIS_HASH } from '../domain/audit.ts';
import { redactAuditEvent } from '../domain/audit-redaction.ts';
import type { AuditActor, AuditEvent, AuditEventInput } from '../domain/audit.ts';
import { ConflictError, VersionConflictError } from '../domain/errors.ts';
import { auditEventItem, CHAIN_HEAD_KEY } from './audit-keys.ts';
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

async function readHead(): Promise<{ seq: number; hash: string }> {
  const res = await documentClient().send(
    new GetCommand({ TableName: tableName('Audit'), Key: CHAIN_HEAD_KEY, ConsistentRead: true }),
  );
  const item = res.Item as { seq?: number; hash?: string } | undefined;
  return { seq: item?.seq ?? 0, hash: item?.hash ?? GENESIS_HASH };
}

const MAX_ATTEMPTS = 60;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Write `writes` and append `events` to the audit chain atomically. Returns the chained events. */
export async function commit(ctx: CommitContext, writes: readonly Write[], events: readonly AuditEventInput[]): Promise<AuditEvent[]> {
  if (writes.length + events.length + 1 > 100) throw new Error('Transaction too large: split the change');
  // No personal data in the permanent trail (issue 10, point 9): every event passes here.
  const safeEvents = events.map(redactAuditEvent);
  for (let attempt = 1; ; attempt++) {
    const head = await readHead();
    const chained = chainEvents(head, safeEvents, {
      at: (ctx.now ?? new Date()).toISOString(),
      requestId: ctx.requestId,
      actor: ctx.actor,
    });
    const last = chained.at(-1) ?? head;
    // Refuse what DynamoDB would refuse (an item above 400 KB, ...) before sending anything: 413, not 500.
    if (attempt === 1) assertTransactionFits(sizedWrites(writes, chained.map(auditEventItem)));
    const items: TransactItem[] = writes.map(toTransactItem);
    for (const e of chained) {
      items.push({
        Put: { TableName: tableName('Audit'), Item: auditEventItem(e), ConditionExpression: 'attribute_not_exists(pk)' },
      });
    }
    items.push({
      Update: {
        TableName: tableName('Audit'),
        Key: CHAIN_HEAD_KEY,
        UpdateExpression: 'SET #seq = :seq, #hash = :hash, #at = :at',
        ConditionExpression: head.seq === 0 ? 'attribute_not_exists(pk)' : '#seq = :prevSeq',
        ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash', '#at': 'at' },
        ExpressionAttributeValues: {
          ':seq': last.seq,
          ':hash': last.hash,
          ':at': chained.at(-1)?.at ?? new Date().toISOString(),
          ...(head.seq === 0 ? {} : { ':prevSeq': head.seq }),
        },
      },
    });
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: undefined }));
      return chained;
    } catch (err: unknown) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      // Our own conditions first: a stale version is the caller's problem, not a race to retry.
      for (let i = 0; i < writes.length; i++) {
        if (reasons[i]?.Code === 'ConditionalCheckFailed') {
          const w = writes[i];
          throw w?.onConditionFailed?.() ?? new ConflictError('CONFLICT', '数据已变化，请刷新后重试');
        }
      }
      const retryable = reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
      if (!retryable || attempt >= MAX_ATTEMPTS) throw err;
      // Lost the race for the chain head: back off with jitter and chain after the new head.
      await sleep(Math.min(200, 5 * attempt) * Math.random());
    }
  }
}
