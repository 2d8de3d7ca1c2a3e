/**
 * Public decision search at two table sizes (10,000 and 100,000 public decisions by default):
 * latency and, above all, items read per query (DynamoDB `ScannedCount`: the items a Query
 * evaluates before its filter, which is what DynamoDB bills and what grows with a bad key design).
 *
 * 1. DynamoDB Local in memory (`startEmbeddedServices`), tables as the stacks define them.
 * 2. The smaller set is loaded with BatchWriteItem, measured, then topped up to the larger set and
 *    measured again. Items are exactly what `publishWrites(record, 0)` writes for a first
 *    publication; records are deterministic (`decision-data.ts`), so both sets share their first
 *    10,000 records and every query uses the same parameters at both sizes.
 * 3. Store level: `search()` of shared/store/disclosures.ts called in-process, one query at a time,
 *    through the shared document client with a middleware that adds up `ScannedCount`, `Count` and
 *    round trips of every Query it sends. Shapes run round-robin (one query of each in turn).
 * 4. Sparse shapes paged to the end (following `nextCursor`), to show the cost of a whole result.
 * 5. End to end: `GET /public/decisions` through the local HTTP API (`startLocalSystem` on the same
 *    DynamoDB Local), for a few shapes.
 * 6. An emulator check: the PARTY key range read with begins_with and with the equivalent BETWEEN.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/aws/clients.ts';
import { tableName } from '../shared/aws/env.ts';
import { publishWrites, search, type DecisionSearch } from '../shared/store/disclosures.ts';
import { normaliseName, type PublicDecision } from '../shared/domain/disclosure.ts';
import { startLocalSystem, type LocalSystem } from '../local/runtime.ts';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  applyLocalEnvironment,
  localEnvironment,
  startEmbeddedServices,
  type EmbeddedServices,
} from '../local/services.ts';
import { AGENCIES, ALL_KINDS, SURNAMES, months, pick, rngFor, syntheticDecision, type Rng } from './decision-data.ts';
import { dynamoDbJavaProcesses, newJavaSince } from './latency.ts';
import { percentile, round } from './stats.ts';
import { isAlive } from '../local/lock.ts';

/** Which of the items publishWrites() produces are loaded. */
export type ItemSet = 'all' | 'index';

export interface DecisionBenchOptions {
  /** Table sizes in records, ascending; each larger set extends the smaller one. */
  readonly sizes: readonly number[];
  /** Measured queries per shape and size. */
  readonly queries: number;
  /** HTTP requests per shape and size. */
  readonly httpRequests: number;
  /** 'all': CURRENT, V#000001 and the six IDX# items (what publication writes); 'index': IDX# only. */
  readonly items: ItemSet;
  readonly log?: (line: string) => void;
}

export interface Summary {
  readonly mean: number;
  readonly p50: number;
  readonly max: number;
}

export interface ShapeStats {
  readonly id: string;
  readonly label: string;
  /** Index partition the store picks, and the filter applied in it. */
  readonly plan: string;
  /** Query string of the first measured query (the parameters vary per query). */
  readonly example: string;
  readonly queries: number;
  /** ScannedCount summed over the round trips of one page. */
  readonly itemsRead: Summary;
  readonly itemsReturned: Summary;
  readonly roundTrips: Summary;
  /** Pages with fewer items than the limit but a cursor: the round-trip budget ran out. */
  readonly shortPagesWithCursor: number;
  /** Pages with no item at all. */
  readonly emptyPages: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly samplesMs: readonly number[];
  readonly samplesItemsRead: readonly number[];
}

export interface AllPagesStats {
  readonly id: string;
  readonly label: string;
  readonly queries: number;
  readonly pages: Summary;
  readonly itemsRead: Summary;
  readonly itemsReturned: Summary;
  /** Items in the key range the query reads (a COUNT query over the same range, not counted above). */
  readonly keyRangeItems: Summary;
  readonly ms: Summary;
}

