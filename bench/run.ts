/**
 * `npm run bench`: bundle size and cold import time of every Lambda function, and latency of the
 * public routes through the local system. Prints tables and writes .bench/results.json.
 *
 *   npm run bench                       # bundles and latency (about 3–4 minutes on 2 cores)
 *   npm run bench -- --only bundle      # bundles and import times only (no Java needed)
 *   npm run bench -- --only latency     # public-route latency only
 *   npm run bench -- --runs 20 --requests 1000 --concurrency 1,4
 *   npm run bench -- --only decisions   # decision search at 10k and 100k records (not in the default
 *                                       # run: loading 100k records takes minutes)
 *   npm run bench -- --only decisions --sizes 10000,100000 --queries 200 --http-requests 200 --items all
 *   npm run bench -- --only evidence    # evidence uploads of 1 GiB and 5 GiB generated streams through
 *                                       # the local flow, beside a direct PutObject (about 10 minutes;
 *                                       # needs ~15 GB free disk)
 *   npm run bench -- --only evidence --evidence-mib 64,1024
 *   npm run bench -- --only evidence-verify   # the scheduled evidence re-verification at 1,000 and 10,000
 *                                       # sealed records, 50 due: items read and bytes hashed follow what is due
 *   npm run bench -- --only filings     # 200 concurrent case filings in one agency, 20 in flight: all
 *                                       # succeed with gap-free numbers; p50/p99; then the same over 3
 *                                       # agencies and in one, with 1 audit chain and with 16 (2 minutes)
 *   npm run bench -- --only filings --filings 500 --in-flight 50
 *   npm run bench -- --only provisional # recounting 10,000 provisional deadlines once a holiday year is
 *                                       # entered, with 10k and 100k decisions stored (a few minutes)
 *   npm run bench -- --only provisional --sizes 20000,50000 --provisional 5000
 *   npm run bench -- --only checkpoints # the signed-checkpoint job after 10k and 100k audit events, and
 *                                       # after 1,000 more at each size; proof sizes (a few minutes)
 *   npm run bench -- --only deadlines   # the daily deadline check and the annual report at 10k and
 *                                       # 100k stored decisions (loading takes minutes)
 *   npm run bench -- --only deadlines --sizes 10000,100000 --runs 20
 *   npm run bench -- --only documents   # the penalty-procedure documents' PDFs: p50/p99 and bytes per
 *                                       # template over 30 renders (or --runs), then 50 documents' bytes (about 30 s, no Java)
 *   npm run bench -- --only case-file   # the electronic case file of 50 documents: PDF and zip bytes, export p50/p99 (no Java)
 *   npm run bench -- --only console     # the staff console: JavaScript bytes per section, time to interactive of its pages in
 *                                       # Chromium on first and repeat load, plain and with the CPU slowed 4× (needs Java)
 *
 * See bench/README.md for what each figure means.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { BASELINE_REV, bundleAfter, bundleBefore, esbuildVersion, type BundleResult } from './bundle.ts';
import { emptyModule, measureImports, type ImportTimes } from './import-time.ts';
import { measureLatency, type LatencyRun, type RequestResult } from './latency.ts';
import type { DecisionRun, ItemSet, SizeRun } from './decisions.ts';
import type { EvidenceRun } from './evidence.ts';
import type { DeadlineRun, OperationStats } from './deadlines.ts';
import { BENCH_DIR, REPO_ROOT } from './paths.ts';
import { formatTable, kb, median, ms, percentile, round } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string', default: '20' },
    requests: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '1,4' },
    sizes: { type: 'string', default: '10000,100000' },
    queries: { type: 'string', default: '200' },
    'http-requests': { type: 'string', default: '200' },
    items: { type: 'string', default: 'all' },
    'evidence-mib': { type: 'string', default: '1024,5120' },
    'verify-sizes': { type: 'string', default: '1000,10000' },
    filings: { type: 'string', default: '200' },
    provisional: { type: 'string', default: '10000' },
    'in-flight': { type: 'string', default: '20' },
  },
  strict: true,
});

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

const only = args.only;
const ONLY = ['bundle', 'latency', 'portal', 'console', 'decisions', 'evidence', 'evidence-verify', 'filings', 'provisional', 'checkpoints', 'deadlines', 'documents', 'case-file'] as const;
if (only !== undefined && !(ONLY as readonly string[]).includes(only)) {
  throw new Error(`--only must be one of ${ONLY.join(', ')}, got ${only}`);
}
const verifySizes = args['verify-sizes'].split(',').map((s) => positiveInt('verify-sizes', s.trim()));
const evidenceSizes = args['evidence-mib'].split(',').map((s) => positiveInt('evidence-mib', s.trim()) * 2 ** 20);
const runs = positiveInt('runs', args.runs);
const requests = positiveInt('requests', args.requests);
const concurrencies = args.concurrency.split(',').map((c) => positiveInt('concurrency', c));
const sizes = args.sizes.split(',').map((s) => positiveInt('sizes', s.trim()));
const queries = positiveInt('queries', args.queries);
const httpRequests = positiveInt('http-requests', args['http-requests']);
if (args.items !== 'all' && args.items !== 'index') throw new Error(`--items must be all or index, got ${args.items}`);
const items: ItemSet = args.items;

const say = (line: string): void => void process.stderr.write(`· ${line}\n`);
const print = (text = ''): void => void process.stdout.write(`${text}\n`);

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Bundles and import times

interface BundleSection {
  readonly esbuild: string;
  readonly baselineRev: string;
  readonly runs: number;
  readonly baseline: ImportSummary;
  readonly before: readonly (BundleResult & { import: ImportSummary })[];
  readonly functions: readonly (BundleResult & { import: ImportSummary })[];
}

interface ImportSummary {
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly medianSourceMapsMs: number;
  readonly p90SourceMapsMs: number;
  readonly samplesMs: readonly number[];
  readonly samplesSourceMapsMs: readonly number[];
}

const summarise = (t: ImportTimes): ImportSummary => ({
  medianMs: round(median(t.plain), 2),
  p90Ms: round(percentile(t.plain, 90), 2),
  medianSourceMapsMs: round(median(t.sourceMaps), 2),
  p90SourceMapsMs: round(percentile(t.sourceMaps, 90), 2),
  samplesMs: t.plain.map((v) => round(v, 2)),
  samplesSourceMapsMs: t.sourceMaps.map((v) => round(v, 2)),
});

/** The import p50 of a function as deployed: with source maps where its NODE_OPTIONS enable them. */
const deployedP50 = (f: BundleResult & { import: ImportSummary }): number => (f.sourceMapsAtRunTime ? f.import.medianSourceMapsMs : f.import.medianMs);

