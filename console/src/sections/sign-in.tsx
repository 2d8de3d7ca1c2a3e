/**
 * Sign-in (issue 16, point 1). Local mode: the demo bureau's people by role, from `GET /local/people`;
 * choosing one gets an ID token from `POST /local/token`, as Cognito would issue after its hosted
 * sign-in. In AWS (`cognito`): a button to the user pool's hosted sign-in (authorization code with PKCE,
 * MFA as the pool requires; lib/hosted-sign-in.ts), the reason when the last attempt failed, and, after
 * 退出登录 of a hosted session, the end of Cognito's session too.
 */
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { localPeople, localToken } from '../api/client.ts';
import type { DemoPerson } from '../api/types.ts';
import { ErrorNote, Loading, PageHeading } from '../components.tsx';
import { endHostedSession, startHostedSignIn } from '../lib/hosted-sign-in.ts';
import { HOSTED_KEY, SIGN_IN_ERROR_KEY, shouldEndHostedSession, type HostedSignIn } from '../lib/pkce.ts';
import type { ApiError } from '../lib/errors.ts';
import { ROLE_LABELS, ROLE_ORDER } from '../lib/labels.ts';
import { href, type Route } from '../lib/routes.ts';

export default function SignIn({ route }: { route: Route }) {
  const { config, signIn } = useApp();
  const next = route.name === 'sign-in' ? route.next : undefined;
  const [people, setPeople] = useState<DemoPerson[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState<string | undefined>();

  useEffect(() => {
    if (config.auth !== 'local') return;
    void localPeople(config.apiUrl).then((r) => (r.ok ? setPeople(r.data.items) : setError(r.error)));
  }, [config]);

  const choose = async (person: DemoPerson) => {
    setBusy(person.sub);
    setError(undefined);
    const r = await localToken(config.apiUrl, person);
    setBusy(undefined);
    if (!r.ok) return setError(r.error);
    if (!signIn(r.data.token, next)) setError({ status: 0, code: 'BAD_TOKEN', message: '令牌无效，请重试', details: [] });
  };

  if (config.auth === 'cognito') return <HostedSignInPage client={config.cognito} next={next} />;

  return (
    <section class="sign-in">
      <PageHeading title="登录执法工作台">
        <p class="lead">本地演示模式：选择一位演示机构的人员登录（仅本机可用，部署后由统一身份认证登录）。</p>
      </PageHeading>
      {next && next !== href.myCases() ? <p class="notice">登录已过期或尚未登录。登录后将回到原来的页面，已填写的内容不会丢失。</p> : null}
      {error ? <ErrorNote error={error} title="无法登录" /> : null}
      {!people && !error ? <Loading what="人员名单" /> : null}
      {people
        ? ROLE_ORDER.map((role) => {
            const group = people.filter((p) => p.role === role);
            if (group.length === 0) return null;
            return (
              <section key={role} class="people" aria-labelledby={`role-${role}`}>
                <h2 id={`role-${role}`}>{ROLE_LABELS[role]}</h2>
                <ul>
                  {group.map((p) => (
                    <li key={p.sub}>
                      <button type="button" class="person" disabled={busy !== undefined} onClick={() => void choose(p)}>
                        <span class="person-name">{p.name}</span>
                        <span class="person-agency">
                          {p.agencyName}
                          {p.certificateNo ? <span class="nowrap"> · 证号 {p.certificateNo}</span> : null}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })
        : null}
    </section>
  );
}

function HostedSignInPage({ client, next }: { client: HostedSignIn | undefined; next: string | undefined }) {
  const { session } = useApp();
  // Read once: the message of the attempt that brought the user back here.
  const [failure] = useState(() => sessionStorage.getItem(SIGN_IN_ERROR_KEY) ?? undefined);
  const [leaving, setLeaving] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    sessionStorage.removeItem(SIGN_IN_ERROR_KEY);
    if (client && shouldEndHostedSession({ hostedActive: sessionStorage.getItem(HOSTED_KEY) !== null, next, signedIn: session !== undefined })) {
      setLeaving(true);
      endHostedSession(client);
    }
  }, []); // once, on arrival

  if (!client) {
    return (
      <section class="sign-in">
        <PageHeading title="登录执法工作台" />
        <ErrorNote error={{ status: 0, code: 'CONFIG', message: '本站未配置统一身份认证（Cognito 域名与应用客户端），请联系系统管理员。', details: [] }} title="无法登录" />
      </section>
    );
  }
  if (leaving) {
    return (
      <p class="loading" role="status">
        正在退出统一身份认证…
      </p>
    );
  }

  const go = () => {
    setBusy(true);
    void startHostedSignIn(client, next).catch(() => setBusy(false));
  };
  return (
    <section class="sign-in">
      <PageHeading title="登录执法工作台">
        <p class="lead">使用本局统一身份认证账号登录（按账号要求进行多因素认证）。</p>
      </PageHeading>
      {next && next !== href.myCases() ? <p class="notice">登录已过期或尚未登录。登录后将回到原来的页面，已填写的内容不会丢失。</p> : null}
      {failure ? <ErrorNote error={{ status: 0, code: 'SIGN_IN_FAILED', message: failure, details: [] }} title="登录未完成" /> : null}
      <p>
        <button type="button" disabled={busy} onClick={go}>
          {busy ? '正在前往统一身份认证…' : '通过统一身份认证登录'}
        </button>
      </p>
    </section>
  );
}
