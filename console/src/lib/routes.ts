/**
 * The console's addresses (history API, under /console/): one place parses them and one builds them,
 * so a link and the page it opens cannot disagree.
 */
export const BASE = '/console';

export type Route =
  | { readonly name: 'sign-in'; readonly next: string | undefined }
  | { readonly name: 'my-cases' }
  | { readonly name: 'case'; readonly id: string }
  | { readonly name: 'new-case' }
  | { readonly name: 'reviews' }
  | { readonly name: 'review'; readonly id: string }
  | { readonly name: 'approvals' }
  | { readonly name: 'deadlines' }
  | { readonly name: 'publication' }
  | { readonly name: 'not-found' };

export const href = {
  myCases: (): string => `${BASE}/`,
  case: (id: string): string => `${BASE}/cases/${encodeURIComponent(id)}`,
  /** 立案: opening a case (point 2). */
  newCase: (): string => `${BASE}/cases/new`,
  /** 审核任务: the reviewer's queue (issue 16, point 3). */
  reviews: (): string => `${BASE}/reviews`,
  review: (id: string): string => `${BASE}/reviews/${encodeURIComponent(id)}`,
  /** 待审批: what waits for the leaders (point 4). */
  approvals: (): string => `${BASE}/approvals`,
  /** 期限看板: the deadline check for the agency (point 4). */
  deadlines: (): string => `${BASE}/deadlines`,
  /** 公示管理: publishing, exempting, correcting and withdrawing decisions (point 5). */
  publication: (): string => `${BASE}/publication`,
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
  if (path === `${BASE}/cases/new`) return { name: 'new-case' };
  if (path === `${BASE}/reviews`) return { name: 'reviews' };
  if (path === `${BASE}/approvals`) return { name: 'approvals' };
  if (path === `${BASE}/deadlines`) return { name: 'deadlines' };
  if (path === `${BASE}/publication`) return { name: 'publication' };
  const withId = /^\/console\/(cases|reviews)\/([^/]+)$/.exec(path);
  if (withId?.[2]) {
    try {
      const id = decodeURIComponent(withId[2]);
      return withId[1] === 'cases' ? { name: 'case', id } : { name: 'review', id };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

/** Pages anyone may open; every other one needs a session. */
export const isPublicRoute = (route: Route): boolean => route.name === 'sign-in' || route.name === 'not-found';
