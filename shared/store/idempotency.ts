/**
 * Stored answers to creating requests sent with an `Idempotency-Key` header, so that a client that
 * retries after a lost response (a field device on a bad network) does not create a thing twice.
 * Records expire after a day (the table's TTL attribute `expiresAt`).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { TableId } from '../manifest.ts';

export interface StoredResponse {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: string;
}

const key = (owner: string, idempotencyKey: string) => ({ pk: `IDEMP#${owner}#${idempotencyKey}`, sk: 'IDEMP' });
const TTL_SECONDS = 24 * 3600;

export async function findResponse(table: TableId, owner: string, idempotencyKey: string): Promise<StoredResponse | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(table), Key: key(owner, idempotencyKey), ConsistentRead: true }));
  const item = res.Item;
  if (!item || (typeof item.expiresAt === 'number' && item.expiresAt * 1000 < Date.now())) return undefined;
  return { fingerprint: item.fingerprint as string, status: item.status as number, body: item.body as string };
}

/** Keeps the first answer if two requests with the same key raced. */
export async function saveResponse(table: TableId, owner: string, idempotencyKey: string, response: StoredResponse): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(table),
        Item: { ...key(owner, idempotencyKey), entity: 'Idempotency', ...response, expiresAt: Math.floor(Date.now() / 1000) + TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
}
