/**
 * The console's addresses (history API, under /console/): one place parses them and one builds them,
 * so a link and the page it opens cannot disagree.
 */
export const BASE = '/console';

export type Route =
  | { readonly name: 'sign-in'; readonly next: string | undefined }
  | { readonly name: 'my-cases' }
  | { readonly name: 'case'; readonly id: string }
  | { readonly name: 'not-found' };

export const href = {
  myCases: (): string => `${BASE}/`,
  case: (id: string): string => `${BASE}/cases/${encodeURIComponent(id)}`,
  signIn: (next?: string): string => `${BASE}/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`,
};

/**
 * Where to go after signing in: only a console address of this origin, never `//host` or another
 * site (an open redirect), never the sign-in page itself.
 */
export function safeNext(next: string | null | undefined): string | undefined {
  if (!next || !next.startsWith(`${BASE}/`) || next.startsWith('//') || next.includes('\\')) return undefined;
  if (next === `${BASE}/sign-in` || next.startsWith(`${BASE}/sign-in?`)) return undefined;
  return next;
}

export function matchRoute(pathname: string, search: string): Route {
  const path = pathname.length > BASE.length + 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === BASE || path === `${BASE}/`) return { name: 'my-cases' };
  if (path === `${BASE}/sign-in`) return { name: 'sign-in', next: safeNext(new URLSearchParams(search).get('next')) };
  const caseMatch = /^\/console\/cases\/([^/]+)$/.exec(path);
  if (caseMatch?.[1]) {
    try {
      return { name: 'case', id: decodeURIComponent(caseMatch[1]) };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

/** Pages anyone may open; every other one needs a session. */
export const isPublicRoute = (route: Route): boolean => route.name === 'sign-in' || route.name === 'not-found';
