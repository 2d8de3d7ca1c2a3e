/**
 * How a function's code becomes its Lambda asset: the one set of esbuild options, used by the CDK
 * construct (infra/constructs/project-function.ts, at synth) and by the bench (bench/bundle.ts), so
 * that what the bench measures is what `cdk deploy` uploads.
 *
 * Cold start (issue 13) shapes these choices:
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
 * - **The SDK's barrels.** Code splitting assigns a module to the chunks of every entry whose import graph
 *   reaches its file, through re-exports its importer never uses. The DynamoDB client imports
 *   `@aws-sdk/core/protocols`, which also re-exports S3's XML protocol: with S3 reachable lazily, the XML
 *   code went to the init chunks of functions that only use DynamoDB at init. The plugin
 *   {@link sdkBarrelImports} points the SDK's imports at the defining modules instead. An esbuild
 *   `alias` of the barrel to a project shim cannot do this: the shim would still re-export everything
 *   for S3, which imports the same specifier, and an alias cannot tell importers apart. Plugins need
 *   esbuild's async API, so the CDK construct builds in a child process ({@link buildLambdaSync}).
 * - **Node's built-ins through `require`** ({@link nodeBuiltinsAsRequire}): an ESM import of `node:http`,
 *   `node:fs` or `node:crypto` loads undici, fs streams or WebCrypto for exports nothing uses.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
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
    plugins: [sdkBarrelImports(), nodeBuiltinsAsRequire()],
  };
}

/**
 * esbuild plugin: Node's built-in modules are taken with `require` instead of an ESM `import`.
 *
 * Why: an ESM import of a built-in builds its "facade", which reads every export, and some exports are
 * getters that load more of Node: `node:http`'s loads undici (~15–30 ms), `node:fs`'s its streams,
 * `node:crypto`'s WebCrypto. Measured per cold start: 25–45 ms of a function's 100 ms budget (issue 13),
 * for exports nothing uses. Through `require` (the banner's), esbuild reads each name where the code
 * uses it, so a getter runs only if its export is used. Behaviour is otherwise the same module.
 */
