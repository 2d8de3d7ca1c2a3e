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
  | { readonly name: 'admin' }
  | { readonly name: 'officers' }
  | { readonly name: 'officer'; readonly id: string }
  | { readonly name: 'powers' }
  | { readonly name: 'inspection-items' }
  | { readonly name: 'review-catalogue' }
  | { readonly name: 'devices' }
  | { readonly name: 'calendar' }
  | { readonly name: 'reports' }
  | { readonly name: 'audit' }
  | { readonly name: 'not-found' };

/** The legal division's pages (issue 16, point 5), under /console/admin/. */
export const ADMIN_PAGES = ['officers', 'powers', 'inspection-items', 'review-catalogue', 'devices', 'calendar', 'reports', 'audit'] as const;
export type AdminPage = (typeof ADMIN_PAGES)[number];
export const ADMIN_PAGE_TITLES: Readonly<Record<AdminPage, { readonly title: string; readonly what: string }>> = {
  officers: { title: '执法人员', what: '执法证件状态变更（须说明原因）、培训记录' },
  powers: { title: '职权清单', what: '按版本修订、废止，电子表格批量导入' },
  'inspection-items': { title: '随机抽查事项', what: '抽查事项清单的维护' },
  'review-catalogue': { title: '重大执法决定目录', what: '须经法制审核的重大执法决定事项' },
  devices: { title: '执法记录设备', what: '登记、更换凭据、停用' },
  calendar: { title: '节假日安排', what: '法定节假日与调休工作日，用于工作日期限' },
  reports: { title: '统计年报', what: '生成草稿、报送、公开' },
  audit: { title: '审计记录', what: '操作记录查询与哈希链校验' },
};

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
  /** 系统管理: the legal division's index of its pages (point 5). */
  admin: (): string => `${BASE}/admin`,
  adminPage: (page: AdminPage): string => `${BASE}/admin/${page}`,
  officer: (id: string): string => `${BASE}/admin/officers/${encodeURIComponent(id)}`,
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
  if (path === `${BASE}/admin`) return { name: 'admin' };
  const admin = /^\/console\/admin\/([a-z-]+)$/.exec(path)?.[1];
  const page = ADMIN_PAGES.find((p) => p === admin);
  if (page) return { name: page };
  const withId = /^\/console\/(cases|reviews|admin\/officers)\/([^/]+)$/.exec(path);
  if (withId?.[2]) {
    try {
      const id = decodeURIComponent(withId[2]);
      return withId[1] === 'cases' ? { name: 'case', id } : withId[1] === 'reviews' ? { name: 'review', id } : { name: 'officer', id };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

/** Pages anyone may open; every other one needs a session. */
export const isPublicRoute = (route: Route): boolean => route.name === 'sign-in' || route.name === 'not-found';

/** The legal division's pages, for the navigation's current mark. */
export const isAdminRoute = (route: Route): boolean => route.name === 'admin' || route.name === 'officer' || (ADMIN_PAGES as readonly string[]).includes(route.name);
