/**
 * Bundles every function of shared/manifest.ts twice, for the before/after table of issue 13:
 *
 * - **after**: today's sources with infra/bundling.ts's options, the very options the CDK construct
 *   builds the assets with (code splitting, Lambda's credential provider), into
 *   .bench/bundles/after/<id>/;
 * - **before**: the sources of BASELINE_REV (a git worktree under .bench/) with the options aws-cdk-lib's
 *   NodejsFunction used until then (one file, the SDK's full credential chain, `charset` not passed),
 *   into .bench/bundles/before/<id>/.
 *
 * With code splitting, what a cold start loads is the entry and the chunks it imports statically
 * ("init"); chunks reached only through `import()` load on first use. Both figures are reported.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, version as esbuildVersion, type BuildOptions, type Metafile } from 'esbuild';
import { ESM_REQUIRE_BANNER, ENTRY_FILE, lambdaBuildOptions } from '../infra/bundling.ts';
import { functions, type FunctionId } from '../shared/manifest.ts';
import { BENCH_DIR, REPO_ROOT } from './paths.ts';

const run = promisify(execFile);

/** The last commit before the cold-start work of issue 13 (single-file NodejsFunction bundles). */
export const BASELINE_REV = '9db6e53';

export interface InputShare {
  /** Path relative to the repository root. */
  readonly input: string;
  readonly bytes: number;
}

export interface BundleResult {
  readonly id: FunctionId;
  readonly entry: string;
  /** The entry file, relative to the repository root. */
  readonly file: string;
  /** Bytes a cold start loads: the entry and the chunks it imports statically. */
  readonly initBytes: number;
  readonly initGzipBytes: number;
  /** Source maps of those files. */
  readonly initSourceMapBytes: number;
  /** Every .mjs file of the asset (lazily loaded chunks included). */
  readonly totalBytes: number;
  readonly files: number;
  readonly buildMs: number;
  readonly inputCount: number;
  /** Whether the function is deployed with --enable-source-maps (before: all; after: none, infra/bundling.ts). */
  readonly sourceMapsAtRunTime: boolean;
  /** Top inputs by bytes in the loaded-at-init output. */
  readonly topInputs: readonly InputShare[];
  /** The same summed per npm package; project sources count as "(project)". */
  readonly topPackages: readonly InputShare[];
}

/**
 * The options aws-cdk-lib 2.276's NodejsFunction gave esbuild for the construct as it was at
 * BASELINE_REV (its Bundling.buildEsbuildArgs: `--bundle --target=node24 --platform=node --format=esm
 * --outfile --minify --sourcemap --sources-content=false --log-level=warning --banner:js --main-fields`;
 * it never passed the construct's `charset`, so non-ASCII became \u escapes).
 */
function nodejsFunctionOptions(root: string, entry: string, outfile: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [join(root, entry)],
    bundle: true,
    target: 'node24',
    platform: 'node',
    format: 'esm',
    outfile,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: [],
    logLevel: 'warning',
    banner: { js: ESM_REQUIRE_BANNER },
    mainFields: ['module', 'main'],
  };
}

function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return '(project)';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? input);
}

/** The entry and every output it reaches through static imports (what a cold start evaluates). */
function initOutputs(metafile: Metafile, entryKey: string): string[] {
  const seen = new Set<string>([entryKey]);
  const queue = [entryKey];
  while (queue.length > 0) {
    const key = queue.pop() as string;
    for (const imp of metafile.outputs[key]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external && !seen.has(imp.path)) {
        seen.add(imp.path);
        queue.push(imp.path);
      }
    }
  }
  return [...seen];
}

