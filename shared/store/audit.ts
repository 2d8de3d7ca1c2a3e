/** Reading the audit chain: page by page in sequence order, or the events of one entity. */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { AuditEvent } from '../domain/audit.ts';
import { auditEventFromItem, CHAIN_HEAD_KEY, CHAIN_PK, EVENT_SK_PREFIX } from './audit-keys.ts';
import { queryPage } from './query.ts';
import type { Page, PageRequest } from './query.ts';

export async function readHead(): Promise<{ seq: number; hash: string } | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName('Audit'), Key: CHAIN_HEAD_KEY, ConsistentRead: true }));
  return res.Item ? { seq: res.Item.seq as number, hash: res.Item.hash as string } : undefined;
}

/** Every event in sequence order, a page at a time, so memory stays flat however long the chain. */
export async function* eventsInOrder(pageSize = 500): AsyncGenerator<AuditEvent> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: tableName('Audit'),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': CHAIN_PK, ':p': EVENT_SK_PREFIX },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
        ConsistentRead: true,
      }),
    );
    for (const item of res.Items ?? []) yield auditEventFromItem(item);
    startKey = res.LastEvaluatedKey;
  } while (startKey);
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
