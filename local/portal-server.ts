/**
 * The public portal on its own origin (issue 14), as it will be behind CloudFront: HTML pages from
 * functions/portal/router.ts, which reads the local API over HTTP like any client; static files under
 * content-hashed names; text compressed (brotli or gzip) as CloudFront compresses it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { publicApi } from '../functions/portal/api.ts';
import { ASSET_CACHE, loadAssets } from '../functions/portal/assets.ts';
import { internalErrorPage, type PortalResponse, type Site } from '../functions/portal/layout.ts';
import { renderPortal } from '../functions/portal/router.ts';
import { buildConsole, CONSOLE_BASE, type ConsoleBuild } from '../console/build.ts';
import { CONSOLE_ASSET_CACHE, SHELL_CACHE, consoleSecurityHeaders } from '../console/headers.ts';
import { SECURITY_HEADERS } from '../shared/portal-headers.ts';

export interface PortalServerOptions {
  /** The API the portal reads (the local API's URL). */
  readonly apiUrl: string;
  readonly bureauName: string;
  readonly log: (line: string) => void;
}

/** Below this, compressing costs more than it saves. */
const MIN_COMPRESS = 1_024;

function compress(req: IncomingMessage, type: string, body: Buffer): { body: Buffer; encoding?: string } {
  if (body.length < MIN_COMPRESS || !/^(text\/|application\/json|image\/svg)/.test(type)) return { body };
  const accept = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accept)) return { body: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }), encoding: 'br' };
  if (/\bgzip\b/.test(accept)) return { body: gzipSync(body), encoding: 'gzip' };
  return { body };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, raw: Buffer): void {
  const type = headers['content-type'] ?? '';
  const { body, encoding } = compress(req, type, raw);
  res.writeHead(status, { ...headers, vary: 'accept-encoding', ...(encoding ? { 'content-encoding': encoding } : {}), 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The staff console (issue 16) at `/console/` of the portal's origin, as CloudFront will serve it from S3:
 * hashed assets kept a year, and the shell for `/console/` and every client-side route under it. Built
 * in memory once, on the first request (esbuild, well under a second).
 */
function consoleServer(options: PortalServerOptions) {
  let built: Promise<ConsoleBuild> | undefined;
  // The evidence viewer's presigned links point at the evidence store: s3rver locally (the local API's
  // environment, set in this process by local/services.ts).
  const evidenceUrl = process.env.LOCAL_MODE === 'true' ? process.env.AWS_ENDPOINT_URL_S3 : undefined;
  const headers = consoleSecurityHeaders(options.apiUrl, undefined, evidenceUrl || undefined);
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, { ...headers, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, Buffer.from('不支持该请求方法', 'utf8'));
      return;
    }
    if (path === CONSOLE_BASE) {
      res.writeHead(301, { ...headers, location: `${CONSOLE_BASE}/` }).end();
      return;
    }
    if (!built) {
      built = buildConsole();
      // A failed build (a syntax error while editing) is tried again on the next request.
      built.catch(() => (built = undefined));
    }
    const app = await built;
    const asset = app.assets.get(path);
    if (asset) {
      send(req, res, 200, { ...headers, 'content-type': asset.contentType, 'cache-control': CONSOLE_ASSET_CACHE }, asset.body);
    } else if (path.startsWith(`${CONSOLE_BASE}/assets/`)) {
      send(req, res, 404, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, Buffer.from('文件不存在', 'utf8'));
    } else {
      const shell = app.shell({ apiUrl: options.apiUrl, bureauName: options.bureauName, auth: 'local' });
      send(req, res, 200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': SHELL_CACHE }, Buffer.from(shell, 'utf8'));
    }
  };
}

const isConsolePath = (path: string): boolean => path === CONSOLE_BASE || path.startsWith(`${CONSOLE_BASE}/`);

export function createPortalServer(options: PortalServerOptions): Server {
  const assets = loadAssets();
  const serveConsole = consoleServer(options);
  const site: Site = { bureauName: options.bureauName, stylesheet: assets.pathOf('portal.css'), apiUrl: options.apiUrl };
  const api = publicApi(options.apiUrl);
  return createServer((req, res) => {
    const started = performance.now();
    const [path = '/', query = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    if (isConsolePath(path)) {
      serveConsole(req, res, path)
        .catch((e: unknown) => {
          options.log(`ERROR console ${req.method} ${path}: ${e instanceof Error ? e.name : 'error'}`);
          if (!res.headersSent) send(req, res, 500, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, Buffer.from('执法工作台暂时无法加载，请稍后刷新', 'utf8'));
        })
        .finally(() => options.log(`console ${req.method} ${path} ${res.statusCode} ${(performance.now() - started).toFixed(0)} ms`));
      return;
    }
    const asset = assets.byPath.get(path);
    if (asset && (req.method === 'GET' || req.method === 'HEAD')) {
      send(req, res, 200, { 'content-type': asset.contentType, 'cache-control': ASSET_CACHE, 'x-content-type-options': 'nosniff' }, asset.body);
      return;
    }
    renderPortal(site, api, { method: req.method ?? 'GET', path, query })
      .catch((e: unknown): PortalResponse => {
        // The error's name only: a request's text may be personal data.
        options.log(`ERROR portal ${req.method} ${path}: ${e instanceof Error ? e.name : 'error'}`);
        return internalErrorPage(site);
      })
      .then((page) => {
        send(req, res, page.status, page.headers, Buffer.from(page.body, 'utf8'));
        options.log(`portal ${req.method} ${path} ${page.status} ${(performance.now() - started).toFixed(0)} ms`);
      });
  });
}
