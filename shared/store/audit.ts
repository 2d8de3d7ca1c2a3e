/**
 * Reading the audit chains: each chain's head, its events in sequence order (a Query on the chain's
 * partition with a sort-key range, never a Scan), and the events of one entity (gsi1).
 */
import { BatchGetCommand, GetCommand, QueryCommand } from '../aws/dynamodb.ts';
import type { BatchGetCommandOutput } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import { AUDIT_CHAINS, GENESIS_HASH, LEGACY_CHAIN } from '../domain/audit.ts';
import type { AuditEvent, ChainHead } from '../domain/audit.ts';
import { auditEventFromItem, chainHeadKey, chainPk, EVENT_SK_PREFIX, eventSk, HEAD_SK } from './audit-keys.ts';
import { queryPage } from './query.ts';
import type { Page, PageRequest } from './query.ts';

export type { AuditEvent, ChainHead };

/** A chain's head (strongly consistent), or undefined before its first event. */
export async function readChainHead(chain: string): Promise<ChainHead | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName('Audit'), Key: chainHeadKey(chain), ConsistentRead: true }));
  return res.Item ? { chain, seq: res.Item.seq as number, hash: res.Item.hash as string } : undefined;
}

/** The heads of several chains in one round trip (up to 100); a chain without events gets seq 0 and the genesis hash. */
export async function readChainHeads(chains: readonly string[]): Promise<Map<string, ChainHead>> {
  const heads = new Map<string, ChainHead>(chains.map((chain) => [chain, { chain, seq: 0, hash: GENESIS_HASH }]));
  if (chains.length === 1) {
    const head = await readChainHead(chains[0]!);
    if (head) heads.set(head.chain, head);
    return heads;
  }
  const table = tableName('Audit');
  let keys: Record<string, unknown>[] | undefined = chains.map(chainHeadKey);
  for (let attempt = 0; keys && keys.length > 0; attempt++) {
    if (attempt > 0) {
      if (attempt >= 8) throw new Error('BatchGetItem kept returning unprocessed keys');
      await new Promise((r) => setTimeout(r, 2 ** attempt * 20));
    }
    const res: BatchGetCommandOutput = await documentClient().send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
    );
    for (const item of res.Responses?.[table] ?? []) {
      const chain = String(item.pk).slice('CHAIN#'.length);
      heads.set(chain, { chain, seq: item.seq as number, hash: item.hash as string });
    }
    keys = res.UnprocessedKeys?.[table]?.Keys;
  }
  return heads;
}

/**
 * The chains that hold events, with their heads: the 16 chains that have one, and the legacy `main`
 * if this table has it. Constant cost (one batch read), whatever the length of the chains.
 */
export async function existingChains(): Promise<ChainHead[]> {
  const all = [...AUDIT_CHAINS, LEGACY_CHAIN];
  const heads = await readChainHeads(all);
  return all.map((c) => heads.get(c)!).filter((h) => h.seq > 0);
}

/** Whether a chain holds any event (one item read): finds events whose head item was removed. */
export async function chainHasEvents(chain: string): Promise<boolean> {
  const res = await documentClient().send(
    new QueryCommand({
      TableName: tableName('Audit'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': chainPk(chain), ':p': EVENT_SK_PREFIX },
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []).length > 0;
}

/**
 * The stored items of a chain from `fromSeq` to `toSeq` (inclusive), in seq order, a page at a time
 * so memory stays flat. Items as stored (table keys included), for verification.
 */
export async function* chainItems(chain: string, fromSeq: number, toSeq: number, pageSize = 500): AsyncGenerator<Record<string, unknown>> {
  if (toSeq < fromSeq) return;
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: tableName('Audit'),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': chainPk(chain), ':from': eventSk(fromSeq), ':to': eventSk(toSeq) },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
        ConsistentRead: true,
      }),
    );
    for (const item of res.Items ?? []) {
      if (item.sk !== HEAD_SK) yield item;
    }
    startKey = res.LastEvaluatedKey;
  } while (startKey);
}

/** Up to `limit` events of a chain from `fromSeq`, in seq order (fewer at the end of the chain). */
export async function eventsOfChain(chain: string, fromSeq: number, limit: number): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  if (limit < 1) return out;
  for await (const item of chainItems(chain, fromSeq, fromSeq + limit - 1, Math.min(limit, 1000))) out.push(auditEventFromItem(item));
  return out;
}

export async function eventsOfEntity(entityType: string, entityId: string, page: PageRequest): Promise<Page<AuditEvent>> {
  const res = await queryPage(
    {
      table: 'Audit',
      index: 'gsi1',
      keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      partition: { name: 'gsi1pk', value: `ENTITY#${entityType}#${entityId}` },
      fingerprint: {},
    },
    page,
  );
  return { items: res.items.map(auditEventFromItem), nextCursor: res.nextCursor };
}

/**
 * The newest `limit` events of the whole trail, newest first: each chain's newest `limit` (one Query per
 * chain, descending, bounded), merged by time. Cost follows `limit`, never the trail's size.
 */
export async function latestEvents(limit: number): Promise<AuditEvent[]> {
  const chains = [...AUDIT_CHAINS, LEGACY_CHAIN];
  const perChain = await Promise.all(
    chains.map(async (chain) => {
      const res = await documentClient().send(
        new QueryCommand({
          TableName: tableName('Audit'),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': chainPk(chain), ':p': EVENT_SK_PREFIX },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
        }),
      );
      return (res.Items ?? []).map(auditEventFromItem);
    }),
  );
  return perChain
    .flat()
    .sort((a, b) => (a.at === b.at ? (a.chain === b.chain ? b.seq - a.seq : a.chain < b.chain ? -1 : 1) : a.at < b.at ? 1 : -1))
    .slice(0, limit);
}
