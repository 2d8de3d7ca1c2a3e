/**
 * The portal's static files (functions/portal/assets): served under content-hashed names, so that a
 * page can let browsers and CloudFront keep them for a year and a change is a new name.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  /** `/assets/portal-1a2b3c4d.css` */
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

/** Every asset by its hashed path, and the hashed path of each file name. */
export function loadAssets(dir: string = ASSETS_DIR): { byPath: ReadonlyMap<string, Asset>; pathOf: (name: string) => string } {
  const byPath = new Map<string, Asset>();
  const names = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const ext = extname(name);
    const type = TYPES[ext];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const path = `/assets/${name.slice(0, -ext.length)}-${hash}${ext}`;
    byPath.set(path, { path, contentType: type, body });
    names.set(name, path);
  }
  return {
    byPath,
    pathOf: (name) => {
      const path = names.get(name);
      if (!path) throw new Error(`portal asset ${name} missing from ${dir}`);
      return path;
    },
  };
}

/** A year: the name changes with the content. */
export const ASSET_CACHE = 'public, max-age=31536000, immutable';
