/**
 * The IAM actions behind each kind of table access in shared/manifest.ts. Kept apart from the
 * construct so that the mapping can be read (and reviewed) on one screen.
 *
 * Never granted: `DeleteItem` (no function of ours deletes; history is kept), `BatchWriteItem` (it
 * carries DeleteRequests under the same permission, and all our writes go through
 * TransactWriteItems, which is authorised by the per-item actions below), `Scan` (requests are
 * served by keys and indexes), `PartiQL*` (a second query language to audit).
 */
import type { TableAccess } from '../../shared/manifest.ts';

/** Reads: on the table and on each of its indexes. */
export const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:DescribeTable',
] as const;

/** Item writes used inside TransactWriteItems (Put, Update, ConditionCheck); on the table only. */
export const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'] as const;

/**
 * The Audit table (issue 12, point 6). Its items live in partitions by kind, and every grant on it is
 * limited by `dynamodb:LeadingKeys` (the partition key only: IAM cannot condition on the sort key):
 *
 *   CHAIN#<chain>       events (SEQ#…) and the chain's head (HEAD), in one partition
 *   MERKLE#<chain>      completed perfect subtrees of the chain's Merkle tree
 *   FRONTIER#<chain>    the tree's frontier after the latest checkpoint
 *   CHECKPOINT#<chain>  the signed checkpoints
 *
 * No function may DeleteItem anything. UpdateItem is granted only to move heads: on CHAIN#* partitions,
 * and only naming the head's attributes (`dynamodb:Attributes`), so it cannot rewrite an event's content,
 * actor or index keys. What remains, and why: PutItem on CHAIN#* (a new event is a put, and IAM cannot
 * tell a new item from an existing one, nor an event's sort key from the head's), and UpdateItem of
 * `seq`/`hash`/`at` on an event item (same partition as the head). Both are covered by the hash chain
 * and by the signed checkpoints, which no appender can touch: an event rewritten after a checkpoint no
 * longer gives the signed root (`npm run audit:verify`). Frontiers move by a conditional PutItem, so the
 * checkpoint writers hold no UpdateItem at all.
 */
export const AUDIT_CHAIN_PARTITIONS = ['CHAIN#*'] as const;
export const AUDIT_CHECKPOINT_PARTITIONS = ['CHECKPOINT#*', 'MERKLE#*', 'FRONTIER#*'] as const;
/** What an UpdateItem of a head names: its keys, and what commit sets and conditions on. */
export const AUDIT_HEAD_ATTRIBUTES = ['pk', 'sk', 'seq', 'hash', 'at'] as const;
/** The values of `dynamodb:ReturnValues` that return only the attributes an update named. */
export const HEAD_UPDATE_RETURN_VALUES = ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] as const;

/** Appending: read heads (one or a batch), put the new events, in CHAIN#* partitions. */
export const APPEND_EVENT_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'] as const;
/** Moving a head, in the change's transaction. */
export const MOVE_HEAD_ACTIONS = ['dynamodb:UpdateItem'] as const;
/**
 * Append-only use of the audit table (all statements together). No Query, no indexes: a writer has no
 * business reading the trail.
 */
export const APPEND_ACTIONS = [...APPEND_EVENT_ACTIONS, ...MOVE_HEAD_ACTIONS] as const;
/** The checkpoint job reads the chains' heads and new events (Query from the frontier's size). */
export const CHAIN_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
/** Checkpoint writers: read and put nodes, frontiers and checkpoints (conditional puts; no update). */
export const CHECKPOINT_WRITE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'] as const;
/** The public function: the checkpoint items, read only. */
export const AUDIT_PUBLIC_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** The accesses that exist only for the Audit table. */
export const AUDIT_ONLY_ACCESS: readonly TableAccess[] = ['append-checkpoint', 'read-checkpoint', 'audit-public-read'];

/** Reads of the public projection of Officers; restricted further by IAM conditions. */
export const PUBLIC_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** KMS actions a principal needs on the table key for DynamoDB to use it on its behalf. */
export const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
export const KMS_WRITE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

export const writes = (access: TableAccess): boolean =>
  access === 'readwrite' || access === 'append' || access === 'append-checkpoint' || access === 'read-checkpoint';
