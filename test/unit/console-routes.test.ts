/**
 * The console's addresses (console/src/lib/routes.ts): every page a link builds opens that page, and
 * 立案's address is not read as a case called "new"; signing out leaves no form draft behind.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_PAGES, href, isAdminRoute, isPublicRoute, matchRoute, type Route } from '../../console/src/lib/routes.ts';

describe('console routes', () => {
  it.each<[string, Route]>([
    [href.myCases(), { name: 'my-cases' }],
    [href.newCase(), { name: 'new-case' }],
    [href.case('c-1'), { name: 'case', id: 'c-1' }],
    [href.reviews(), { name: 'reviews' }],
    [href.review('r 1/2'), { name: 'review', id: 'r 1/2' }],
    [href.approvals(), { name: 'approvals' }],
    [href.deadlines(), { name: 'deadlines' }],
    [href.publication(), { name: 'publication' }],
    [href.admin(), { name: 'admin' }],
    ...ADMIN_PAGES.map((page): [string, Route] => [href.adminPage(page), { name: page }]),
    [href.officer('o 1/2'), { name: 'officer', id: 'o 1/2' }],
  ])('%s opens the page that built it', (path, route) => {
    const url = new URL(path, 'http://localhost');
    expect(matchRoute(url.pathname, url.search)).toEqual(route);
  });

  it('a trailing slash opens the same page; anything else under /console/ is not found and needs no session', () => {
    expect(matchRoute('/console/reviews/', '')).toEqual({ name: 'reviews' });
    expect(matchRoute('/console/cases/a/b', '')).toEqual({ name: 'not-found' });
    expect(matchRoute('/console/cases/%E0%A4%A', '')).toEqual({ name: 'not-found' });
    expect(isPublicRoute(matchRoute('/console/nothing', ''))).toBe(true);
    expect(isPublicRoute(matchRoute(href.approvals(), ''))).toBe(false);
    expect(matchRoute('/console/admin/nothing', '')).toEqual({ name: 'not-found' });
    expect(isPublicRoute(matchRoute(href.adminPage('audit'), ''))).toBe(false);
    expect(isAdminRoute(matchRoute(href.officer('o-1'), ''))).toBe(true);
    expect(isAdminRoute(matchRoute(href.myCases(), ''))).toBe(false);
  });
});

describe('signing out', () => {
  it('removes every form draft (personal data typed into a form) and nothing else', async () => {
    const { clearAllDrafts, draftKey, saveDraft } = await import('../../console/src/lib/drafts.ts');
    const data = new Map<string, string>();
    const store = {
      get length() {
        return data.size;
      },
      key: (i: number) => [...data.keys()][i] ?? null,
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
    saveDraft(store, draftKey('new-case', 'x'), { idNumber: '32130219800101123X' });
    saveDraft(store, draftKey('act', 'c-1'), { notes: '现场检查' });
    store.setItem('three-systems.console.return-to', '/console/');
    clearAllDrafts(store);
    expect([...data.keys()]).toEqual(['three-systems.console.return-to']);
  });
});
