/**
 * The Merkle trees of the audit chains and their signed checkpoints, in the Audit table, each kind in
 * partitions of its own so that IAM can tell them from the events (`dynamodb:LeadingKeys`):
 *
 *   FRONTIER#<chain> / CURRENT                 the tree's frontier after the latest checkpoint: size,
 *                                              nodes, the last event's hash, the checkpoint's hash
 *   MERKLE#<chain>   / N#<level>#<index>       a completed perfect subtree (immutable once written)
 *   CHECKPOINT#<chain> / SIZE#<treeSize>       a signed checkpoint
 *
 * The frontier moves only under a condition on the size read, in the same transaction as the new
 * checkpoint's put, so two runs never fork a chain's checkpoints. Nodes are written before that commit
 * (unconditionally: a perfect subtree's hash is fixed by the events, so rewriting one is idempotent).
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '../aws/dynamodb.ts';
import { TransactionCanceledException } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { Checkpoint } from '../domain/checkpoint.ts';
import { signedCheckpoint } from '../domain/checkpoint.ts';
import type { Frontier, NodeReader, TreeNode } from '../domain/merkle.ts';
import { queryPage } from './query.ts';
import type { Page, PageRequest } from './query.ts';

/** Partition prefixes of the checkpoint items; the public function may read these and nothing else. */
export const CHECKPOINT_PK_PREFIXES = ['CHECKPOINT#', 'MERKLE#', 'FRONTIER#'] as const;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
export const checkpointSk = (treeSize: number): string => `SIZE#${pad(treeSize, 12)}`;
export const checkpointKey = (chain: string, treeSize: number) => ({ pk: `CHECKPOINT#${chain}`, sk: checkpointSk(treeSize) });
export const nodeKey = (chain: string, level: number, index: number) => ({ pk: `MERKLE#${chain}`, sk: `N#${pad(level, 2)}#${pad(index, 16)}` });
export const frontierKey = (chain: string) => ({ pk: `FRONTIER#${chain}`, sk: 'CURRENT' });

/** The state carried from one checkpoint of a chain to the next. */
export interface StoredFrontier extends Frontier {
  /** Hash of event `size` (the next event's prevHash must be this). */
  readonly lastEventHash: string;
  /** checkpointHash of the checkpoint at `size` (the next checkpoint's previousHash). */
  readonly checkpointHash: string;
  readonly rootHash: string;
}

export async function readFrontier(chain: string): Promise<StoredFrontier | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName('Audit'), Key: frontierKey(chain), ConsistentRead: true }));
  const item = res.Item;
  if (!item) return undefined;
  return {
    size: item.size as number,
    nodes: item.nodes as string[],
    lastEventHash: item.lastEventHash as string,
    checkpointHash: item.checkpointHash as string,
    rootHash: item.rootHash as string,
  };
}

/** Writes completed perfect subtrees, a few at a time (PutItem each: no BatchWriteItem, which can delete). */
export async function putNodes(chain: string, nodes: readonly TreeNode[], concurrency = 16): Promise<void> {
  const table = tableName('Audit');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < nodes.length) {
      const node = nodes[next++]!;
      await documentClient().send(new PutCommand({ TableName: table, Item: { ...nodeKey(chain, node.level, node.index), hash: node.hash } }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, nodes.length) }, worker));
}

/** Reads stored nodes of one chain (one GetItem per node; a proof needs O(log n)). */
export function storedNodes(chain: string): NodeReader & { readonly reads: number } {
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    async node(level, index) {
      reads += 1;
      const res = await documentClient().send(new GetCommand({ TableName: tableName('Audit'), Key: nodeKey(chain, level, index), ConsistentRead: true }));
      const hash = res.Item?.hash;
      if (typeof hash !== 'string') throw new Error(`Merkle node ${chain} ${level}/${index} is missing`);
      return hash;
    },
  };
}

/** Another run moved the frontier first: this run's checkpoint is dropped (its nodes are the same). */
export class CheckpointRaceError extends Error {
  constructor(chain: string) {
    super(`The frontier of ${chain} moved during the run`);
    this.name = 'CheckpointRaceError';
  }
}

/**
 * Stores a new checkpoint and moves the frontier to it, atomically, under the condition that the
 * frontier is still at `previousSize` (absent for 0).
 */
export async function commitCheckpoint(checkpoint: Checkpoint, frontier: StoredFrontier, previousSize: number): Promise<void> {
  const table = tableName('Audit');
  const chain = checkpoint.chain;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { ...frontierKey(chain), chain, size: frontier.size, nodes: [...frontier.nodes], lastEventHash: frontier.lastEventHash, checkpointHash: frontier.checkpointHash, rootHash: frontier.rootHash, updatedAt: checkpoint.timestamp },
              ConditionExpression: previousSize === 0 ? 'attribute_not_exists(pk)' : '#size = :previous',
              ...(previousSize === 0 ? {} : { ExpressionAttributeNames: { '#size': 'size' }, ExpressionAttributeValues: { ':previous': previousSize } }),
            },
          },
          { Put: { TableName: table, Item: { ...checkpointKey(chain, checkpoint.treeSize), ...signedCheckpoint(checkpoint) }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) {
      throw new CheckpointRaceError(chain);
    }
    throw error;
  }
}

const toCheckpoint = (item: Record<string, unknown>): Checkpoint => signedCheckpoint(item as unknown as Checkpoint);

export async function getCheckpoint(chain: string, treeSize: number): Promise<Checkpoint | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName('Audit'), Key: checkpointKey(chain, treeSize) }));
  return res.Item ? toCheckpoint(res.Item) : undefined;
}

export async function latestCheckpoint(chain: string): Promise<Checkpoint | undefined> {
  const res = await documentClient().send(
    new QueryCommand({
      TableName: tableName('Audit'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': checkpointKey(chain, 0).pk },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const item = res.Items?.[0];
  return item ? toCheckpoint(item) : undefined;
}

/** A page of a chain's checkpoints with `from ≤ treeSize ≤ to`, by tree size (signed cursors). */
export async function listCheckpoints(chain: string, range: { from: number; to: number }, page: PageRequest): Promise<Page<Checkpoint>> {
  const res = await queryPage(
    {
      table: 'Audit',
      keyAttributes: ['pk', 'sk'],
      partition: { name: 'pk', value: checkpointKey(chain, 0).pk },
      sortCondition: '#sk BETWEEN :from AND :to',
      names: { '#sk': 'sk' },
      values: { ':from': checkpointSk(range.from), ':to': checkpointSk(range.to) },
      fingerprint: { from: range.from, to: range.to },
    },
    page,
  );
  return { items: res.items.map(toCheckpoint), nextCursor: res.nextCursor };
}

/** Every checkpoint of a chain, in order, a page at a time (for verification). */
export async function* allCheckpoints(chain: string): AsyncGenerator<Checkpoint> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: tableName('Audit'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': checkpointKey(chain, 0).pk },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of res.Items ?? []) yield toCheckpoint(item);
    startKey = res.LastEvaluatedKey;
  } while (startKey);
}
