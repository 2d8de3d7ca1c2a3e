/**
 * `npm run bench`: bundle size and cold import time of every Lambda function, and latency of the
 * public routes through the local system. Prints tables and writes .bench/results.json.
 *
 *   npm run bench                       # everything (about 3–4 minutes on 2 cores)
 *   npm run bench -- --only bundle      # bundles and import times only (no Java needed)
 *   npm run bench -- --only latency     # public-route latency only
 *   npm run bench -- --runs 20 --requests 1000 --concurrency 4
 *
 * See bench/README.md for what each figure means.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { bundleAll, cdkPassesCharset, checkConstructDrift, esbuildVersion, type BundleResult } from './bundle.ts';
import { emptyModule, measureImports, type ImportTimes } from './import-time.ts';
import { measureLatency, type LatencyRun, type RequestResult } from './latency.ts';
import { BENCH_DIR, REPO_ROOT } from './paths.ts';
import { formatTable, kb, median, ms, percentile, round } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string', default: '20' },
    requests: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
  },
  strict: true,
});

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

const only = args.only;
if (only !== undefined && only !== 'bundle' && only !== 'latency') throw new Error(`--only must be bundle or latency, got ${only}`);
const runs = positiveInt('runs', args.runs);
const requests = positiveInt('requests', args.requests);
const concurrency = positiveInt('concurrency', args.concurrency);

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
  readonly cdkVersion: string;
  readonly charset: 'utf8' | 'ascii';
  readonly constructDrift: { missing: readonly string[]; unknownProps: readonly string[] };
  readonly runs: number;
  readonly baseline: ImportSummary;
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

async function benchBundles(): Promise<BundleSection> {
  const drift = await checkConstructDrift();
  if (drift.missing.length > 0 || drift.unknownProps.length > 0) {
    say('WARNING infra/constructs/project-function.ts no longer matches the options mirrored in bench/bundle.ts:');
    for (const m of drift.missing) say(`  not found in the construct: ${m}`);
    for (const p of drift.unknownProps) say(`  bundling prop not mirrored: ${p}`);
  }
  const { passes, cdkVersion } = await cdkPassesCharset();
  if (!passes) {
    say(`aws-cdk-lib ${cdkVersion} ignores the construct's charset: UTF8 (never passes --charset): bundling with esbuild's default (ascii), as CDK does`);
  }
  say(`bundling the functions of shared/manifest.ts with esbuild ${esbuildVersion}…`);
  const bundles = await bundleAll({ charsetUtf8: passes });
  const empty = await emptyModule();
  const targets = [empty, ...bundles.map((b) => ({ name: b.id, file: join(REPO_ROOT, b.file) }))];
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
  return {
    esbuild: esbuildVersion,
    cdkVersion,
    charset: passes ? 'utf8' : 'ascii',
    constructDrift: drift,
    runs,
    baseline,
    functions: bundles.map((b) => {
      const imp = byName.get(b.id);
      if (!imp) throw new Error(`no import times for ${b.id}`);
      return { ...b, import: imp };
    }),
  };
}

function printBundles(s: BundleSection): void {
  print(`\nBundles (esbuild ${s.esbuild}, as aws-cdk-lib ${s.cdkVersion} NodejsFunction: esm, node24, minify, AWS SDK bundled, charset ${s.charset})`);
  print(`Import time: ms around \`await import(bundle)\` in a fresh node ${process.version} process, ${s.runs} runs each; "+src maps" = with --enable-source-maps as on Lambda\n`);
  const row = (name: string, size: string, gz: string, map: string, i: ImportSummary): string[] => [
    name,
    size,
    gz,
    map,
    ms(i.medianMs),
    ms(i.p90Ms),
    ms(i.medianMs - s.baseline.medianMs),
    ms(i.medianSourceMapsMs),
    ms(i.p90SourceMapsMs),
  ];
  print(
    formatTable(
      ['function', 'size KB', 'gzip KB', 'map KB', 'import p50', 'p90', 'p50 − empty', '+src maps p50', 'p90'],
      [
        ...s.functions.map((f) => row(f.id, kb(f.bytes), kb(f.gzipBytes), kb(f.sourceMapBytes), f.import)),
        row('(empty module)', '0.0', '–', '–', s.baseline),
      ],
    ),
  );
  print('\nLargest inputs per bundle (bytes in the minified output, from the esbuild metafile)\n');
  for (const f of s.functions) {
    const total = f.bytes;
    const pct = (b: number): string => `${((b / total) * 100).toFixed(1)}%`;
    print(`${f.id} (${f.entry}, ${f.inputCount} inputs, ${kb(f.bytes)} KB)`);
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
  const run: LatencyRun = await measureLatency({ requests, concurrency, log: say });
  const wallMs = run.loadMs;
  const routes = Object.entries(run.paths).map(([route, path]) =>
    routeStats(
      route,
      path,
      run.measured.filter((r) => r.route === route),
    ),
  );
  const failures = [run.first, ...run.warmUp, ...run.measured].filter((r) => r.status !== 200);
  const orphans = [...new Set([...run.survivingChildren, ...run.newJavaAfterStop])];
  return {
    requests: run.measured.length,
    concurrency: run.concurrency,
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

  if (only !== 'latency') {
    const bundles = await benchBundles();
    results.bundles = bundles;
    printBundles(bundles);
  }
  if (only !== 'bundle') {
    const latency = await benchLatency();
    results.latency = latency;
    printLatency(latency);
    if (latency.overall.failures > 0 || latency.failures.length > 0 || latency.orphans.length > 0) exitCode = 1;
  }

  results.loadAverageAtEnd = load();
  print(`\n1-minute load average: ${results.loadAverageAtStart} at start, ${results.loadAverageAtEnd} at end (${cpus().length} CPUs)`);
  const file = join(BENCH_DIR, 'results.json');
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