export function nodeBuiltinsAsRequire(): Plugin {
  const namespace = 'node-builtin';
  return {
    name: 'node-builtins-as-require',
    setup(build) {
      build.onResolve({ filter: /^node:|^[a-z_/]+$/ }, (args) => {
        const name = args.path.replace(/^node:/, '');
        if (!BUILTINS.has(name) || args.kind === 'require-call') return undefined;
        return { path: `node:${name}`, namespace };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

const thisFile = fileURLToPath(import.meta.url);

/**
 * Builds one function's asset synchronously, for the CDK construct (its `tryBundle` is synchronous).
 * esbuild's `buildSync` takes no plugins, so the build runs in a child Node process (this file as a
 * script, its TypeScript run by Node's own type stripping) with the very options of
 * {@link lambdaBuildOptions}. esbuild's messages go to the parent's stderr; a failed build throws.
 */
export function buildLambdaSync(entry: string, outdir: string): void {
  execFileSync(process.execPath, [thisFile, entry, outdir], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * The SDK's core packages, whose `index.js` files under dist-es (the package's, each submodule's and
 * some of their folders') are barrels: they re-export modules that unrelated clients use (JSON and XML
 * protocols, S3's checksums and streams, SigV4A…). See {@link sdkBarrelImports}.
 */
const BARREL_PACKAGES = ['@aws-sdk/core', '@smithy/core'] as const;
const BARREL_FILE = new RegExp(`/node_modules/(${BARREL_PACKAGES.map((p) => p.replace('/', '\\/')).join('|')})/dist-es/(?:[^/]+/)*index\\.js$`);
/** `import { a, b as c } from "x";` and `export { … } from "x";`, as tsc writes them in dist-es. */
const NAMED_FROM = /\b(import|export)\s*\{([^}]*)\}\s*from\s*"([^"]+)";?/g;

interface Binding {
  readonly imported: string;
  readonly local: string;
}

function parseBindings(list: string): Binding[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const [imported, local] = s.split(/\s+as\s+/);
      return { imported: imported as string, local: local ?? (imported as string) };
    });
}

/**
 * esbuild plugin: the SDK's own imports from the barrels of @aws-sdk/core and @smithy/core go straight
 * to the module that defines each name, and the barrels lose their re-exports.
 *
 * Why: code splitting places a module by the entry points that reach its *file*, through every import
 * of every file on the way, used or not. The DynamoDB client imports the barrel `@aws-sdk/core/protocols`
 * (for AwsJson1_0Protocol), which re-exports the XML protocol as well; once S3 is in the build (reached
 * lazily, `await import()`), the XML protocol, @aws-sdk/xml-builder, HttpBindingProtocol, S3's checksum
 * and stream helpers… were all "reached" from the entry through the barrel and landed in the chunks
 * loaded at init (issue 13: reviews 393 → 439 KB). Without the re-export edges, a module is at init
 * only if code loaded at init imports it.
 *
 * Semantics are kept: the packages declare no side effects but the one module of `sideEffects`
 * (@aws-sdk/core's util-endpoints/aws.js), which a barrel keeps importing. A name the rewrite misses
 * (another package importing a re-exported name from a barrel) is a build error ("No matching export"),
 * not a silent change.
 */
export function sdkBarrelImports(): Plugin {
  return {
    name: 'sdk-barrel-imports',
    setup(build) {
      const resolved = new Map<string, Promise<string | undefined>>();
      const resolvePath = (spec: string, resolveDir: string): Promise<string | undefined> => {
        const key = `${resolveDir}\0${spec}`;
        let p = resolved.get(key);
        if (!p) {
          p = build.resolve(spec, { resolveDir, kind: 'import-statement' }).then((r) => (r.errors.length === 0 && !r.external ? r.path : undefined));
          resolved.set(key, p);
        }
        return p;
      };
      /** Barrel file → exported name → [module file, name there], following barrels of barrels. */
      const barrels = new Map<string, Promise<Map<string, { file: string; name: string }>>>();
      const barrelExports = (file: string): Promise<Map<string, { file: string; name: string }>> => {
        let p = barrels.get(file);
        if (!p) {
          p = (async () => {
            const map = new Map<string, { file: string; name: string }>();
            const text = await readFile(file, 'utf8');
            for (const m of text.matchAll(NAMED_FROM)) {
              if (m[1] !== 'export') continue;
              const target = await resolvePath(m[3] as string, dirname(file));
              if (!target) continue;
              const inner = BARREL_FILE.test(target) ? await barrelExports(target) : undefined;
              for (const b of parseBindings(m[2] as string)) map.set(b.local, inner?.get(b.imported) ?? { file: target, name: b.imported });
            }
            return map;
          })();
          barrels.set(file, p);
        }
        return p;
      };

      build.onLoad({ filter: /[\\/]node_modules[\\/]@(aws-sdk|smithy)[\\/].*\.js$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        const dir = dirname(args.path);
        const isBarrel = BARREL_FILE.test(args.path);
        const sideEffects = isBarrel ? await packageSideEffects(args.path) : [];
        let out = '';
        let last = 0;
        for (const m of text.matchAll(NAMED_FROM)) {
          const [stmt, keyword, list, spec] = m as unknown as [string, 'import' | 'export', string, string];
          const target = await resolvePath(spec, dir);
          let replacement: string | undefined;
          if (isBarrel && keyword === 'export') {
            // The barrel's own re-export: dropped (its importers were rewritten), unless the module has side effects.
            replacement = target && sideEffects.includes(target) ? `import ${JSON.stringify(target)};` : '';
          } else if (target && BARREL_FILE.test(target)) {
            const map = await barrelExports(target);
            const lines: string[] = [];
            const rest: Binding[] = [];
            for (const b of parseBindings(list)) {
              const to = map.get(b.imported);
              if (to) lines.push(`${keyword} { ${to.name === b.local ? to.name : `${to.name} as ${b.local}`} } from ${JSON.stringify(to.file)};`);
              else rest.push(b);
            }
            if (rest.length > 0) lines.push(`${keyword} { ${rest.map((b) => (b.imported === b.local ? b.imported : `${b.imported} as ${b.local}`)).join(', ')} } from ${JSON.stringify(spec)};`);
            replacement = lines.join('\n');
          }
          if (replacement === undefined) continue;
          out += text.slice(last, m.index) + replacement;
          last = (m.index as number) + stmt.length;
        }
        if (last === 0) return undefined;
        return { contents: out + text.slice(last), loader: 'js', resolveDir: dir };
      });
    },
  };
}

/** The files a package's `sideEffects` names (absolute); every file of the barrel's package if it says nothing or `true`. */
async function packageSideEffects(file: string): Promise<string[]> {
  const root = file.slice(0, file.indexOf('/dist-es/'));
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { sideEffects?: boolean | string[] };
  if (pkg.sideEffects === false) return [];
  if (Array.isArray(pkg.sideEffects)) return pkg.sideEffects.map((f) => join(root, f));
  throw new Error(`${root}/package.json does not declare its side effects: its barrels cannot be rewritten`);
}

// Run as a script by buildLambdaSync (last in the file: everything above is initialised by then).
if (process.argv[1] === thisFile) {
  const [entry, outdir] = process.argv.slice(2);
  if (!entry || !outdir) throw new Error('usage: node infra/bundling.ts <entry> <outdir>');
  const result = await build(lambdaBuildOptions(entry, outdir));
  if (result.errors.length > 0) throw new Error(`esbuild failed for ${entry}`);
}
