/**
 * Builds the staff console (issue 16, point 7) with esbuild: Preact JSX, ES modules split per section
 * (each section is a dynamic import, so a page loads only its own chunk), content-hashed names under
 * `/console/assets/`, and the index.html shell that names them. In memory for the local portal server
 * (local/portal-server.ts); written to a folder for deployment:
 *
 *   node --import tsx console/build.ts <out-dir> --api-url https://api.example.gov.cn [--bureau 名称]
 *        [--cognito-domain https://<prefix>.auth.<region>.amazoncognito.com --client-id <ConsoleClientId>]
 *
 * The CDK app builds it at synth (infra/stacks/portal-stack.ts, {@link buildConsoleSync}: CDK constructs
 * are synchronous). The shell carries the run-time configuration (API URL, sign-in mode, Cognito domain
 * and app client) in meta tags: the CSP allows no inline script, and the hashed assets stay the same for
 * every environment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, buildSync, type BuildOptions, type BuildResult } from 'esbuild';

export const CONSOLE_BASE = '/console';
export const ASSET_PREFIX = `${CONSOLE_BASE}/assets/`;
/** Issue 16: JavaScript for the whole console, gzip-compressed. */
export const JS_BUDGET_GZIP_BYTES = 300 * 1024;

const HERE = fileURLToPath(new URL('.', import.meta.url));
const OUT_DIR = join(HERE, 'dist');

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface ConsoleAsset {
  /** `/console/assets/main-ABCD1234.js` */
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
  readonly gzipBytes: number;
  /** The console's source files bundled into it (repository-relative), for the per-section sizes. */
  readonly inputs: readonly string[];
}

export interface ShellConfig {
  readonly apiUrl: string;
  readonly bureauName: string;
  /** `local` (default): the demo people of `GET /local/people`; `cognito`: the user pool's hosted sign-in. */
  readonly auth?: 'local' | 'cognito';
  /** Required with auth `cognito`: the user pool domain's URL (no trailing slash) and the console's app client. */
  readonly cognito?: { readonly domainUrl: string; readonly clientId: string };
}

export interface ConsoleBuild {
  readonly assets: ReadonlyMap<string, ConsoleAsset>;
  readonly script: string;
  readonly stylesheet: string;
  readonly javascriptGzipBytes: number;
  readonly shell: (config: ShellConfig) => string;
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const REPO_ROOT = join(HERE, '..');

function buildOptions(options: { minify?: boolean }): BuildOptions & { write: false; metafile: true } {
  return {
    // Metafile paths are relative to this, whatever the caller's working directory.
    absWorkingDir: REPO_ROOT,
    entryPoints: { main: join(HERE, 'src/main.tsx'), console: join(HERE, 'src/console.css') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'safari16.4', 'firefox115'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    outdir: OUT_DIR,
    write: false,
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  };
}

export async function buildConsole(options: { minify?: boolean } = {}): Promise<ConsoleBuild> {
  return fromResult(await build(buildOptions(options)));
}

/** The same build, synchronously (no plugins are used, so esbuild's buildSync can run it). */
export function buildConsoleSync(options: { minify?: boolean } = {}): ConsoleBuild {
  return fromResult(buildSync(buildOptions(options)));
}

function fromResult(result: BuildResult<{ write: false; metafile: true }>): ConsoleBuild {
  const assets = new Map<string, ConsoleAsset>();
  let script = '';
  let stylesheet = '';
  for (const file of result.outputFiles) {
    const name = relative(OUT_DIR, file.path).split('\\').join('/');
    const type = TYPES[extname(name)];
    if (!type) continue;
    const path = `${ASSET_PREFIX}${name}`;
    const meta = result.metafile.outputs[relative(REPO_ROOT, file.path).split('\\').join('/')];
    const body = Buffer.from(file.contents);
    const inputs = Object.keys(meta?.inputs ?? {});
    assets.set(path, { path, contentType: type, body, gzipBytes: gzipSync(body).length, inputs });
    if (meta?.entryPoint?.endsWith('src/main.tsx')) script = path;
    if (meta?.entryPoint?.endsWith('src/console.css')) stylesheet = path;
  }
  if (!script || !stylesheet) throw new Error('console build: entry outputs not found');
  const javascriptGzipBytes = [...assets.values()].filter((a) => a.path.endsWith('.js')).reduce((sum, a) => sum + a.gzipBytes, 0);

  const shell = (config: ShellConfig): string => {
    const auth = config.auth ?? 'local';
    if (auth === 'cognito' && !config.cognito) throw new Error('console shell: auth cognito needs the Cognito domain URL and client id');
    return [
      '<!doctype html>',
      '<html lang="zh-CN">',
      '<head>',
      '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>执法工作台 · ${escapeAttr(config.bureauName)}</title>`,
      `<meta name="console:api-url" content="${escapeAttr(config.apiUrl)}">`,
      `<meta name="console:auth" content="${auth}">`,
      ...(auth === 'cognito' && config.cognito
        ? [
            `<meta name="console:cognito-domain" content="${escapeAttr(config.cognito.domainUrl.replace(/\/$/, ''))}">`,
            `<meta name="console:cognito-client-id" content="${escapeAttr(config.cognito.clientId)}">`,
          ]
        : []),
      `<meta name="console:bureau" content="${escapeAttr(config.bureauName)}">`,
      // No favicon request (the portal has none): an empty icon from a data: URL, which img-src allows.
      '<link rel="icon" href="data:,">',
      `<link rel="stylesheet" href="${stylesheet}">`,
      `<script type="module" src="${script}"></script>`,
      '</head>',
      '<body>',
      '<div id="app"><noscript>执法工作台需要启用 JavaScript。</noscript></div>',
      '</body>',
      '</html>',
      '',
    ].join('\n');
  };

  return { assets, script, stylesheet, javascriptGzipBytes, shell };
}

/** Writes the shell as `index.html` and the assets under `assets/` (the layout of the `/console/` prefix). */
export async function writeConsole(outDir: string, config: ShellConfig): Promise<ConsoleBuild> {
  const built = await buildConsole();
  for (const asset of built.assets.values()) {
    const file = join(outDir, asset.path.slice(CONSOLE_BASE.length + 1));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, asset.body);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.html'), built.shell(config));
  return built;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [outDir, ...rest] = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = rest.indexOf(`--${name}`);
    return i === -1 ? undefined : rest[i + 1];
  };
  const apiUrl = flag('api-url');
  if (!outDir || !apiUrl) {
    console.error('用法 / usage: node --import tsx console/build.ts <out-dir> --api-url <url> [--bureau 名称] [--cognito-domain <url> --client-id <id>]');
    process.exit(2);
  }
  const domainUrl = flag('cognito-domain');
  const clientId = flag('client-id');
  if ((domainUrl === undefined) !== (clientId === undefined)) {
    console.error('--cognito-domain and --client-id go together (Cognito hosted sign-in)');
    process.exit(2);
  }
  const built = await writeConsole(outDir, {
    apiUrl,
    bureauName: flag('bureau') ?? '宿迁市市场监督管理局',
    ...(domainUrl && clientId ? { auth: 'cognito' as const, cognito: { domainUrl, clientId } } : { auth: 'local' as const }),
  });
  console.log(`console: ${built.assets.size} assets, JavaScript ${(built.javascriptGzipBytes / 1024).toFixed(1)} KB gzip → ${outDir}`);
}