/** Issue 13's targets: every function, and the public one (the one citizens wait on). */
export const COLD_START_TARGETS = { initKb: 400, importMs: 100, publicInitKb: 300, publicImportMs: 80 } as const;

async function benchBundles(): Promise<BundleSection> {
  say(`bundling the functions of shared/manifest.ts with esbuild ${esbuildVersion}: today's (infra/bundling.ts) and ${BASELINE_REV}'s (NodejsFunction)…`);
  const after = await bundleAfter();
  const before = await bundleBefore();
  const empty = await emptyModule();
  const targets = [
    empty,
    ...before.map((b) => ({ name: `before:${b.id}`, file: join(REPO_ROOT, b.file) })),
    ...after.map((b) => ({ name: b.id, file: join(REPO_ROOT, b.file) })),
  ];
  say(`import timing: ${runs} runs (+1 warm-up) × ${targets.length} modules × 2 modes, each in a fresh node ${process.version}…`);
  let lastShown = 0;
  const times = await measureImports(targets, runs, (done, total) => {
    const pct = Math.floor((done / total) * 10) * 10;
    if (pct > lastShown) {
      lastShown = pct;
      say(`  ${pct}%`);
    }
  });
  const byName = new Map(times.map((t) => [t.name, summarise(t)]));
  const baseline = byName.get(empty.name);
  if (!baseline) throw new Error('baseline missing');
  const withImport = (prefix: string) => (b: BundleResult): BundleResult & { import: ImportSummary } => {
    const imp = byName.get(`${prefix}${b.id}`);
    if (!imp) throw new Error(`no import times for ${prefix}${b.id}`);
    return { ...b, import: imp };
  };
  return { esbuild: esbuildVersion, baselineRev: BASELINE_REV, runs, baseline, before: before.map(withImport('before:')), functions: after.map(withImport('')) };
}

