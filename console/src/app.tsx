/**
 * The console's frame: the header (who is signed in, their agency and roles, 退出登录), the current
 * section, loaded on first use as its own chunk, and the guard that sends a visitor without a valid
 * session to sign in and back.
 */
import type { FunctionComponent } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { AppContext, useApp, type AppContextValue, type ConsoleConfig } from './app-context.ts';
import { createApi, result } from './api/client.ts';
import type { Agency } from './api/types.ts';
import { Link, Loading } from './components.tsx';
import { rolesText } from './lib/labels.ts';
import { href, isAdminRoute, isPublicRoute, matchRoute, safeNext, type Route } from './lib/routes.ts';
import { RETURN_KEY, clearSession, loadSession, saveSession, type Session } from './lib/session.ts';
import { clearAllDrafts } from './lib/drafts.ts';

type SectionModule = { default: FunctionComponent<{ route: Route }> };

// One chunk per section (issue 16, point 7): a page loads only its own code.
const SECTIONS: Record<Route['name'], () => Promise<SectionModule>> = {
  'sign-in': () => import('./sections/sign-in.tsx'),
  'my-cases': () => import('./sections/my-cases.tsx'),
  case: () => import('./sections/case-page.tsx'),
  'new-case': () => import('./sections/new-case.tsx'),
  reviews: () => import('./sections/review-queue.tsx'),
  review: () => import('./sections/review-page.tsx'),
  approvals: () => import('./sections/approvals.tsx'),
  deadlines: () => import('./sections/deadlines.tsx'),
  publication: () => import('./sections/publication.tsx'),
  admin: () => import('./sections/admin.tsx'),
  officers: () => import('./sections/officers.tsx'),
  officer: () => import('./sections/officers.tsx'),
  powers: () => import('./sections/catalog.tsx'),
  'inspection-items': () => import('./sections/catalog.tsx'),
  'review-catalogue': () => import('./sections/catalog.tsx'),
  devices: () => import('./sections/devices.tsx'),
  calendar: () => import('./sections/calendar.tsx'),
  reports: () => import('./sections/reports.tsx'),
  audit: () => import('./sections/audit.tsx'),
  'not-found': () => import('./sections/not-found.tsx'),
};
const loaded = new Map<Route['name'], SectionModule>();