export interface HttpShapeStats {
  readonly id: string;
  readonly label: string;
  readonly requests: number;
  readonly non200: number;
  readonly itemsRead: Summary;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly samplesMs: readonly number[];
}

/**
 * The same PARTY key range read with `begins_with` and with the equivalent `BETWEEN`, straight
 * through the loader's client: separates DynamoDB Local's handling of begins_with (its time grows
 * with the partition) from what the store's queries read.
 */
export interface KeyConditionStats {
  readonly id: string;
  readonly label: string;
  readonly queries: number;
  readonly itemsRead: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface SizeRun {
  readonly records: number;
  /** Items in the Disclosures table (as DescribeTable would say, counted by the loader). */
  readonly itemsStored: number;
  /** Time to load the records added for this size, and its rate. */
  readonly loadMs: number;
  readonly loadItemsPerS: number;
  readonly loadRetries: number;
  readonly shapes: readonly ShapeStats[];
  readonly allPages: readonly AllPagesStats[];
  readonly http: readonly HttpShapeStats[];
  readonly keyConditions: readonly KeyConditionStats[];
}

export interface DecisionRun {
  readonly items: ItemSet;
  readonly itemsPerRecord: number;
  readonly limit: number;
  readonly queries: number;
  readonly httpRequests: number;
  readonly startMs: number;
  readonly stopMs: number;
  readonly firstHttpMs: number;
  readonly sizes: readonly SizeRun[];
  readonly childPids: readonly number[];
  readonly survivingChildren: readonly number[];
  readonly newJavaAfterStop: readonly number[];
  readonly serverErrors: readonly string[];
  readonly checks: readonly string[];
}

const LIMIT = 20;
const WARM_UP = 5;
const ALL_PAGES_QUERIES = 20;
const MAX_PAGES = 1000;
const LOAD_CONCURRENCY = 8;
const KEY_CONDITION_QUERIES = 50;

// ---------------------------------------------------------------------------------------------
// Query shapes

interface Pools {
  readonly creditCodes: readonly string[];
  readonly decisionNos: readonly string[];
  /** Region + trade name of organisations, e.g. 宿迁市恒达: what someone types for a company. */
  readonly companyPrefixes: readonly string[];
}

interface Shape {
  readonly id: string;
  readonly label: string;
  readonly plan: string;
  readonly params: (rng: Rng, pools: Pools) => DecisionSearch;
}

const TOP_SURNAMES = SURNAMES.slice(0, 10);
const MONTHS = months();
const month = (rng: Rng): { from: string; to: string } => {
  const [from, to] = pick(rng, MONTHS);
  return { from, to };
};
const agency = (rng: Rng): string => pick(rng, AGENCIES).id;

const SHAPES: readonly Shape[] = [
  { id: 'latest', label: 'no filter (latest 20)', plan: 'ALL', params: () => ({}) },
  { id: 'kind', label: 'kind', plan: 'KIND#<kind>', params: (rng) => ({ kind: pick(rng, ALL_KINDS) }) },
  { id: 'agency', label: 'agencyId', plan: 'AGENCY#<id>', params: (rng) => ({ agencyId: agency(rng) }) },
  {
    id: 'agency-kind',
    label: 'agencyId + kind',
    plan: 'AGENCY#<id>, filter kind',
    params: (rng) => ({ agencyId: agency(rng), kind: pick(rng, ALL_KINDS) }),
  },
  {
    id: 'party',
    label: 'party prefix',
    plan: 'PARTY, begins_with(name)',
    params: (rng, pools) => ({ party: rng() < 0.5 ? pick(rng, SURNAMES.slice(0, 20)) : pick(rng, pools.companyPrefixes) }),
  },
  { id: 'credit', label: 'creditCode', plan: 'CREDIT#<code>', params: (rng, pools) => ({ creditCode: pick(rng, pools.creditCodes) }) },
  { id: 'decno', label: 'decisionNo', plan: 'DECNO#<no>', params: (rng, pools) => ({ decisionNo: pick(rng, pools.decisionNos) }) },
  { id: 'month', label: 'date range (1 month)', plan: 'ALL, sk BETWEEN', params: (rng) => month(rng) },
  {
    id: 'agency-month',
    label: 'agencyId + 1 month',
    plan: 'AGENCY#<id>, sk BETWEEN',
    params: (rng) => ({ agencyId: agency(rng), ...month(rng) }),
  },
  {
    id: 'party-month',
    label: 'party prefix + 1 month',
    plan: 'PARTY, begins_with, filter date',
    params: (rng) => ({ party: pick(rng, TOP_SURNAMES), ...month(rng) }),
  },
  {
    id: 'sparse',
    label: 'sparse: agency + kind + party',
    plan: 'PARTY, begins_with, filter agency, kind',
    params: (rng) => ({ agencyId: agency(rng), kind: pick(rng, ['LICENSING', 'OTHER'] as const), party: pick(rng, TOP_SURNAMES) }),
  },
];

/** Shapes paged to the end, and shapes sent through HTTP as well. */
const ALL_PAGES_SHAPES = ['agency-kind', 'party-month', 'sparse'];
const HTTP_SHAPES = ['latest', 'agency-kind', 'party', 'sparse'];

/** Parameters of query `q` of a shape: the same at every table size. */
const paramsOf = (shape: Shape, q: number, pools: Pools): DecisionSearch => shape.params(rngFor(`shape:${shape.id}`, q), pools);

function buildPools(records: number): Pools {
  const creditCodes: string[] = [];
  const decisionNos: string[] = [];
  const companyPrefixes = new Set<string>();
  const regions = ['宿迁市', '江苏', '沭阳县', '泗阳县', '泗洪县'];
  for (let i = 0; i < records; i++) {
    const d = syntheticDecision(i);
    decisionNos.push(d.decisionNo);
    if (d.party.creditCode) creditCodes.push(d.party.creditCode);
    if (d.party.kind === 'ORG') {
      const region = regions.find((r) => d.party.name.startsWith(r));
      if (region) companyPrefixes.add(d.party.name.slice(0, region.length + 2));
    }
  }
  return { creditCodes, decisionNos, companyPrefixes: [...companyPrefixes] };
}

export function queryString(q: DecisionSearch, extra: Record<string, string> = {}): string {
  const entries = Object.entries({ ...q, ...extra }).filter((e): e is [string, string] => typeof e[1] === 'string');
  return new URLSearchParams(entries).toString();
}

// ---------------------------------------------------------------------------------------------
// Counting what Query reads

interface Reads {
  trips: number;
  scanned: number;
  returned: number;
}

const reads: Reads = { trips: 0, scanned: 0, returned: 0 };
let counterInstalled = false;

/** Adds up ScannedCount / Count of every Query sent through the shared document client. */
function installReadCounter(): void {
  if (counterInstalled) return;
  counterInstalled = true;
  documentClient().intercept('benchQueryReadCounter', async ({ operation }, next) => {
    const result = await next();
    if (operation === 'Query') {
      const out = result as { ScannedCount?: number; Count?: number };
      reads.trips += 1;
      reads.scanned += out.ScannedCount ?? 0;
      reads.returned += out.Count ?? 0;
    }
    return result;
  });
}

function takeReads(): Reads {
  const r = { ...reads };
  reads.trips = 0;
  reads.scanned = 0;
  reads.returned = 0;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Loading

function itemsOf(d: PublicDecision, set: ItemSet): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const w of publishWrites(d, 0)) {
    if (w.kind !== 'put') throw new Error(`publishWrites returned a ${w.kind}: the bench only knows puts`);
    if (set === 'index' && !String(w.item.sk).startsWith('IDX#')) continue;
    items.push(w.item);
  }
  return items;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface LoadResult {
  readonly items: number;
  readonly ms: number;
  readonly retries: number;
}

/**
 * Records [from, to) with BatchWriteItem, 25 items a batch, LOAD_CONCURRENCY batches in flight,
 * unprocessed items retried with back-off.
 */
async function loadRecords(
  client: DynamoDBDocumentClient,
  table: string,
  from: number,
  to: number,
  set: ItemSet,
  say: (line: string) => void,
): Promise<LoadResult> {
  const started = performance.now();
  const queue: Record<string, unknown>[] = [];
  let next = from;
  let written = 0;
  let retries = 0;
  let shownPct = 0;
  const nextBatch = (): Record<string, unknown>[] | undefined => {
    while (queue.length < 25 && next < to) queue.push(...itemsOf(syntheticDecision(next++), set));
    return queue.length > 0 ? queue.splice(0, 25) : undefined;
  };
  const writeBatch = async (items: Record<string, unknown>[]): Promise<void> => {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; ; attempt++) {
      const res = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      const left = res.UnprocessedItems?.[table] ?? [];
      written += requests.length - left.length;
      if (left.length === 0) return;
      if (attempt >= 20) throw new Error(`BatchWriteItem: ${left.length} items still unprocessed after 20 retries`);
      retries++;
      requests = left.map((r) => ({ PutRequest: { Item: r.PutRequest?.Item ?? {} } }));
      await delay(Math.min(1000, 20 * 2 ** attempt));
    }
  };
  const worker = async (): Promise<void> => {
    for (let batch = nextBatch(); batch; batch = nextBatch()) {
      await writeBatch(batch);
      const pct = Math.floor(((next - from) / (to - from)) * 10) * 10;
      if (pct > shownPct && pct < 100) {
        shownPct = pct;
        const s = (performance.now() - started) / 1000;
        say(`  ${pct}% (${written.toLocaleString('en')} items, ${Math.round(written / s)} items/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, () => worker()));
  return { items: written, ms: performance.now() - started, retries };
}

/** Items in the key range a search reads: COUNT queries, through the loader's client (not counted). */
async function keyRangeSize(client: DynamoDBDocumentClient, table: string, q: DecisionSearch): Promise<number> {
  // Mirrors the partition choice of search() for the shapes paged to the end (party or agency).
  const input = q.party
    ? {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :p)',
        ExpressionAttributeValues: { ':pk': 'PARTY', ':p': normaliseName(q.party) },
      }
    : { KeyConditionExpression: '#pk = :pk', ExpressionAttributeValues: { ':pk': `AGENCY#${q.agencyId ?? ''}` } };
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        Select: 'COUNT',
        ExpressionAttributeNames: { '#pk': 'gsi1pk', ...(q.party ? { '#sk': 'gsi1sk' } : {}) },
        ...input,
        ExclusiveStartKey: startKey,
      }),
    );
    count += res.Count ?? 0;
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** Raw PARTY queries (Limit 21, newest-first direction as the store sends them), begins_with vs BETWEEN. */
async function measureKeyConditions(client: DynamoDBDocumentClient, table: string, pools: Pools, queries: number): Promise<KeyConditionStats[]> {
  const prefixes = [
    { id: 'surname', prefix: '王', note: 'a common surname (page full)' },
    { id: 'company', prefix: pools.companyPrefixes[0] ?? '宿迁市', note: 'a company name prefix (few matches)' },
  ];
  const variants = prefixes.flatMap((p) => [
    {
      id: `${p.id}-begins-with`,
      label: `begins_with(sk, '${p.prefix}'): ${p.note}`,
      key: 'begins_with(#sk, :lo)',
      values: { ':lo': p.prefix },
    },
    {
      id: `${p.id}-between`,
      label: `sk BETWEEN '${p.prefix}' AND '${p.prefix}\\u{10FFFF}': same range`,
      key: '#sk BETWEEN :lo AND :hi',
      values: { ':lo': p.prefix, ':hi': `${p.prefix}\u{10FFFF}` },
    },
  ]);
  const samples = new Map<string, { ms: number; read: number }[]>(variants.map((v) => [v.id, []]));
  for (let q = -WARM_UP; q < queries; q++) {
    for (const v of variants) {
      const started = performance.now();
      const res = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: `#pk = :pk AND ${v.key}`,
          ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
          ExpressionAttributeValues: { ':pk': 'PARTY', ...v.values },
          ScanIndexForward: false,
          Limit: LIMIT + 1,
        }),
      );
      if (q >= 0) samples.get(v.id)?.push({ ms: performance.now() - started, read: res.ScannedCount ?? 0 });
    }
  }
  return variants.map((v) => {
    const list = samples.get(v.id) ?? [];
    const ms = list.map((x) => x.ms);
    return {
      id: v.id,
      label: v.label,
      queries: list.length,
      itemsRead: list[0]?.read ?? 0,
      p50Ms: round(percentile(ms, 50), 2),
      p99Ms: round(percentile(ms, 99), 2),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Measuring

const summary = (values: readonly number[], digits = 0): Summary => ({
  mean: round(values.reduce((s, v) => s + v, 0) / Math.max(1, values.length), 1),
  p50: round(percentile(values, 50), digits),
  max: values.length > 0 ? round(Math.max(...values), digits) : Number.NaN,
});

interface QuerySample {
  readonly ms: number;
  readonly read: Reads;
  readonly items: number;
  readonly cursor: boolean;
}

async function timedSearch(q: DecisionSearch, cursor?: string | null): Promise<QuerySample & { nextCursor: string | null }> {
  takeReads();
  const started = performance.now();
  const page = await search(q, { limit: LIMIT, ...(cursor ? { cursor } : {}) });
  const ms = performance.now() - started;
  return { ms, read: takeReads(), items: page.items.length, cursor: page.nextCursor !== null, nextCursor: page.nextCursor };
}

async function measureShapes(pools: Pools, queries: number, checks: string[], records: number): Promise<ShapeStats[]> {
  for (const shape of SHAPES) for (let q = 0; q < WARM_UP; q++) await search(paramsOf(shape, queries + q, pools), { limit: LIMIT });
  const samples = new Map<string, QuerySample[]>(SHAPES.map((s) => [s.id, []]));
  // Round-robin: a busy moment of the machine spreads over every shape.
  for (let q = 0; q < queries; q++) {
    for (const shape of SHAPES) {
      const s = await timedSearch(paramsOf(shape, q, pools));
      samples.get(shape.id)?.push(s);
      if (s.read.returned < s.items) checks.push(`${records}: ${shape.id} returned ${s.items} items but Query counted ${s.read.returned}`);
    }
  }
  return SHAPES.map((shape) => {
    const list = samples.get(shape.id) ?? [];
    const ms = list.map((s) => s.ms);
    if (shape.id === 'decno' && list.some((s) => s.items !== 1)) checks.push(`${records}: a decisionNo query did not return exactly one record`);
    if (shape.id === 'credit' && list.some((s) => s.items === 0)) checks.push(`${records}: a creditCode query returned nothing`);
    return {
      id: shape.id,
      label: shape.label,
      plan: shape.plan,
      example: queryString(paramsOf(shape, 0, pools)),
      queries: list.length,
      itemsRead: summary(list.map((s) => s.read.scanned)),
      itemsReturned: summary(list.map((s) => s.items)),
      roundTrips: summary(list.map((s) => s.read.trips)),
      shortPagesWithCursor: list.filter((s) => s.items < LIMIT && s.cursor).length,
      emptyPages: list.filter((s) => s.items === 0).length,
      p50Ms: round(percentile(ms, 50), 2),
      p90Ms: round(percentile(ms, 90), 2),
      p99Ms: round(percentile(ms, 99), 2),
      maxMs: round(Math.max(...ms), 2),
      samplesMs: ms.map((v) => round(v, 2)),
      samplesItemsRead: list.map((s) => s.read.scanned),
    };
  });
}

async function measureAllPages(pools: Pools, client: DynamoDBDocumentClient, table: string, checks: string[], records: number): Promise<AllPagesStats[]> {
  const out: AllPagesStats[] = [];
  for (const id of ALL_PAGES_SHAPES) {
    const shape = SHAPES.find((s) => s.id === id);
    if (!shape) throw new Error(`no shape ${id}`);
    const pages: number[] = [];
    const read: number[] = [];
    const returned: number[] = [];
    const range: number[] = [];
    const ms: number[] = [];
    for (let q = 0; q < ALL_PAGES_QUERIES; q++) {
      const params = paramsOf(shape, q, pools);
      let cursor: string | null = null;
      let n = 0;
      let r = 0;
      let items = 0;
      let t = 0;
      do {
        const s = await timedSearch(params, cursor);
        cursor = s.nextCursor;
        n++;
        r += s.read.scanned;
        items += s.items;
        t += s.ms;
      } while (cursor && n < MAX_PAGES);
      if (cursor) checks.push(`${records}: ${id} query ${q} still had a cursor after ${MAX_PAGES} pages`);
      pages.push(n);
      read.push(r);
      returned.push(items);
      ms.push(t);
      range.push(await keyRangeSize(client, table, params));
    }
    out.push({
      id,
      label: shape.label,
      queries: ALL_PAGES_QUERIES,
      pages: summary(pages),
      itemsRead: summary(read),
      itemsReturned: summary(returned),
      keyRangeItems: summary(range),
      ms: summary(ms, 1),
    });
  }
  return out;
}

async function measureHttp(system: LocalSystem, pools: Pools, requests: number): Promise<HttpShapeStats[]> {
  const shapes = SHAPES.filter((s) => HTTP_SHAPES.includes(s.id));
  const get = async (q: DecisionSearch): Promise<{ ms: number; status: number; read: number }> => {
    takeReads();
    const started = performance.now();
    try {
      const res = await fetch(`${system.url}/public/decisions?${queryString(q, { limit: String(LIMIT) })}`);
      await res.arrayBuffer();
      return { ms: performance.now() - started, status: res.status, read: takeReads().scanned };
    } catch {
      return { ms: performance.now() - started, status: 0, read: takeReads().scanned };
    }
  };
  for (const shape of shapes) for (let q = 0; q < WARM_UP; q++) await get(paramsOf(shape, requests + q, pools));
  const samples = new Map<string, { ms: number; status: number; read: number }[]>(shapes.map((s) => [s.id, []]));
  for (let q = 0; q < requests; q++) for (const shape of shapes) samples.get(shape.id)?.push(await get(paramsOf(shape, q, pools)));
  return shapes.map((shape) => {
    const list = samples.get(shape.id) ?? [];
    const ms = list.map((s) => s.ms);
    return {
      id: shape.id,
      label: shape.label,
      requests: list.length,
      non200: list.filter((s) => s.status !== 200).length,
      itemsRead: summary(list.map((s) => s.read)),
      p50Ms: round(percentile(ms, 50), 2),
      p90Ms: round(percentile(ms, 90), 2),
      p99Ms: round(percentile(ms, 99), 2),
      maxMs: round(Math.max(...ms), 2),
      samplesMs: ms.map((v) => round(v, 2)),
    };
  });
}


export async function measureDecisionSearch(options: DecisionBenchOptions): Promise<DecisionRun> {
  const say = options.log ?? (() => undefined);
  const sizes = [...options.sizes].sort((a, b) => a - b);
  const smallest = sizes[0];
  if (smallest === undefined) throw new Error('no table size given');
  const javaBefore = new Set(dynamoDbJavaProcesses().map((p) => p.pid));
  const serverLog: string[] = [];
  const checks: string[] = [];

  const startedAt = performance.now();
  const services: EmbeddedServices = await startEmbeddedServices({ log: (line) => serverLog.push(line) });
  let system: LocalSystem | undefined;
  let loader: DynamoDBDocumentClient | undefined;
  const runs: SizeRun[] = [];
  let startMs = 0;
  let firstHttpMs = 0;
  let stopMs = 0;
  try {
    // The HTTP API on the same DynamoDB Local; it also sets the environment the store reads.
    system = await startLocalSystem({ services, log: (line) => serverLog.push(line) });
    applyLocalEnvironment(localEnvironment(services));
    startMs = performance.now() - startedAt;
    say(`DynamoDB Local in memory and the local API up in ${(startMs / 1000).toFixed(1)} s (children ${services.childPids.join(', ')})`);
    installReadCounter();
    const table = tableName('Disclosures');
    loader = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: services.dynamodbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 5 }),
      { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } },
    );
    const itemsPerRecord = itemsOf(syntheticDecision(0), options.items).length;
    say(`query parameters from the first ${smallest.toLocaleString('en')} records (present at every size)…`);
    const pools = buildPools(smallest);

    const first = performance.now();
    const res = await fetch(`${system.url}/public/decisions?limit=1`);
    await res.arrayBuffer();
    firstHttpMs = performance.now() - first;
    if (res.status !== 200) checks.push(`first GET /public/decisions answered ${res.status}`);

    let loaded = 0;
    let stored = 0;
    for (const size of sizes) {
      say(`loading records ${loaded.toLocaleString('en')}–${(size - 1).toLocaleString('en')} (${options.items === 'all' ? 'every item publishWrites() writes' : 'the IDX# items only'}, ${itemsPerRecord} per record)…`);
      const load = await loadRecords(loader, table, loaded, size, options.items, say);
      loaded = size;
      stored += load.items;
      const rate = Math.round(load.items / (load.ms / 1000));
      say(`  ${load.items.toLocaleString('en')} items in ${(load.ms / 1000).toFixed(1)} s (${rate} items/s, ${load.retries} retried batches)`);
      say(`${size.toLocaleString('en')} records: ${options.queries} queries × ${SHAPES.length} shapes, one at a time…`);
      const shapes = await measureShapes(pools, options.queries, checks, size);
      say(`  paging ${ALL_PAGES_SHAPES.join(', ')} to the end (${ALL_PAGES_QUERIES} queries each)…`);
      const allPages = await measureAllPages(pools, loader, table, checks, size);
      say(`  GET /public/decisions: ${options.httpRequests} requests × ${HTTP_SHAPES.length} shapes, one at a time…`);
      const http = await measureHttp(system, pools, options.httpRequests);
      say(`  DynamoDB Local check: PARTY range by begins_with and by BETWEEN, ${KEY_CONDITION_QUERIES} queries each…`);
      const keyConditions = await measureKeyConditions(loader, table, pools, KEY_CONDITION_QUERIES);
      runs.push({
        records: size,
        itemsStored: stored,
        loadMs: round(load.ms, 0),
        loadItemsPerS: rate,
        loadRetries: load.retries,
        shapes,
        allPages,
        http,
        keyConditions,
      });
    }
    const stopping = performance.now();
    loader.destroy();
    loader = undefined;
    await system.stop();
    system = undefined;
    await services.stop();
    stopMs = performance.now() - stopping;
    const survivingChildren = services.childPids.filter(isAlive);
    const newJavaAfterStop = newJavaSince(javaBefore, services.childPids);
    return {
      items: options.items,
      itemsPerRecord,
      limit: LIMIT,
      queries: options.queries,
      httpRequests: options.httpRequests,
      startMs: round(startMs, 0),
      stopMs: round(stopMs, 0),
      firstHttpMs: round(firstHttpMs, 1),
      sizes: runs,
      childPids: services.childPids,
      survivingChildren,
      newJavaAfterStop,
      serverErrors: serverLog.filter((line) => line.startsWith('ERROR')).slice(0, 20),
      checks,
    };
  } finally {
    loader?.destroy();
    await system?.stop();
    await services.stop();
  }
}
