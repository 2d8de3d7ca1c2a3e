/**
 * Stack traces in the TypeScript sources, computed when an unexpected error is logged rather than at
 * every cold start. The deployed bundles are minified and start without `--enable-source-maps` (which
 * would parse every loaded file's map at load time: infra/bundling.ts); their `.map` files lie next to
 * them in the asset, so the rare error pays for reading the maps of the frames it names.
 * Where Node already maps stacks (local mode runs the sources; a process with source maps enabled),
 * the stack is returned unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const maps = new Map<string, SourceMap | null>();

function mapOf(fileUrl: string): SourceMap | null {
  let map = maps.get(fileUrl);
  if (map === undefined) {
    map = null;
    try {
      const path = `${fileURLToPath(fileUrl)}.map`;
      if (existsSync(path)) map = new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      // An unreadable map leaves the frame as it is.
    }
    maps.set(fileUrl, map);
  }
  return map;
}

/** `../../shared/domain/x.ts` (as esbuild writes sources, relative to the map) → `shared/domain/x.ts`. */
const sourcePath = (source: string): string => source.replace(/^(?:file:\/\/)?(?:[^/]*\/)*?(?=(?:shared|functions|local|node_modules)\/)/, '');

/** A frame `at name (file:///…/x.mjs:1:2)` or `at file:///…/x.mjs:1:2`. */
const FRAME = /^(\s*at (?:(.+?) \()?)(file:\/\/[^)]+?\.mjs):(\d+):(\d+)(\)?)$/;

/** The error's stack with bundle positions replaced by source positions where a map is at hand. */
export function sourceStack(error: unknown): string | undefined {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return undefined;
  if (process.sourceMapsEnabled) return error.stack;
  return error.stack
    .split('\n')
    .map((line) => {
      const m = FRAME.exec(line);
      if (!m) return line;
      const [, , fn, url = '', lineNo = '0', col = '0'] = m;
      const entry = mapOf(url)?.findEntry(Number(lineNo) - 1, Number(col) - 1);
      if (!entry || !('originalSource' in entry)) return line;
      const name = (entry as { name?: string }).name ?? fn;
      const where = `${sourcePath(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
      return `    at ${name ? `${name} (${where})` : where}`;
    })
    .join('\n');
}