function printBundles(s: BundleSection): void {
  const t = COLD_START_TARGETS;
  print(`\nBundles, before (${s.baselineRev}, aws-cdk-lib NodejsFunction: one file, the SDK's full credential chain) and after (infra/bundling.ts: code splitting, Lambda's credentials), esbuild ${s.esbuild}`);
  print(`Import time: ms around \`await import(index.mjs)\` in a fresh node ${process.version} process, ${s.runs} runs each; "maps" = with --enable-source-maps;`);
  print(`"deployed ms" = p50 with the NODE_OPTIONS the function is deployed with (before: --enable-source-maps; after: none), minus the empty module.`);
  print(`"init KB" = the entry and the chunks it imports statically; "total KB" = every .mjs of the asset.`);
  print(`Targets: init ≤ ${t.initKb} KB and deployed ≤ ${t.importMs} ms; public ≤ ${t.publicInitKb} KB and ≤ ${t.publicImportMs} ms.\n`);
  const before = new Map(s.before.map((b) => [b.id, b]));
  const empty = s.baseline.medianMs;
  const emptyMaps = s.baseline.medianSourceMapsMs;
  const deployed = (f: BundleResult & { import: ImportSummary }): number => deployedP50(f) - (f.sourceMapsAtRunTime ? emptyMaps : empty);
  const meets = (f: BundleResult & { import: ImportSummary }): string => {
    const kbMax = f.id === 'public' ? t.publicInitKb : t.initKb;
    const msMax = f.id === 'public' ? t.publicImportMs : t.importMs;
    return f.initBytes / 1024 <= kbMax && deployed(f) <= msMax ? 'yes' : 'no';
  };
  print(
    formatTable(
      ['function', 'before KB', 'deployed ms', 'init KB', 'gzip KB', 'total KB', 'files', 'p50', 'p90', 'maps p50', 'p90', 'deployed ms', 'target'],
      s.functions.map((f) => {
        const b = before.get(f.id);
        return [
          f.id,
          b ? kb(b.initBytes) : '–',
          b ? ms(deployedP50(b) - emptyMaps) : '–',
          kb(f.initBytes),
          kb(f.initGzipBytes),
          kb(f.totalBytes),
          String(f.files),
          ms(f.import.medianMs),
          ms(f.import.p90Ms),
          ms(f.import.medianSourceMapsMs),
          ms(f.import.p90SourceMapsMs),
          ms(deployed(f)),
          meets(f),
        ];
      }),
    ),
  );
  print(`(empty module: p50 ${ms(empty)}, with maps ${ms(emptyMaps)})`);
  print('\nLargest inputs loaded at init, after (bytes in the minified output, from the esbuild metafile)\n');
  for (const f of s.functions) {
    const total = f.initBytes;
    const pct = (b: number): string => `${((b / total) * 100).toFixed(1)}%`;
    print(`${f.id} (${f.entry}, ${f.inputCount} inputs, ${kb(f.initBytes)} KB at init of ${kb(f.totalBytes)} KB)`);
    print(
      formatTable(
        ['  by package', 'KB', 'share'],
        f.topPackages.map((p) => [`  ${p.input}`, kb(p.bytes), pct(p.bytes)]),
      ),
    );
    print(
      formatTable(
        ['  by file', 'KB', 'share'],
        f.topInputs.map((p) => [`  ${p.input.replace(/^node_modules\//, '')}`, kb(p.bytes), pct(p.bytes)]),
      ),
    );
    print();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Public-route latency

interface RouteStats {
  readonly route: string;
  readonly path: string;
  readonly count: number;
  readonly failures: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

interface LatencySection {
  readonly requests: number;
  readonly concurrency: number;
  /** The same requests at further concurrencies (e.g. 4 after 1): per route p50/p99. */
  readonly more: readonly { readonly concurrency: number; readonly throughputPerS: number; readonly routes: readonly RouteStats[]; readonly overall: RouteStats }[];
  readonly startMs: number;
  readonly stopMs: number;
  readonly wallMs: number;
  readonly throughputPerS: number;
  readonly firstRequestMs: number;
  readonly routes: readonly RouteStats[];
  readonly overall: RouteStats;
  readonly failures: readonly RequestResult[];
  readonly childPids: readonly number[];
  readonly orphans: readonly number[];
  readonly serverErrors: readonly string[];
}

function routeStats(route: string, path: string, results: readonly RequestResult[]): RouteStats {
  const times = results.map((r) => r.ms);
  return {
    route,
    path,
    count: results.length,
    failures: results.filter((r) => r.status !== 200).length,
    p50Ms: round(percentile(times, 50), 2),
    p90Ms: round(percentile(times, 90), 2),
    p99Ms: round(percentile(times, 99), 2),
    maxMs: round(Math.max(...times), 2),
  };
}

async function benchLatency(): Promise<LatencySection> {
  say(`starting the local system (DynamoDB Local in memory, s3rver, demo data)…`);
  const [concurrency = 1, ...moreConcurrencies] = concurrencies;
  const run: LatencyRun = await measureLatency({ requests, concurrency, moreConcurrencies, log: say });
  const wallMs = run.loadMs;
  const routes = Object.entries(run.paths).map(([route, path]) =>
    routeStats(
      route,
      path,
      run.measured.filter((r) => r.route === route),
    ),
  );
  const failures = [run.first, ...run.warmUp, ...run.measured, ...run.more.flatMap((m) => m.measured)].filter((r) => r.status !== 200);
  const orphans = [...new Set([...run.survivingChildren, ...run.newJavaAfterStop])];
  return {
    requests: run.measured.length,
    concurrency: run.concurrency,
    more: run.more.map((m) => ({
      concurrency: m.concurrency,
      throughputPerS: round((m.measured.length / m.loadMs) * 1000, 0),
      routes: Object.entries(run.paths).map(([route, path]) => routeStats(route, path, m.measured.filter((r) => r.route === route))),
      overall: routeStats('all routes', '', m.measured),
    })),
    startMs: round(run.startMs, 0),
    stopMs: round(run.stopMs, 0),
    wallMs: round(wallMs, 0),
    throughputPerS: round((run.measured.length / wallMs) * 1000, 0),
    firstRequestMs: round(run.first.ms, 1),
    routes,
    overall: routeStats('all routes', '', run.measured),
    failures: failures.slice(0, 20),
    childPids: run.childPids,
    orphans,
    serverErrors: run.serverErrors.slice(0, 20),
  };
}

function printLatency(s: LatencySection): void {
  print(
    `\nPublic-route latency: ${s.requests} requests over loopback, ${s.concurrency} at a time, local system in-process (DynamoDB Local in memory, demo data)\n`,
  );
  const row = (r: RouteStats): string[] => [
    r.route,
    String(r.count),
    String(r.failures),
    ms(r.p50Ms),
    ms(r.p90Ms),
    ms(r.p99Ms),
    ms(r.maxMs),
  ];
  print(formatTable(['route', 'n', 'non-200', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], [...s.routes.map(row), row(s.overall)]));
  if (s.more.length > 0) {
    const all = [{ concurrency: s.concurrency, throughputPerS: s.throughputPerS, routes: s.routes, overall: s.overall }, ...s.more];
    print(`\nThe same requests at ${all.map((a) => a.concurrency).join(' and ')} in flight (p50 / p99 ms; throughput ${all.map((a) => `${a.throughputPerS} req/s at ${a.concurrency}`).join(', ')})\n`);
    const byRoute = (a: (typeof all)[number], route: string): RouteStats | undefined => (route === 'all routes' ? a.overall : a.routes.find((r) => r.route === route));
    print(
      formatTable(
        ['route', ...all.flatMap((a) => [`p50 @${a.concurrency}`, `p99 @${a.concurrency}`])],
        [...s.routes.map((r) => r.route), 'all routes'].map((route) => [route, ...all.flatMap((a) => [ms(byRoute(a, route)?.p50Ms ?? NaN), ms(byRoute(a, route)?.p99Ms ?? NaN)])]),
      ),
    );
  }
  print(
    `\nfirst request (loads the public handler through tsx, not measured above): ${ms(s.firstRequestMs)} ms; ` +
      `then one warm-up request per route, not measured either.\n` +
      `start ${(s.startMs / 1000).toFixed(1)} s, load ${(s.wallMs / 1000).toFixed(1)} s (≈ ${s.throughputPerS} req/s), stop ${(s.stopMs / 1000).toFixed(1)} s; ` +
      `children ${s.childPids.join(', ')}: ${s.orphans.length === 0 ? 'all stopped, no DynamoDB Local JVM left' : `STILL RUNNING ${s.orphans.join(', ')}`}`,
  );
  const failed = s.routes.reduce((n, r) => n + r.failures, 0);
  if (failed > 0 || s.failures.length > 0) {
    print(`\n${failed} measured request(s) did not answer 200; first ones:`);
    for (const f of s.failures) print(`  ${f.route}: ${f.status}${f.error ? ` ${f.error}` : ''}`);
    for (const line of s.serverErrors) print(`  server: ${line}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Public decision search at two table sizes

const count = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const num = (v: number): string => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : '–');

function printDecisions(s: DecisionRun): void {
  const runs = s.sizes;
  const per = (label: string): string[] => runs.map((r) => `${label} ${count(r.records)}`);
  const shapeIds = runs[0]?.shapes.map((x) => x.id) ?? [];
  const shapeOf = (r: SizeRun, id: string) => r.shapes.find((x) => x.id === id);
  print(
    `\nPublic decision search: ${s.queries} queries per shape and size, one at a time, limit ${s.limit}, store's search() in-process ` +
      `against DynamoDB Local in memory (${s.items === 'all' ? 'every item publishWrites() writes' : 'IDX# items only'}, ${s.itemsPerRecord} per record)`,
  );
  print('items read = DynamoDB ScannedCount summed over the round trips of one page (mean / max); returned = items on the page (mean)\n');
  print(
    formatTable(
      ['shape', 'gsi1 partition, filter', ...per('read'), ...per('returned'), ...per('trips max'), ...per('p50 ms'), ...per('p99 ms')],
      shapeIds.map((id) => {
        const first = shapeOf(runs[0] as SizeRun, id);
        const cells = (f: (x: NonNullable<ReturnType<typeof shapeOf>>) => string): string[] =>
          runs.map((r) => {
            const x = shapeOf(r, id);
            return x ? f(x) : '–';
          });
        return [
          first?.label ?? id,
          first?.plan ?? '',
          ...cells((x) => `${num(x.itemsRead.mean)} / ${x.itemsRead.max}`),
          ...cells((x) => num(x.itemsReturned.mean)),
          ...cells((x) => String(x.roundTrips.max)),
          ...cells((x) => ms(x.p50Ms)),
          ...cells((x) => ms(x.p99Ms)),
        ];
      }),
      ['l', 'l'],
    ),
  );
  const short = runs.flatMap((r) => r.shapes.filter((x) => x.shortPagesWithCursor > 0).map((x) => `${x.label} at ${count(r.records)}: ${x.shortPagesWithCursor}`));
  if (short.length > 0) print(`\npages cut short by the 10-round-trip budget (fewer than ${s.limit} items, but a cursor): ${short.join('; ')}`);

  const pageIds = runs[0]?.allPages.map((x) => x.id) ?? [];
  print(`\nWhole result, following nextCursor to the end (${runs[0]?.allPages[0]?.queries ?? 0} queries per shape; means):\n`);
  print(
    formatTable(
      ['shape', ...per('matches'), ...per('pages'), ...per('items read'), ...per('key range'), ...per('total ms')],
      pageIds.map((id) => {
        const cells = (f: (x: SizeRun['allPages'][number]) => string): string[] =>
          runs.map((r) => {
            const x = r.allPages.find((p) => p.id === id);
            return x ? f(x) : '–';
          });
        return [
          runs[0]?.allPages.find((p) => p.id === id)?.label ?? id,
          ...cells((x) => num(x.itemsReturned.mean)),
          ...cells((x) => num(x.pages.mean)),
          ...cells((x) => num(x.itemsRead.mean)),
          ...cells((x) => num(x.keyRangeItems.mean)),
          ...cells((x) => num(x.ms.mean)),
        ];
      }),
    ),
  );

  const httpIds = runs[0]?.http.map((x) => x.id) ?? [];
  print(`\nGET /public/decisions through the local HTTP API, ${s.httpRequests} requests per shape and size, one at a time:\n`);
  print(
    formatTable(
      ['shape', ...per('non-200'), ...per('read'), ...per('p50 ms'), ...per('p90 ms'), ...per('p99 ms')],
      httpIds.map((id) => {
        const cells = (f: (x: SizeRun['http'][number]) => string): string[] =>
          runs.map((r) => {
            const x = r.http.find((h) => h.id === id);
            return x ? f(x) : '–';
          });
        return [
          runs[0]?.http.find((h) => h.id === id)?.label ?? id,
          ...cells((x) => String(x.non200)),
          ...cells((x) => num(x.itemsRead.mean)),
          ...cells((x) => ms(x.p50Ms)),
          ...cells((x) => ms(x.p90Ms)),
          ...cells((x) => ms(x.p99Ms)),
        ];
      }),
    ),
  );
  const keyIds = runs[0]?.keyConditions.map((x) => x.id) ?? [];
  print(`\nDynamoDB Local check: the PARTY key range as a raw Query (Limit ${s.limit + 1}, descending), ${runs[0]?.keyConditions[0]?.queries ?? 0} queries each:\n`);
  print(
    formatTable(
      ['key condition', ...per('read'), ...per('p50 ms'), ...per('p99 ms')],
      keyIds.map((id) => {
        const cells = (f: (x: SizeRun['keyConditions'][number]) => string): string[] =>
          runs.map((r) => {
            const x = r.keyConditions.find((k) => k.id === id);
            return x ? f(x) : '–';
          });
        return [
          runs[0]?.keyConditions.find((k) => k.id === id)?.label ?? id,
          ...cells((x) => String(x.itemsRead)),
          ...cells((x) => ms(x.p50Ms)),
          ...cells((x) => ms(x.p99Ms)),
        ];
      }),
    ),
  );
  print(
    `\nloading: ${runs.map((r) => `${count(r.records)} records = ${r.itemsStored.toLocaleString('en')} items, last ${(r.loadMs / 1000).toFixed(1)} s at ${r.loadItemsPerS} items/s`).join('; ')}`,
  );
  print(
    `start ${(s.startMs / 1000).toFixed(1)} s, first HTTP request ${ms(s.firstHttpMs)} ms, stop ${(s.stopMs / 1000).toFixed(1)} s; ` +
      `children ${s.childPids.join(', ')}: ${s.survivingChildren.length === 0 && s.newJavaAfterStop.length === 0 ? 'all stopped, no DynamoDB Local JVM left' : `STILL RUNNING ${[...s.survivingChildren, ...s.newJavaAfterStop].join(', ')}`}`,
  );
  for (const c of s.checks) print(`CHECK FAILED: ${c}`);
  for (const line of s.serverErrors) print(`server: ${line}`);
}

// ---------------------------------------------------------------------------------------------

/** The previous results.json, whose sections not measured this time are carried over. */
async function previousResults(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const SECTIONS = ['bundles', 'latency', 'portal', 'console', 'decisions', 'evidence', 'evidenceVerify', 'filings', 'provisional', 'checkpoints', 'deadlines', 'documents', 'caseFile'] as const;

function printEvidence(s: EvidenceRun): void {
  print('\nEvidence uploads through the local flow (npm start in a child process, s3rver on local disk, 16 MiB parts, 4 at a time):\n');
  print(
    formatTable(
      ['size', 'hash (device)', 'upload', 'upload MB/s', 'complete → sealed', 'end-to-end MB/s', 'direct PutObject', 'PutObject MB/s', 'status', 'API peak RSS'],
      s.sizes.map((r) => [
        `${r.sizeBytes / 2 ** 20} MiB`,
        `${(r.hashMs / 1000).toFixed(1)} s`,
        `${(r.uploadMs / 1000).toFixed(1)} s`,
        String(r.uploadMBps),
        `${(r.sealMs / 1000).toFixed(1)} s`,
        String(r.endToEndMBps),
        `${(r.directPutMs / 1000).toFixed(1)} s`,
        String(r.directPutMBps),
        r.status,
        `${r.apiPeakRssMiB} MiB`,
      ]),
    ),
  );
  print(`\nAPI process peak RSS before any upload: ${s.apiBaselinePeakRssMiB} MiB`);
}

// ---------------------------------------------------------------------------------------------
// 5. The daily deadline check and the annual report at two table sizes

function printDeadlines(s: DeadlineRun): void {
  const runs = s.sizes;
  const per = (label: string): string[] => runs.map((r) => `${label} ${count(r.decisions)}`);
  const cu = (v: number | null): string => (v === null ? '–' : num(v));
  /** One row per label, the figures of each size side by side (a label missing at a size shows –). */
  const opRows = (pick: (r: DeadlineRun['sizes'][number]) => readonly OperationStats[]): string[][] => {
    const labels = [...new Set(runs.flatMap((r) => pick(r).map((o) => o.label)))];
    return labels.map((label) => {
      const cells = (f: (o: OperationStats) => string): string[] =>
        runs.map((r) => {
          const o = pick(r).find((x) => x.label === label);
          return o ? f(o) : '–';
        });
      return [label, ...cells((o) => String(o.trips)), ...cells((o) => String(o.itemsRead)), ...cells((o) => cu(o.capacityUnits)), ...cells((o) => ms(o.meanMs, 2))];
    });
  };
  const first = runs[0];
  print(
    `\nDaily deadline check: deadlineCheck('${s.checkDate}', { act: false }) in-process against DynamoDB Local in memory, ` +
      `${first?.check.runs ?? 0} runs per size after ${s.warmUp} warm-up. Stored: N decisions of ${s.reportYear} (case, decision, public record) ` +
      `+ N/100 open cases; the same ${s.fixed.issuedDue} issued decisions due, ${s.fixed.issuedLater} due later, ${s.fixed.endedYesterday} ended disclosures, ${s.fixed.withdrawals} withdrawals due, ` +
      `${s.fixed.reviews} reviews, ${s.fixed.uploads} uploads, ${s.fixed.officers} officers at every size`,
  );
  print('items read = ScannedCount (Query) or items found (GetItem), the same in every run; RCU = ConsumedCapacity DynamoDB Local reports; ms = mean per run\n');
  print(formatTable(['call', ...per('trips'), ...per('read'), ...per('RCU'), ...per('ms')], opRows((r) => r.check.operations)));
  print();
  print(
    formatTable(
      ['size', 'items stored', 'open cases', 'load avg', 'items read', 'round trips', 'RCU', 'p50 ms', 'p90 ms', 'min ms', 'max ms', 'listed'],
      runs.map((r) => [
        count(r.decisions),
        Object.values(r.itemsStored).reduce((a, b) => a + b, 0).toLocaleString('en'),
        String(r.openCases),
        String(r.loadAverage),
        String(r.check.itemsRead),
        String(r.check.roundTrips),
        cu(r.check.capacityUnits),
        ms(r.check.p50Ms),
        ms(r.check.p90Ms),
        ms(r.check.minMs),
        ms(r.check.maxMs),
        Object.entries(r.check.listed)
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
      ]),
    ),
  );
  const queues = Object.keys(first?.check.queueSizes ?? {});
  print(`\nItems loaded into each index partition the check queries (the queue's length, not what a run reads):\n`);
  print(formatTable(['partition', ...per('items')], queues.map((q) => [q, ...runs.map((r) => String(r.check.queueSizes[q] ?? '–'))])));

  print(`\nAnnual report ${s.reportYear}: buildReport() then renderReportPdf() and renderReportXlsx() of it, ${first?.report.build.runs ?? 0} runs each per size\n`);
  print(formatTable(['call', ...per('trips'), ...per('read'), ...per('RCU'), ...per('ms')], opRows((r) => r.report.operations)));
  print();
  print(
    formatTable(
      ['size', 'decisions counted', 'items read', 'round trips', 'build p50 ms', 'p90', 'PDF p50 ms', 'p90', 'xlsx p50 ms', 'p90', 'PDF KB', 'xlsx KB'],
      runs.map((r) => [
        count(r.decisions),
        String(r.report.decisionsCounted),
        String(r.report.itemsRead),
        String(r.report.roundTrips),
        ms(r.report.build.p50Ms),
        ms(r.report.build.p90Ms),
        ms(r.report.pdf.p50Ms),
        ms(r.report.pdf.p90Ms),
        ms(r.report.xlsx.p50Ms),
        ms(r.report.xlsx.p90Ms),
        kb(r.report.pdfBytes),
        kb(r.report.xlsxBytes),
      ]),
    ),
  );
  print(
    `\nloading: ${runs.map((r) => `${count(r.decisions)}: ${Object.entries(r.itemsStored).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')} items; last part ${(r.loadMs / 1000).toFixed(1)} s at ${r.loadItemsPerS} items/s`).join('; ')}`,
  );
  print(
    `start ${(s.startMs / 1000).toFixed(1)} s, stop ${(s.stopMs / 1000).toFixed(1)} s; children ${s.childPids.join(', ')}: ` +
      `${s.survivingChildren.length === 0 && s.newJavaAfterStop.length === 0 ? 'all stopped, no DynamoDB Local JVM left' : `STILL RUNNING ${[...s.survivingChildren, ...s.newJavaAfterStop].join(', ')}`}`,
  );
  for (const c of s.checks) print(`CHECK FAILED: ${c}`);
}

async function main(): Promise<number> {
  await mkdir(join(BENCH_DIR, 'bundles'), { recursive: true });
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGb: round(totalmem() / 2 ** 30, 1),
  };
  let exitCode = 0;
  // Other work on the machine skews every figure: the 1-minute load average is kept with the results.
  const load = (): number => round(loadavg()[0] ?? Number.NaN, 2);
  results.loadAverageAtStart = load();

  if (only === undefined || only === 'bundle') {
    const bundles = await benchBundles();
    results.bundles = bundles;
    printBundles(bundles);
  }
  if (only === undefined || only === 'latency') {
    const latency = await benchLatency();
    results.latency = latency;
    printLatency(latency);
    if (latency.overall.failures > 0 || latency.more.some((m) => m.overall.failures > 0) || latency.failures.length > 0 || latency.orphans.length > 0) exitCode = 1;
  }
  if (only === undefined || only === 'portal') {
    const { measurePortal } = await import('./portal.ts');
    say('starting the local system and the portal (demo data)…');
    const run = await measurePortal({ requests: Math.min(requests, 500), concurrency: 4, log: say });
    const routes = Object.entries(run.paths).map(([route, path]) => routeStats(route, path, run.measured.filter((r) => r.route === route)));
    results.portal = { concurrency: run.concurrency, routes, bytes: run.bytes, orphans: run.orphans };
    print(`\nPortal pages: ${run.measured.length} requests, ${run.concurrency} at a time, server time in-process (page rendered from the local API over loopback)\n`);
    print(formatTable(['page', 'n', 'non-200', 'p50 ms', 'p99 ms', 'first visit KB (br)', 'html', 'css', 'in Chromium KB', 'requests', 'JS KB'], routes.map((r) => {
      const b = run.bytes.find((x) => x.page === r.route);
      return [r.route, String(r.count), String(r.failures), ms(r.p50Ms), ms(r.p99Ms), b ? kb(b.totalBytes) : '–', b ? kb(b.htmlBytes) : '–', b ? kb(b.cssBytes) : '–', b?.browser ? kb(b.browser.bytes) : '–', b?.browser ? String(b.browser.requests) : '–', b?.browser ? kb(b.browser.scriptBytes) : '–'];
    })));
    if (run.orphans.length > 0 || routes.some((r) => r.failures > 0)) exitCode = 1;
  }
  if (only === undefined || only === 'console') {
    const { measureConsole, consoleTables } = await import('./console.ts');
    say('starting the local system and the portal for the staff console (demo data)…');
    const run = await measureConsole({ runs: Math.min(runs, 10), log: say });
    results.console = run;
    print('\nStaff console (issue 16)\n');
    for (const line of consoleTables(run)) print(line);
    if (run.orphans.length > 0 || run.javascriptGzipBytes > run.budgetGzipBytes) exitCode = 1;
  }
  if (only === 'decisions') {
    // Loaded on demand: the other parts need none of the store's code. Alone in its process, since
    // the shared AWS clients keep the endpoint of the first DynamoDB Local they talk to.
    const { measureDecisionSearch } = await import('./decisions.ts');
    say(`decision search at ${sizes.map(count).join(' and ')} records (DynamoDB Local in memory; loading takes minutes)…`);
    const decisions = await measureDecisionSearch({ sizes, queries, httpRequests, items, log: say });
    results.decisions = decisions;
    printDecisions(decisions);
    const httpFailures = decisions.sizes.reduce((n, r) => n + r.http.reduce((m, h) => m + h.non200, 0), 0);
    if (httpFailures > 0 || decisions.checks.length > 0 || decisions.survivingChildren.length > 0 || decisions.newJavaAfterStop.length > 0) exitCode = 1;
  }

  if (only === 'evidence') {
    const { benchEvidence } = await import('./evidence.ts');
    const evidence = await benchEvidence(evidenceSizes, say);
    results.evidence = evidence;
    printEvidence(evidence);
    if (evidence.sizes.some((r) => r.status !== 'SEALED')) exitCode = 1;
  }

  if (only === 'evidence-verify') {
    // Alone in its process (the shared clients' endpoint), like the deadline check.
    const { benchEvidenceVerify } = await import('./evidence.ts');
    const verify = await benchEvidenceVerify(verifySizes, 50, say);
    results.evidenceVerify = verify;
    print('\nScheduled evidence re-verification (issue 10): one run at each table size, 50 records due, 64 KiB objects:\n');
    print(
      formatTable(
        ['sealed records', 'due', 'queue items read', 'DynamoDB items read', 'round trips', 'verified', 'bytes hashed', 'ms'],
        verify.map((r) => [count(r.tableSize), String(r.due), String(r.itemsRead), String(r.dynamoItemsRead), String(r.roundTrips), String(r.verified), String(r.bytesHashed), ms(r.ms)]),
      ),
    );
    // Cost follows what is due: the same at every table size (the DynamoDB count differs by the audit
    // chain head, absent before the very first commit).
    if (new Set(verify.map((r) => `${r.itemsRead}/${r.roundTrips}/${r.bytesHashed}`)).size !== 1) exitCode = 1;
  }

  if (only === 'filings') {
    // Alone in its process (the shared clients' endpoint), like the deadline check.
    const { benchFilings } = await import('./filings.ts');
    const run = await benchFilings(positiveInt('filings', args.filings), positiveInt('in-flight', args['in-flight']), say);
    results.filings = run;
    print(`\nConcurrent case filings in one agency (issue 10): ${run.filings} filings, ${run.inFlight} in flight, through the local HTTP API:\n`);
    print(
      formatTable(
        ['filings', 'in flight', 'succeeded', 'gap-free numbers', 'filings/s', 'p50', 'p90', 'p99', 'max', 'wall'],
        [[String(run.filings), String(run.inFlight), String(run.succeeded), run.gapFree ? 'yes' : 'NO', String(run.throughputPerS), ms(run.p50Ms), ms(run.p90Ms), ms(run.p99Ms), ms(run.maxMs), ms(run.wallMs)]],
      ),
    );
    for (const f of run.failures.slice(0, 5)) print(`FAILED: ${f}`);
    if (run.succeeded !== run.filings || !run.gapFree) exitCode = 1;
    print(`\nThe audit chains before (1 chain, AUDIT_SINGLE_CHAIN) and after (16 chains) the split (issue 12): the same filings, ${run.inFlight} in flight:\n`);
    print(
      formatTable(
        ['agencies', 'audit chains', 'filings', 'succeeded', 'filings/s', 'p50', 'p99', 'head retries', 'other retries', 'number retries'],
        run.auditChains.map((r) => [String(r.agencies), String(r.chains), String(r.filings), String(r.succeeded), String(r.throughputPerS), ms(r.p50Ms), ms(r.p99Ms), String(r.headRetries), String(r.otherRetries), String(r.numberRetries)]),
      ),
    );
    print(`gap-free numbers in every agency over these runs: ${run.auditChainsGapFree ? 'yes' : 'NO'}`);
    if (!run.auditChainsGapFree || run.auditChains.some((r) => r.succeeded !== r.filings)) exitCode = 1;
  }

  if (only === 'provisional') {
    // Alone in its process (the shared clients' endpoint), like the deadline check.
    const { benchProvisional } = await import('./provisional.ts');
    const due = positiveInt('provisional', args.provisional);
    if (sizes.some((n) => n < due)) throw new Error(`--sizes must each be at least --provisional (${due})`);
    const runs = await benchProvisional(sizes, due, say);
    results.provisional = runs;
    print(`\nRecounting provisional deadlines once their year is entered (issue 11): ${due.toLocaleString('en')} provisional, each recount writing:\n`);
    print(
      formatTable(
        ['decisions stored', 'provisional', 'items read', 'round trips', 'changed', 'left', 'total', 'per deadline', 'load avg'],
        runs.map((r) => [count(r.decisionsStored), count(r.provisional), String(r.itemsRead), String(r.roundTrips), String(r.changed), String(r.remaining), ms(r.ms), ms(r.perDeadlineMs, 2), String(r.loadAverage)]),
      ),
    );
    // Flat in the table: the same reads at every size (give or take the audit chain head, absent before
    // the very first commit), and every provisional deadline recounted.
    const reads = runs.map((r) => r.itemsRead);
    if (Math.max(...reads) - Math.min(...reads) > 1 || runs.some((r) => r.changed !== r.provisional)) exitCode = 1;
  }

  if (only === 'checkpoints') {
    // Alone in its process (the shared clients' endpoint), like the deadline check.
    const { benchCheckpoints } = await import('./checkpoints.ts');
    const result = await benchCheckpoints(sizes, 1000, say);
    results.checkpoints = result;
    print('\nSigned checkpoints (issue 12): the job over the whole log at each size, then after 1,000 more events:\n');
    print(
      formatTable(
        ['events in log', 'new events', 'events read', 'items read', 'round trips', 'nodes written', 'checkpoints', 'ms', 'load avg'],
        result.runs.map((r) => [count(r.eventsInLog), String(r.newEvents), String(r.eventsRead), String(r.itemsRead), String(r.roundTrips), String(r.nodesWritten), String(r.checkpoints), ms(r.ms, 0), String(r.loadAverage)]),
      ),
    );
    print('\nProof sizes in the largest chain (hashes a verifier downloads):\n');
    print(
      formatTable(
        ['events in log', 'chain size', 'log2', 'inclusion', 'consistency (1,000 events later)'],
        result.proofs.map((p) => [count(p.eventsInLog), String(p.chainSize), String(p.log2), String(p.inclusionHashes), String(p.consistencyHashes)]),
      ),
    );
    // The runs after 1,000 more events read the new events only, at every size.
    const increments = result.runs.filter((r) => r.newEvents === 1000);
    if (increments.some((r) => r.eventsRead !== 1000) || result.proofs.some((p) => p.inclusionHashes > Math.ceil(p.log2) || p.consistencyHashes > 2 * Math.ceil(p.log2))) exitCode = 1;
  }

  if (only === 'deadlines') {
    // Alone in its process for the same reason as the decision search (the shared clients' endpoint).
    const { measureDeadlines } = await import('./deadlines.ts');
    say(`deadline check and annual report at ${sizes.map(count).join(' and ')} decisions (DynamoDB Local in memory; loading takes minutes)…`);
    const deadlines = await measureDeadlines({ sizes, checkRuns: runs, reportRuns: Math.max(3, Math.round(runs / 2)), log: say });
    results.deadlines = deadlines;
    printDeadlines(deadlines);
    if (deadlines.checks.length > 0 || deadlines.survivingChildren.length > 0 || deadlines.newJavaAfterStop.length > 0) exitCode = 1;
  }

  if (only === 'documents') {
    const { benchDocuments } = await import('./documents.ts');
    // 30 renders per template unless --runs is given (the shared default, 20, suits the latency parts).
    const documentRuns = process.argv.some((a) => a === '--runs' || a.startsWith('--runs=')) ? runs : 30;
    const run = await benchDocuments(documentRuns, say);
    results.documents = run;
    print(`\nPenalty-procedure documents (P7): PDF of each template, ${documentRuns} renders after a warm-up (first render of the process ${ms(run.firstRenderMs)} ms):\n`);
    print(formatTable(['template', 'p50 ms', 'p99 ms', 'KB', 'pages', 'same bytes'], run.templates.map((t) => [t.type, ms(t.p50Ms), ms(t.p99Ms), kb(t.bytes), String(t.pages), t.identical ? 'yes' : 'NO'])));
    print(`\n${run.batch.documents} documents: ${kb(run.batch.totalBytes)} KB, ${run.batch.totalPages} pages, rendered in ${run.batch.ms} ms`);
    if (run.templates.some((t) => !t.identical)) exitCode = 1;
  }

  if (only === 'case-file') {
    const { benchCaseFile } = await import('./case-file.ts');
    const run = await benchCaseFile(process.argv.some((a) => a === '--runs' || a.startsWith('--runs=')) ? runs : 10, say);
    results.caseFile = run;
    print(`\nElectronic case file (P8) of ${run.documents} documents (${kb(run.documentBytes)} KB, ${run.documentPages} pages; rendered in ${run.setupMs} ms beforehand), ${run.runs} exports after a warm-up:\n`);
    print(
      formatTable(
        ['file', 'KB', 'pages', 'p50 ms', 'p99 ms'],
        [
          ['case-file PDF', kb(run.pdf.bytes), String(run.pdf.pages), ms(run.pdf.p50Ms), ms(run.pdf.p99Ms)],
          ['zip (originals, PDF, manifest, signature)', kb(run.zip.bytes), '', ms(run.zip.p50Ms), ms(run.zip.p99Ms)],
        ],
      ),
    );
    print(`\nzip as a Lambda answer (base64): ${kb(run.zipBase64Bytes)} KB; inline limit ${kb(run.inlineLimitBytes)} KB raw`);
    if (run.zip.bytes > run.inlineLimitBytes) exitCode = 1;
  }

  results.loadAverageAtEnd = load();
  print(`\n1-minute load average: ${results.loadAverageAtStart} at start, ${results.loadAverageAtEnd} at end (${cpus().length} CPUs)`);
  const file = join(BENCH_DIR, 'results.json');
  // Sections measured now carry this run's date; the others are kept from the previous file, with theirs.
  const previous = await previousResults(file);
  const previousMeasured = (previous?.measuredAt ?? {}) as Record<string, string>;
  const measuredAt: Record<string, string> = {};
  for (const section of SECTIONS) {
    if (section in results) measuredAt[section] = String(results.date);
    else if (previous?.[section] !== undefined) {
      results[section] = previous[section];
      measuredAt[section] = previousMeasured[section] ?? String(previous.date);
    }
  }
  results.measuredAt = measuredAt;
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  print(`\nresults written to ${file.slice(REPO_ROOT.length + 1)}`);
  return exitCode;
}

main().then(
  // Explicit exit: an idle keep-alive socket or timer must not keep a finished bench alive.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
