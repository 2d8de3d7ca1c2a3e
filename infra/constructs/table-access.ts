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
 * Append-only use of the audit table: read the chain head, put the new events and move the head
 * in the same transaction. No Query on the indexes: a writer has no business reading the trail.
 */
export const APPEND_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** Reads of the public projection of Officers; restricted further by IAM conditions. */
export const PUBLIC_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** KMS actions a principal needs on the table key for DynamoDB to use it on its behalf. */
export const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
export const KMS_WRITE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

export const writes = (access: TableAccess): boolean => access === 'readwrite' || access === 'append';
