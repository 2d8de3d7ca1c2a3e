/**
 * Bundles every function of shared/manifest.ts with esbuild exactly as the CDK construct
 * (infra/constructs/project-function.ts → aws-cdk-lib NodejsFunction) does, into .bench/bundles/<id>/,
 * and reads esbuild's metafile to say which inputs take the most bytes of each bundle.
 *
 * The options are a copy of the construct's `bundling` block translated the way aws-cdk-lib's
 * `Bundling.buildEsbuildArgs` translates it (the construct itself cannot be imported without
 * synthesising a stack). `checkConstructDrift` warns when the construct no longer reads as copied.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, version as esbuildVersion, type BuildOptions, type Metafile } from 'esbuild';
import { functions, type FunctionId } from '../shared/manifest.ts';
import { BENCH_DIR, REPO_ROOT } from './paths.ts';

/** Copied from project-function.ts (not exported there). */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const CONSTRUCT_FILE = join(REPO_ROOT, 'infra/constructs/project-function.ts');

/** Source fragments of the construct's bundling block that the options below mirror. */
const MIRRORED_FRAGMENTS = [
  'runtime: lambda.Runtime.NODEJS_24_X',
  'format: OutputFormat.ESM',
  "target: 'node24'",
  "mainFields: ['module', 'main']",
  'banner: ESM_REQUIRE_BANNER',
  'minify: true',
  'sourceMap: true',
  'sourcesContent: false',
  'charset: Charset.UTF8',
  'bundleAwsSDK: true',
  'externalModules: []',
  'logLevel: LogLevel.WARNING',
  ESM_REQUIRE_BANNER,
] as const;

/** Props of the construct's bundling block that this bench does not know how to mirror. */
const KNOWN_BUNDLING_PROPS = new Set([
  'format',
  'target',
  'mainFields',
  'banner',
  'minify',
  'sourceMap',
  'sourcesContent',
  'charset',
  'bundleAwsSDK',
  'externalModules',
  'logLevel',
]);

export interface DriftReport {
  readonly missing: readonly string[];
  readonly unknownProps: readonly string[];
}

/** Compares the construct's source with what this file mirrors. Empty lists: in step. */
export async function checkConstructDrift(): Promise<DriftReport> {
  const source = await readFile(CONSTRUCT_FILE, 'utf8');
  const missing = MIRRORED_FRAGMENTS.filter((f) => !source.includes(f));
  const block = /bundling:\s*\{([\s\S]*?)\n\s{6}\},/.exec(source)?.[1] ?? '';
  const props = [...block.matchAll(/^\s*([A-Za-z]+):/gm)].map((m) => m[1] ?? '');
  const unknownProps = props.filter((p) => !KNOWN_BUNDLING_PROPS.has(p));
  return { missing, unknownProps };
}

/**
 * Whether the installed aws-cdk-lib turns the `charset` prop into `--charset=…`. Checked rather than
 * assumed: aws-cdk-lib 2.276.0's bundling.js never reads it, so its bundles use esbuild's default
 * (ASCII, non-ASCII characters as \u escapes) whatever the construct says. We bundle what CDK deploys.
 */
export async function cdkPassesCharset(): Promise<{ passes: boolean; cdkVersion: string }> {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const pkgPath = require.resolve('aws-cdk-lib/package.json');
  const pkg = JSON.parse(await readFile(pkgPath, 'utf8')) as { version: string };
  const bundling = await readFile(join(dirname(pkgPath), 'aws-lambda-nodejs/lib/bundling.js'), 'utf8');
  return { passes: bundling.includes('--charset'), cdkVersion: pkg.version };
}

export interface InputShare {
  /** Path relative to the repository root. */
  readonly input: string;
  readonly bytes: number;
}

export interface BundleResult {
  readonly id: FunctionId;
  readonly entry: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly sourceMapBytes: number;
  readonly buildMs: number;
  readonly inputCount: number;
  /** Top inputs by bytes in the (minified) output. */
  readonly topInputs: readonly InputShare[];
  /** The same summed per npm package; project sources count as "(project)". */
  readonly topPackages: readonly InputShare[];
}

export function bundleOptions(entry: string, outfile: string, charsetUtf8: boolean): BuildOptions {
  // Order and meaning follow Bundling.buildEsbuildArgs: `--bundle <entry> --target --platform
  // --format --outfile --minify --sourcemap --sources-content=false --log-level --banner:js
  // --main-fields`. No --external (bundleAwsSDK with externalModules: []), no --tsconfig (esbuild
  // finds tsconfig.json itself, as the CDK's esbuild does).
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(REPO_ROOT, entry)],
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
    ...(charsetUtf8 ? { charset: 'utf8' as const } : {}),
    // Extra for the bench only; does not change the output.
    metafile: true,
  };
}

function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return '(project)';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? input);
}

function shares(metafile: Metafile, outfile: string, top: number): { files: InputShare[]; packages: InputShare[]; count: number } {
  const key = relative(REPO_ROOT, outfile);
  const output = metafile.outputs[key];
  if (!output) throw new Error(`esbuild metafile has no output ${key}`);
  const entries = Object.entries(output.inputs).map(([input, v]) => ({ input, bytes: v.bytesInOutput }));
  const byPackage = new Map<string, number>();
  for (const e of entries) byPackage.set(packageOf(e.input), (byPackage.get(packageOf(e.input)) ?? 0) + e.bytes);
  const desc = (a: InputShare, b: InputShare): number => b.bytes - a.bytes;
  return {
    files: entries.sort(desc).slice(0, top),
    packages: [...byPackage].map(([input, bytes]) => ({ input, bytes })).sort(desc).slice(0, top),
    count: entries.length,
  };
}

export async function bundleAll(options: { charsetUtf8: boolean; top?: number }): Promise<BundleResult[]> {
  const outRoot = join(BENCH_DIR, 'bundles');
  await rm(outRoot, { recursive: true, force: true });
  const results: BundleResult[] = [];
  // One after another: on two cores, parallel builds would only blur the build times.
  for (const spec of functions) {
    const outfile = join(outRoot, spec.id, 'index.mjs');
    const started = performance.now();
    const result = await build(bundleOptions(spec.entry, outfile, options.charsetUtf8));
    const buildMs = performance.now() - started;
    if (result.errors.length > 0 || !result.metafile) throw new Error(`esbuild failed for ${spec.entry}`);
    const code = await readFile(outfile);
    const map = await stat(`${outfile}.map`);
    const { files, packages, count } = shares(result.metafile, outfile, options.top ?? 5);
    results.push({
      id: spec.id,
      entry: spec.entry,
      file: relative(REPO_ROOT, outfile),
      bytes: code.byteLength,
      gzipBytes: gzipSync(code, { level: 9 }).byteLength,
      sourceMapBytes: map.size,
      buildMs,
      inputCount: count,
      topInputs: files,
      topPackages: packages,
    });
  }
  return results;
}

export { esbuildVersion };
