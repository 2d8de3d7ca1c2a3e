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

export function createPortalServer(options: PortalServerOptions): Server {
  const assets = loadAssets();
  const site: Site = { bureauName: options.bureauName, stylesheet: assets.pathOf('portal.css'), apiUrl: options.apiUrl };
  const api = publicApi(options.apiUrl);
  return createServer((req, res) => {
    const started = performance.now();
    const [path = '/', query = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
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
