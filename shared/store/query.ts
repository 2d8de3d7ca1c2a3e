/**
 * Paginated queries over a key or index. Filters (a name prefix, a category) can make one
 * DynamoDB page come back short, so this keeps reading until the page is full or the key range
 * ends, and hands out a cursor for the last item served — never Scan.
 */
import { QueryCommand } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { TableId } from '../manifest.ts';
import { queryFingerprint } from '../domain/cursor.ts';
import { cursors } from '../aws/cursor-secret.ts';

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface QuerySpec {
  readonly table: TableId;
  /** Index name, or undefined for the table's primary key. */
  readonly index?: string;
  /** Names of the key attributes of the table and the index (for cursors). */
  readonly keyAttributes: readonly string[];
  readonly partition: { readonly name: string; readonly value: string };
  /** Optional sort-key condition, e.g. `begins_with(#sk, :skPrefix)` with its names and values. */
  readonly sortCondition?: string;
  readonly filter?: string;
  readonly names?: Record<string, string>;
  readonly values?: Record<string, unknown>;
  readonly projection?: readonly string[];
  /** Everything that shapes the result set; a cursor only works for the same query. */
  readonly fingerprint: Record<string, unknown>;
  readonly forward?: boolean;
  readonly consistent?: boolean;
}

/** Upper bound on DynamoDB round trips for one page, so a sparse filter cannot run away. */
const MAX_ROUND_TRIPS = 10;

/** The parts of a Query both readers send. */
function queryInput(spec: Omit<QuerySpec, 'fingerprint' | 'keyAttributes'>, names: Record<string, string>, startKey: Record<string, unknown> | undefined) {
  return {
    TableName: tableName(spec.table),
    ...(spec.index ? { IndexName: spec.index } : {}),
    KeyConditionExpression: spec.sortCondition ? `#pk = :pk AND ${spec.sortCondition}` : '#pk = :pk',
    ...(spec.filter ? { FilterExpression: spec.filter } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ':pk': spec.partition.value, ...(spec.values ?? {}) },
    ExclusiveStartKey: startKey,
    ScanIndexForward: spec.forward ?? true,
    ...(spec.consistent ? { ConsistentRead: true } : {}),
  };
}

export async function queryPage(spec: QuerySpec, page: PageRequest): Promise<Page<Record<string, unknown>>> {
  const fingerprint = queryFingerprint({ t: spec.table, i: spec.index, p: spec.partition.value, ...spec.fingerprint });
  // Every paged route comes through here: the cursor is checked against this query's partition
  // before anything reaches DynamoDB. The secret is loaded only when a cursor is read or handed out.
  let startKey: Record<string, unknown> | undefined = page.cursor
    ? (await cursors()).decode(page.cursor, fingerprint, spec.keyAttributes, { [spec.partition.name]: spec.partition.value })
    : undefined;

  const names: Record<string, string> = { '#pk': spec.partition.name, ...(spec.names ?? {}) };
  const projectionNames: string[] = [];
  if (spec.projection) {
    for (const [i, attr] of [...new Set([...spec.projection, ...spec.keyAttributes])].entries()) {
      names[`#p${i}`] = attr;
      projectionNames.push(`#p${i}`);
    }
  }
  const items: Record<string, unknown>[] = [];
  let lastServedKey: Record<string, string> | undefined;
  let exhausted = false;

  for (let trip = 0; trip < MAX_ROUND_TRIPS && items.length < page.limit; trip++) {
    const res = await documentClient().send(
      new QueryCommand({
        ...queryInput(spec, names, startKey),
        ...(projectionNames.length ? { ProjectionExpression: projectionNames.join(', ') } : {}),
        // Read a little more than needed when filtering; exactly the page (and one to spare) otherwise.
        Limit: spec.filter ? Math.max(page.limit * 2, 50) : page.limit - items.length + 1,
      }),
    );
    for (const item of res.Items ?? []) {
      if (items.length < page.limit) {
        items.push(item);
        lastServedKey = Object.fromEntries(spec.keyAttributes.map((k) => [k, String(item[k])]));
      } else {
        // There is at least one more item after the page.
        return { items, nextCursor: lastServedKey ? (await cursors()).encode(lastServedKey, fingerprint) : null };
      }
    }
    if (!res.LastEvaluatedKey) {
      exhausted = true;
      break;
    }
    startKey = res.LastEvaluatedKey;
  }
  if (exhausted || !startKey) return { items, nextCursor: null };
  // Page full, or round-trip budget spent on a sparse filter: continue after the last item *read*
  // (everything between the last item served and it failed the filter already).
  const key = Object.fromEntries(spec.keyAttributes.map((k) => [k, String(startKey?.[k])]));
  return { items, nextCursor: (await cursors()).encode(key, fingerprint) };
}

/**
 * All items of one partition (small, bounded collections such as an item's versions, or every agency).
 * It follows DynamoDB's own LastEvaluatedKey, so reading a whole partition needs no cursor (and no
 * cursor secret).
 */
export async function queryAll(spec: Omit<QuerySpec, 'fingerprint' | 'keyAttributes'>): Promise<Record<string, unknown>[]> {
  const names: Record<string, string> = { '#pk': spec.partition.name, ...(spec.names ?? {}) };
  const projection = (spec.projection ?? []).map((attr, i) => {
    names[`#p${i}`] = attr;
    return `#p${i}`;
  });
  const out: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({ ...queryInput(spec, names, startKey), ...(projection.length ? { ProjectionExpression: projection.join(', ') } : {}) }),
    );
    out.push(...(res.Items ?? []));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return out;
}

/**
 * The items of a sparse due-date queue (an index partition keyed `<date or instant>#<id>`) up to and
 * including `upTo`: what is due by then, overdue included, never the rest of the table.
 */
export async function queueUpTo(table: TableId, index: string, queue: string, upTo: string): Promise<Record<string, unknown>[]> {
  return queryAll({ table, index, partition: { name: `${index}pk`, value: queue }, sortCondition: '#sk <= :to', names: { '#sk': `${index}sk` }, values: { ':to': `${upTo}#~` } });
}
