/**
 * Cold import time of a bundle: a fresh Node process per run, which records `performance.now()`
 * just before and after `await import(bundle)` and prints the difference. Process start-up, and
 * Node's own bootstrap, are therefore not in the figure; parsing, compiling and evaluating the
 * bundle's top level (module-scope code of the handler and its dependencies) are.
 *
 * An empty module measured the same way is the baseline: what any `import()` costs.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { EVIDENCE_BUCKET_ENV, tables } from '../shared/store/tables.ts';
import { BENCH_DIR } from './paths.ts';

const run = promisify(execFile);

/** Runs in the child, as an ES module: top-level await is allowed. */
const PROBE = `
const url = process.env.BENCH_IMPORT_URL;
const t0 = performance.now();
await import(url);
const t1 = performance.now();
process.stdout.write(JSON.stringify({ ms: t1 - t0 }) + '\\n', () => process.exit(0));
`;

/** Harmless values for everything the handlers read from the environment, as Lambda would set it. */
export function dummyLambdaEnvironment(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_REGION: 'cn-north-1',
    AWS_DEFAULT_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    POWERTOOLS_SERVICE_NAME: 'three-systems-bench',
    POWERTOOLS_METRICS_NAMESPACE: 'ThreeSystems',
    BUREAU_NAME: '宿迁市市场监督管理局',
    [EVIDENCE_BUCKET_ENV]: 'bench-evidence',
    // No compile cache: every run must parse and compile the bundle from scratch, as a cold start does.
    NODE_DISABLE_COMPILE_CACHE: '1',
    NODE_OPTIONS: '',
  };
  for (const spec of tables) env[spec.envVar] = `bench-${spec.id}`;
  return env;
}

export interface ImportTarget {
  readonly name: string;
  /** Absolute path of the module to import. */
  readonly file: string;
}

export interface ImportTimes {
  readonly name: string;
  /** Milliseconds per measured run, in run order. */
  readonly plain: number[];
  /** The same with `--enable-source-maps`, which the construct sets through NODE_OPTIONS on Lambda. */
  readonly sourceMaps: number[];
}

/** Writes the empty baseline module and returns it as a target. */
export async function emptyModule(): Promise<ImportTarget> {
  const file = join(BENCH_DIR, 'bundles', 'empty.mjs');
  await writeFile(file, 'export {};\n');
  return { name: '(empty module)', file };
}

async function importOnce(target: ImportTarget, sourceMaps: boolean): Promise<number> {
  const args = [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', PROBE];
  const { stdout } = await run(process.execPath, args, {
    env: { ...dummyLambdaEnvironment(), BENCH_IMPORT_URL: pathToFileURL(target.file).href },
    timeout: 60_000,
  });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const parsed = JSON.parse(line) as { ms?: unknown };
  if (typeof parsed.ms !== 'number') throw new Error(`import probe for ${target.name} printed ${JSON.stringify(stdout)}`);
  return parsed.ms;
}

/**
 * `runs` measured imports per target and mode, after one unmeasured warm-up each (it fills the OS
 * file cache, so that run 1 is not also a disk read). Targets and modes are interleaved round-robin,
 * so a slow phase of the machine spreads over all of them instead of falling on one.
 */
export async function measureImports(
  targets: readonly ImportTarget[],
  runs: number,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<ImportTimes[]> {
  const results = targets.map((t): ImportTimes => ({ name: t.name, plain: [], sourceMaps: [] }));
  const total = (runs + 1) * targets.length * 2;
  let done = 0;
  for (let round = 0; round <= runs; round++) {
    for (const [i, target] of targets.entries()) {
      for (const sourceMaps of [false, true]) {
        const value = await importOnce(target, sourceMaps);
        if (round > 0) {
          const r = results[i];
          if (r) (sourceMaps ? r.sourceMaps : r.plain).push(value);
        }
        progress(++done, total);
      }
    }
  }
  return results;
}
