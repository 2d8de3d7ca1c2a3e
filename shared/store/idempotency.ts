/**
 * Idempotency records for creating requests sent with an `Idempotency-Key` header, so that a client
 * that retries after a lost response (a field device on a bad network) never creates a thing twice.
 *
 * Claim → execute → complete, with the claim a conditional put: of concurrent identical requests
 * exactly one claims the key and runs; the others see the claim (409 IDEMPOTENCY_IN_PROGRESS) or,
 * once it completed, its answer. A claim left behind by a crashed request can be taken over after
 * `IN_PROGRESS_SECONDS` (longer than any function's timeout). Records expire after a day (the
 * table's TTL attribute `expiresAt`); expired ones are treated as absent before TTL removes them.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '../aws/dynamodb.ts';
import { ConditionalCheckFailedException } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { TableId } from '../manifest.ts';
import { MAX_ITEM_BYTES } from './item-size.ts';

export interface StoredResponse {
  readonly status: number;
  readonly body: string;
}

export type Claim =
  | { readonly outcome: 'claimed'; readonly token: string }
  | { readonly outcome: 'completed'; readonly fingerprint: string; readonly response: StoredResponse }
  | { readonly outcome: 'in-progress'; readonly fingerprint: string };

const key = (owner: string, idempotencyKey: string) => ({ pk: `IDEMP#${owner}#${idempotencyKey}`, sk: 'IDEMP' });
const TTL_SECONDS = 24 * 3600;
/** Longer than the longest function timeout (shared/manifest.ts), so a live request is never overtaken. */
export const IN_PROGRESS_SECONDS = 15 * 60;

/**
 * Claims the key for a request with `fingerprint`, or reports what holds it. `token` identifies this
 * claim so that only its owner completes or releases it.
 */
export async function claim(table: TableId, owner: string, idempotencyKey: string, fingerprint: string, token: string, now = Date.now()): Promise<Claim> {
  const nowSeconds = Math.floor(now / 1000);
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(table),
        Item: {
          ...key(owner, idempotencyKey),
          entity: 'Idempotency',
          state: 'IN_PROGRESS',
          fingerprint,
          token,
          lockedUntil: nowSeconds + IN_PROGRESS_SECONDS,
          expiresAt: nowSeconds + TTL_SECONDS,
        },
        // Free, expired, or a claim abandoned by a crashed request.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :inProgress AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':now': nowSeconds, ':inProgress': 'IN_PROGRESS' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { outcome: 'claimed', token };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException) || !e.Item) throw e;
    const held = e.Item as Record<string, { S?: string; N?: string }>;
    const heldFingerprint = held.fingerprint?.S ?? '';
    if (held.state?.S === 'COMPLETED') {
      return { outcome: 'completed', fingerprint: heldFingerprint, response: { status: Number(held.status?.N ?? 200), body: held.body?.S ?? '' } };
    }
    return { outcome: 'in-progress', fingerprint: heldFingerprint };
  }
}

/** Marks a completed request whose answer was too large to keep (see `complete`). */
export const ANSWER_NOT_KEPT = '';

/**
 * Keeps the answer of a successful request for replay. An answer too large for one item is not kept:
 * the record still says the request completed, so a retry never runs it again.
 */
export async function complete(table: TableId, owner: string, idempotencyKey: string, token: string, response: StoredResponse): Promise<void> {
  if (Buffer.byteLength(response.body, 'utf8') > MAX_ITEM_BYTES - 4096) response = { status: response.status, body: ANSWER_NOT_KEPT };
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(table),
        Key: key(owner, idempotencyKey),
        UpdateExpression: 'SET #state = :completed, #status = :status, #body = :body REMOVE lockedUntil, #token',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#state': 'state', '#status': 'status', '#body': 'body', '#token': 'token' },
        ExpressionAttributeValues: { ':completed': 'COMPLETED', ':status': response.status, ':body': response.body, ':token': token },
      }),
    );
  } catch (e) {
    // Overtaken after IN_PROGRESS_SECONDS: the other request's answer stands.
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
}

/** Frees the key after a refused or failed request, so it may be corrected and sent again. */
export async function release(table: TableId, owner: string, idempotencyKey: string, token: string): Promise<void> {
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: tableName(table),
        Key: key(owner, idempotencyKey),
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': token },
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
}
