/**
 * Latency of the public routes through the local HTTP API: the whole system started in this process
 * with `startLocalSystem` (DynamoDB Local in memory, s3rver in a temporary folder, demo data), then a
 * bounded number of requests over loopback with a small fixed concurrency.
 *
 * A figure here is one HTTP round trip through the local server (API Gateway proxy event built,
 * handler invoked in-process, DynamoDB Local queried over loopback, JSON returned). It is not
 * API Gateway + Lambda latency; it compares routes and catches regressions.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { startLocalSystem, type LocalSystem } from '../local/runtime.ts';
import { isAlive } from '../local/lock.ts';

export interface RouteSample {
  /** The manifest route the request belongs to, e.g. `GET /public/powers/{code}`. */
  readonly route: string;
  readonly path: string;
}

export interface RequestResult {
  readonly route: string;
  readonly status: number;
  readonly ms: number;
  readonly error?: string;
}

export interface LatencyRun {
  readonly startMs: number;
  readonly stopMs: number;
  /** Wall time of the measured requests alone. */
  readonly loadMs: number;
  readonly concurrency: number;
  /** The same requests again at each further concurrency (`concurrencies` after the first), on the same warm system. */
  readonly more: readonly { readonly concurrency: number; readonly loadMs: number; readonly measured: readonly RequestResult[] }[];
  /** The very first request (GET /public/agencies): loads the public handler module through tsx. */
  readonly first: RequestResult;
  /** Then one unmeasured request per route, to warm the JIT and DynamoDB Local on each query. */
  readonly warmUp: readonly RequestResult[];
  readonly measured: readonly RequestResult[];
  readonly paths: Readonly<Record<string, string>>;
  readonly childPids: readonly number[];
  /** Child pids still alive after stop(): should be empty. */
  readonly survivingChildren: readonly number[];
  /**
   * DynamoDB Local JVMs still running after stop() that are ours: not running before start, and a
   * child of this process or of one of its children (other sessions may run their own meanwhile).
   */
  readonly newJavaAfterStop: readonly number[];
  /** The server's ERROR lines (one per failed request), if any. */
  readonly serverErrors: readonly string[];
}

/**
 * DynamoDB Local JVMs left running that are ours: not running before (`javaBefore`), and this process, one
 * of its `childPids`, or a child of either (other sessions may run their own meanwhile).
 */
export function newJavaSince(javaBefore: ReadonlySet<number>, childPids: readonly number[]): number[] {
  const ours = new Set([process.pid, ...childPids]);
  return dynamoDbJavaProcesses()
    .filter((p) => !javaBefore.has(p.pid) && (ours.has(p.ppid) || ours.has(p.pid)))
    .map((p) => p.pid);
}

/** Running `java` processes that run DynamoDB Local, with their parent pids, from /proc (Linux). */
export function dynamoDbJavaProcesses(): { pid: number; ppid: number }[] {
  const found: { pid: number; ppid: number }[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!/(^|\/)java\0/.test(cmdline) || !cmdline.includes('DynamoDBLocal')) continue;
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      found.push({ pid: Number(entry), ppid });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}


async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

interface Page<T> {
  readonly items: readonly T[];
}

/** The six routes, with real parameters taken from the seeded data (not hard-coded). */
async function routeSamples(baseUrl: string): Promise<RouteSample[]> {
  const officers = await getJson<Page<{ certificateNo?: string }>>(`${baseUrl}/public/officers?limit=20`);
  const certificateNo = officers.items.find((o) => o.certificateNo)?.certificateNo;
  if (!certificateNo) throw new Error('/public/officers returned no officer with a certificate number: is the demo data seeded?');
  const powers = await getJson<Page<{ code?: string }>>(`${baseUrl}/public/powers?type=PENALTY`);
  const code = powers.items.find((p) => p.code)?.code;
  if (!code) throw new Error('/public/powers?type=PENALTY returned no power: is the demo data seeded?');
  return [
    { route: 'GET /public/agencies', path: '/public/agencies' },
    { route: 'GET /public/officers', path: '/public/officers?limit=20' },
    { route: 'GET /public/officers/verify/{certificateNo}', path: `/public/officers/verify/${encodeURIComponent(certificateNo)}` },
    { route: 'GET /public/powers', path: '/public/powers?type=PENALTY' },
    { route: 'GET /public/powers/{code}', path: `/public/powers/${encodeURIComponent(code)}` },
    { route: 'GET /public/inspection-items', path: '/public/inspection-items' },
  ];
}

