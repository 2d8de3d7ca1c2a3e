/**
 * How a function's code becomes its Lambda asset: the one set of esbuild options, used by the CDK
 * construct (infra/constructs/project-function.ts, at synth) and by the bench (bench/bundle.ts), so
 * that what the bench measures is what `cdk deploy` uploads.
 *
 * Cold start (issue 13) shapes three choices:
 * - **Code splitting.** ESM with `splitting`: `index.mjs` holds what every invocation needs; code that
 *   only some routes or jobs reach (`await import(...)`, e.g. the PDF stack, S3 for report links) goes
 *   to chunks under `chunks/` that Node loads on first use. A cold start parses and runs only the
 *   entry and the chunks it imports statically ("loaded at init" in the bench).
 * - **Lambda's credentials.** The SDK's default credential chain (`@aws-sdk/credential-provider-node`)
 *   bundles the STS, SSO and SSO-OIDC clients and the ini/process/IMDS providers: about 130 KB and 25 ms
 *   of every cold start, for sources Lambda never uses. Lambda always passes the execution role's
 *   credentials as environment variables, so the deployed bundle resolves that module to
 *   shared/aws/lambda-credentials.ts, which reads them from there. Local mode and the tests run the
 *   sources with the full chain.
 * - **Source maps** are built into every asset (a `.map` beside each file) but functions start without
 *   `--enable-source-maps`, which would parse the map of every file loaded at every cold start (15–30 ms
 *   in the bench). An unexpected error is logged with its stack mapped to the TypeScript sources when it
 *   happens (shared/http/stack-trace.ts): the rare error pays, not every start.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { repoRoot } from './paths.ts';

/**
 * Lets ESM bundles use CommonJS dependencies that call `require` (some AWS SDK and Powertools
 * internals do): esbuild's ESM output has no `require` of its own. Prepended to every output file.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Module specifier → replacement (relative to the repository root) in deployed bundles only. */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './shared/aws/lambda-credentials.ts',
};

/** The file Lambda's handler setting names (`index.handler`). */
export const ENTRY_FILE = 'index.mjs';
/** Folder of the lazily loaded chunks, inside the asset. */
export const CHUNKS_DIR = 'chunks';

/**
 * esbuild options for one function. `entry` is relative to the repository root (as in
 * shared/manifest.ts); `outdir` receives index.mjs, its map, and chunks/.
 */
export function lambdaBuildOptions(entry: string, outdir: string, root: string = repoRoot): BuildOptions {
  const entryPath = join(root, entry);
  if (!existsSync(entryPath)) throw new Error(`Lambda entry ${entry} does not exist (resolved to ${entryPath})`);
  return {
    absWorkingDir: root,
    entryPoints: { index: entryPath },
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    splitting: true,
    outdir,
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: `${CHUNKS_DIR}/[name]-[hash]`,
    // ESM builds of dependencies first, so that esbuild can tree-shake them.
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    // Chinese messages stay readable (and smaller) instead of becoming \u escapes.
    charset: 'utf8',
    // The AWS SDK is bundled at the version in package-lock.json rather than taken from the runtime,
    // whose version changes without notice.
    external: [],
    alias: Object.fromEntries(Object.entries(LAMBDA_ALIASES).map(([from, to]) => [from, join(root, to)])),
    logLevel: 'warning',
  };
}