async function measure(id: FunctionId, entry: string, root: string, options: BuildOptions, entryFile: string, top: number, sourceMapsAtRunTime: boolean): Promise<BundleResult> {
  const started = performance.now();
  const result = await build({ ...options, metafile: true });
  const buildMs = performance.now() - started;
  if (result.errors.length > 0 || !result.metafile) throw new Error(`esbuild failed for ${entry}`);
  const metafile = result.metafile;
  const entryKey = relative(root, entryFile);
  if (!metafile.outputs[entryKey]) throw new Error(`esbuild metafile has no output ${entryKey}`);
  const init = initOutputs(metafile, entryKey);
  const code = Buffer.concat(await Promise.all(init.map((k) => readFile(join(root, k)))));
  const maps = await Promise.all(init.map(async (k) => (await stat(join(root, `${k}.map`))).size));
  const jsOutputs = Object.entries(metafile.outputs).filter(([k]) => k.endsWith('.mjs'));
  const byInput = new Map<string, number>();
  for (const k of init) {
    for (const [input, v] of Object.entries(metafile.outputs[k]?.inputs ?? {})) byInput.set(input, (byInput.get(input) ?? 0) + v.bytesInOutput);
  }
  const byPackage = new Map<string, number>();
  for (const [input, bytes] of byInput) byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytes);
  const desc = (a: InputShare, b: InputShare): number => b.bytes - a.bytes;
  return {
    id,
    entry,
    file: relative(REPO_ROOT, entryFile),
    initBytes: code.byteLength,
    initGzipBytes: gzipSync(code, { level: 9 }).byteLength,
    initSourceMapBytes: maps.reduce((a, b) => a + b, 0),
    totalBytes: jsOutputs.reduce((a, [, v]) => a + v.bytes, 0),
    files: jsOutputs.length,
    buildMs,
    inputCount: new Set(jsOutputs.flatMap(([, v]) => Object.keys(v.inputs))).size,
    sourceMapsAtRunTime,
    topInputs: [...byInput].map(([input, bytes]) => ({ input, bytes })).sort(desc).slice(0, top),
    topPackages: [...byPackage].map(([input, bytes]) => ({ input, bytes })).sort(desc).slice(0, top),
  };
}

/** Today's assets, built as the construct builds them. */
export async function bundleAfter(top = 5): Promise<BundleResult[]> {
  const outRoot = join(BENCH_DIR, 'bundles', 'after');
  await rm(outRoot, { recursive: true, force: true });
  const results: BundleResult[] = [];
  // One after another: on two cores, parallel builds would only blur the build times.
  for (const spec of functions) {
    const outdir = join(outRoot, spec.id);
    results.push(await measure(spec.id, spec.entry, REPO_ROOT, lambdaBuildOptions(spec.entry, outdir), join(outdir, ENTRY_FILE), top, false));
  }
  return results;
}

/** A checkout of BASELINE_REV under .bench/ (dependencies resolve from the repository's node_modules). */
async function baselineSources(): Promise<string> {
  const dir = join(BENCH_DIR, `baseline-src-${BASELINE_REV}`);
  if (!existsSync(join(dir, 'package.json'))) {
    await rm(dir, { recursive: true, force: true });
    await run('git', ['worktree', 'prune'], { cwd: REPO_ROOT });
    await run('git', ['worktree', 'add', '--detach', '--force', dir, BASELINE_REV], { cwd: REPO_ROOT });
  }
  return dir;
}

/** The same functions at BASELINE_REV, as NodejsFunction bundled them (every function started with source maps). */
export async function bundleBefore(top = 5): Promise<BundleResult[]> {
  const root = await baselineSources();
  const outRoot = join(BENCH_DIR, 'bundles', 'before');
  await rm(outRoot, { recursive: true, force: true });
  const results: BundleResult[] = [];
  for (const spec of functions) {
    if (!existsSync(join(root, spec.entry))) continue;
    const outfile = join(outRoot, spec.id, ENTRY_FILE);
    results.push(await measure(spec.id, spec.entry, root, nodejsFunctionOptions(root, spec.entry, outfile), outfile, top, true));
  }
  return results;
}

export { esbuildVersion };
