/**
 * Items read and round trips of the shared DynamoDB document client (shared/aws/clients.ts), as the
 * benches count them: a GetItem that found an item counts 1, a Query its ScannedCount (what DynamoDB
 * read, filters included), a BatchGetItem its responses. Reset `items` and `trips` between runs.
 */
import type { DocumentClient } from '../shared/aws/dynamodb.ts';

export interface ReadCounts {
  items: number;
  trips: number;
}

export function countReads(client: DocumentClient, name: string): ReadCounts {
  const counts: ReadCounts = { items: 0, trips: 0 };
  client.intercept(name, async ({ operation }, next) => {
    const out = (await next()) as { ScannedCount?: number; Item?: unknown; Responses?: Record<string, unknown[]> };
    counts.trips += 1;
    if (operation === 'GetItem') counts.items += out.Item ? 1 : 0;
    else if (operation === 'Query') counts.items += out.ScannedCount ?? 0;
    else if (operation === 'BatchGetItem') counts.items += Object.values(out.Responses ?? {}).reduce((n, l) => n + l.length, 0);
    return out;
  });
  return counts;
}
