/**
 * Items read and round trips of the shared DynamoDB document client (shared/aws/clients.ts), as the
 * benches count them: a GetItem that found an item counts 1, a Query its ScannedCount (what DynamoDB
 * read, filters included), a BatchGetItem its responses. Reset `items` and `trips` between runs.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface ReadCounts {
  items: number;
  trips: number;
}

export function countReads(client: DynamoDBDocumentClient, name: string): ReadCounts {
  const counts: ReadCounts = { items: 0, trips: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const out = result.output as { ScannedCount?: number; Item?: unknown; Responses?: Record<string, unknown[]> };
      counts.trips += 1;
      if (context.commandName === 'GetCommand' || context.commandName === 'GetItemCommand') counts.items += out.Item ? 1 : 0;
      else if (context.commandName === 'QueryCommand') counts.items += out.ScannedCount ?? 0;
      else if (context.commandName === 'BatchGetCommand' || context.commandName === 'BatchGetItemCommand') counts.items += Object.values(out.Responses ?? {}).reduce((n, l) => n + l.length, 0);
      return result;
    },
    { step: 'initialize', name },
  );
  return counts;
}