export async function timedRequest(baseUrl: string, sample: RouteSample): Promise<RequestResult> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}${sample.path}`);
    await res.arrayBuffer(); // the whole body, so the time covers the full response
    return { route: sample.route, status: res.status, ms: performance.now() - started };
  } catch (error) {
    return { route: sample.route, status: 0, ms: performance.now() - started, error: String(error) };
  }
}

/**
 * Sends `requests` requests, `concurrency` at a time, cycling through the routes so that each gets
 * an equal share (±1) and every route is interleaved with the others.
 */
export async function load(baseUrl: string, samples: readonly RouteSample[], requests: number, concurrency: number): Promise<RequestResult[]> {
  const results: RequestResult[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const sample = samples[next++ % samples.length];
      if (sample) results.push(await timedRequest(baseUrl, sample));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return results;
}

export async function measureLatency(options: { requests: number; concurrency: number; moreConcurrencies?: readonly number[]; log?: (line: string) => void }): Promise<LatencyRun> {
  const say = options.log ?? (() => undefined);
  const serverLog: string[] = [];
  const javaBefore = new Set(dynamoDbJavaProcesses().map((p) => p.pid));

  const startedAt = performance.now();
  // The server logs one line per request: keep them (errors are shown at the end), do not print them.
  const system: LocalSystem = await startLocalSystem({ seed: true, log: (line) => serverLog.push(line) });
  const startMs = performance.now() - startedAt;
  say(`local system up in ${(startMs / 1000).toFixed(1)} s at ${system.url} (children ${system.childPids.join(', ')})`);

  let first: RequestResult | undefined;
  const warmUp: RequestResult[] = [];
  let measured: RequestResult[] = [];
  let samples: RouteSample[] = [];
  let stopMs = 0;
  let loadMs = 0;
  const more: { concurrency: number; loadMs: number; measured: RequestResult[] }[] = [];
  try {
    first = await timedRequest(system.url, { route: 'GET /public/agencies', path: '/public/agencies' });
    samples = await routeSamples(system.url);
    for (const sample of samples) warmUp.push(await timedRequest(system.url, sample));
    say(`warm-up done; sending ${options.requests} requests, ${options.concurrency} at a time`);
    const loadStarted = performance.now();
    measured = await load(system.url, samples, options.requests, options.concurrency);
    loadMs = performance.now() - loadStarted;
    for (const c of options.moreConcurrencies ?? []) {
      say(`sending ${options.requests} requests, ${c} at a time`);
      const started = performance.now();
      const results = await load(system.url, samples, options.requests, c);
      more.push({ concurrency: c, loadMs: performance.now() - started, measured: results });
    }
  } finally {
    const stoppingAt = performance.now();
    await system.stop();
    stopMs = performance.now() - stoppingAt;
  }
  if (!first) throw new Error('no first request recorded');

  const survivingChildren = system.childPids.filter(isAlive);
  const newJavaAfterStop = newJavaSince(javaBefore, system.childPids);
  return {
    startMs,
    stopMs,
    loadMs,
    concurrency: options.concurrency,
    more,
    first,
    warmUp,
    measured,
    paths: Object.fromEntries(samples.map((s) => [s.route, s.path])),
    childPids: system.childPids,
    survivingChildren,
    newJavaAfterStop,
    serverErrors: serverLog.filter((line) => line.startsWith('ERROR')),
  };
}
