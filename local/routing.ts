/**
 * Matches a request path against the manifest's route templates the way API Gateway's resource tree
 * does: segment by segment, a literal segment wins over a `{param}` at the same position, and once a
 * resource is chosen its methods decide between a match and 405 (there is no fallback to a less
 * specific resource: `GET /powers/import` is 405, not `GET /powers/{code}` with code "import").
 */
import type { HttpMethod, RouteSpec } from '../shared/manifest.ts';

type Segment = { readonly kind: 'literal'; readonly value: string } | { readonly kind: 'param'; readonly name: string };

interface Resource {
  readonly path: string;
  readonly segments: readonly Segment[];
  readonly methods: Map<HttpMethod, RouteSpec>;
}

export type RouteMatch =
  | { readonly kind: 'match'; readonly route: RouteSpec; readonly pathParameters: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad-path' };

const splitPath = (path: string): string[] => path.split('/').slice(1);

function parseTemplate(path: string): Segment[] {
  return splitPath(path).map((s) => {
    const param = /^\{([A-Za-z0-9_]+)\}$/.exec(s);
    return param?.[1] !== undefined ? { kind: 'param', name: param[1] } : { kind: 'literal', value: s };
  });
}

export interface Router {
  match(method: string, rawPath: string): RouteMatch;
}

export function createRouter(routes: readonly RouteSpec[]): Router {
  const resources = new Map<string, Resource>();
  for (const route of routes) {
    let resource = resources.get(route.path);
    if (!resource) {
      resource = { path: route.path, segments: parseTemplate(route.path), methods: new Map() };
      resources.set(route.path, resource);
    }
    if (resource.methods.has(route.method)) throw new Error(`Duplicate route ${route.method} ${route.path}`);
    resource.methods.set(route.method, route);
  }
  const all = [...resources.values()];

  return {
    match(method, rawPath) {
      // A trailing slash names the same resource (`/agencies/` = `/agencies`).
      const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
      let decoded: string[];
      try {
        decoded = splitPath(trimmed).map((s) => decodeURIComponent(s));
      } catch {
        return { kind: 'bad-path' };
      }

      let best: { resource: Resource; params: Record<string, string>; score: number[] } | undefined;
      for (const resource of all) {
        if (resource.segments.length !== decoded.length) continue;
        const params: Record<string, string> = {};
        const score: number[] = [];
        let ok = true;
        for (const [i, segment] of resource.segments.entries()) {
          const value = decoded[i] ?? '';
          if (segment.kind === 'literal') {
            if (segment.value !== value) {
              ok = false;
              break;
            }
            score.push(1);
          } else {
            if (value === '') {
              ok = false;
              break;
            }
            params[segment.name] = value;
            score.push(0);
          }
        }
        // Literal-first, left to right: compare the scores lexicographically.
        if (ok && (!best || compareScores(score, best.score) > 0)) best = { resource, params, score };
      }
      if (!best) return { kind: 'not-found' };
      const route = best.resource.methods.get(method as HttpMethod);
      if (!route) return { kind: 'method-not-allowed', allowed: [...best.resource.methods.keys()] };
      return { kind: 'match', route, pathParameters: best.params };
    },
  };
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