function Section({ route }: { route: Route }) {
  // The module with the route name it was loaded for: while another section loads, the old one must
  // not render with the new route's parameters.
  const [state, setState] = useState<{ name: Route['name']; module: SectionModule } | undefined>(() => {
    const known = loaded.get(route.name);
    return known ? { name: route.name, module: known } : undefined;
  });
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const known = loaded.get(route.name);
    if (known) return setState({ name: route.name, module: known });
    let live = true;
    setFailed(false);
    SECTIONS[route.name]()
      .then((m) => {
        loaded.set(route.name, m);
        if (live) setState({ name: route.name, module: m });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [route.name]);
  if (failed) return <p role="alert">页面加载失败，请刷新后重试。</p>;
  const module = state?.name === route.name ? state.module : loaded.get(route.name);
  if (!module) return <Loading what="页面" />;
  const Page = module.default;
  return <Page route={route} />;
}

const here = (): string => location.pathname + location.search;

function UserBar({ session }: { session: Session }) {
  const { api, signOut } = useApp();
  const [agencyName, setAgencyName] = useState<string | undefined>();
  useEffect(() => {
    if (!session.agencyId) return;
    void result<Agency>(api.GET('/agencies/{id}', { params: { path: { id: session.agencyId } } })).then((r) => r.ok && setAgencyName(r.data.name));
  }, [api, session.agencyId]);
  return (
    <div class="user-bar">
      <p class="user">
        <span class="user-name">{session.name}</span>
        <span class="user-agency">{agencyName ?? session.agencyId ?? '全部机构'}</span>
        <span class="user-roles">{rolesText(session.groups)}</span>
      </p>
      <button type="button" class="secondary" onClick={signOut}>
        退出登录
      </button>
    </div>
  );
}


export function App({ config }: { config: ConsoleConfig }) {
  const [location_, setLocation] = useState(here());
  const [session, setSession] = useState<Session | undefined>(() => loadSession(sessionStorage, Date.now()));
  const route = useMemo(() => matchRoute(location.pathname, location.search), [location_]);

  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    if (options.replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    setLocation(here());
    window.scrollTo(0, 0);
  }, []);

  useEffect(() => {
    const onPop = () => setLocation(here());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  // An expired session (or an API 401): back to sign-in, remembering where the user was.
  const toSignIn = useCallback(() => {
    clearSession(sessionStorage);
    setSession(undefined);
    const current = here();
    if (matchRoute(location.pathname, location.search).name !== 'sign-in') {
      sessionStorage.setItem(RETURN_KEY, current);
      navigate(href.signIn(current), { replace: true });
    }
  }, [navigate]);

  const api = useMemo(
    () => createApi(config.apiUrl, { token: () => loadSession(sessionStorage, Date.now())?.token, onUnauthorized: toSignIn }),
    [config.apiUrl, toSignIn],
  );

  const value: AppContextValue = useMemo(
    () => ({
      config,
      session,
      api,
      navigate,
      signIn: (token, next) => {
        const s = saveSession(sessionStorage, token, Date.now());
        if (!s) return false;
        setSession(s);
        const back = next ?? safeNext(sessionStorage.getItem(RETURN_KEY)) ?? href.myCases();
        sessionStorage.removeItem(RETURN_KEY);
        navigate(back, { replace: true });
        return true;
      },
      signOut: () => {
        clearSession(sessionStorage);
        clearAllDrafts(sessionStorage);
        sessionStorage.removeItem(RETURN_KEY);
        setSession(undefined);
        navigate(href.signIn(), { replace: true });
      },
    }),
    [config, session, api, navigate],
  );

  // The guard: a page that needs a session, without one (or with an expired one), goes to sign-in.
  const needsSignIn = !isPublicRoute(route) && (!session || !loadSession(sessionStorage, Date.now()));
  useEffect(() => {
    if (needsSignIn) toSignIn();
  }, [needsSignIn, toSignIn]);

  return (
    <AppContext.Provider value={value}>
      <a class="skip-link" href="#main">
        跳到主要内容
      </a>
      <header class="site-header">
        <div class="brand">
          <span class="brand-title">执法工作台</span>
          <span class="brand-bureau">{config.bureauName}</span>
        </div>
        {session ? (
          <nav aria-label="主导航" class="main-nav">
            <Link href={href.myCases()} class={route.name === 'my-cases' ? 'current' : undefined}>
              我的案件
            </Link>
            {session.groups.includes('reviewer') || session.groups.includes('admin') ? (
              <Link href={href.reviews()} class={route.name === 'reviews' || route.name === 'review' ? 'current' : undefined}>
                审核任务
              </Link>
            ) : null}
            {session.groups.includes('leader') || session.groups.includes('admin') ? (
              <>
                <Link href={href.approvals()} class={route.name === 'approvals' ? 'current' : undefined}>
                  待审批
                </Link>
                <Link href={href.deadlines()} class={route.name === 'deadlines' ? 'current' : undefined}>
                  期限看板
                </Link>
                <Link href={href.publication()} class={route.name === 'publication' ? 'current' : undefined}>
                  公示管理
                </Link>
              </>
            ) : null}
            {session.groups.includes('admin') ? (
              <Link href={href.admin()} class={isAdminRoute(route) ? 'current' : undefined}>
                系统管理
              </Link>
            ) : null}
          </nav>
        ) : null}
        {session ? <UserBar session={session} /> : null}
      </header>
      <main id="main">{needsSignIn ? <Loading what="登录页" /> : <Section route={route} />}</main>
    </AppContext.Provider>
  );
}
