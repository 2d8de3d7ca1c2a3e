/**
 * The browser side of Cognito's hosted sign-in (issue 16, point 1): the redirect there, the return to
 * `/console/?code=…&state=…` (handled before the app renders, main.tsx) and the sign-out there. The
 * checks and the addresses are the pure functions of pkce.ts.
 */
import { href, safeNext } from './routes.ts';
import { RETURN_KEY, saveSession } from './session.ts';
import {
  HOSTED_KEY,
  SIGN_IN_ERROR_KEY,
  authorizeUrl,
  challengeOf,
  isCallback,
  logoutUrl,
  parseTokenResponse,
  randomState,
  randomVerifier,
  readCallback,
  redirectUriFor,
  savePending,
  takePending,
  tokenRequest,
  type HostedSignIn,
} from './pkce.ts';

/** To the hosted sign-in page; `next` is where to return to afterwards. */
export async function startHostedSignIn(client: HostedSignIn, next: string | undefined): Promise<void> {
  const verifier = randomVerifier();
  const state = randomState();
  const back = safeNext(next);
  savePending(sessionStorage, { state, verifier, createdAt: Date.now(), ...(back ? { next: back } : {}) });
  location.assign(authorizeUrl(client, { redirectUri: redirectUriFor(location.origin), state, challenge: await challengeOf(verifier) }));
}

/**
 * On Cognito's answer: redeems the code for tokens, keeps the ID token as the session and replaces the
 * address (the code leaves the history) with the page to open; on failure, the sign-in page with the
 * reason. Any other address: nothing to do.
 */
export async function completeHostedSignIn(client: HostedSignIn): Promise<void> {
  // Only the registered redirect address carries an answer; elsewhere `?code=` is no business of ours.
  if (location.origin + location.pathname !== redirectUriFor(location.origin) || !isCallback(location.search)) return;
  const callback = readCallback(location.search, takePending(sessionStorage), Date.now());
  const fail = (message: string) => {
    sessionStorage.setItem(SIGN_IN_ERROR_KEY, message);
    history.replaceState(null, '', href.signIn(callback.next));
  };
  if (callback.kind === 'error') return fail(callback.message);

  const request = tokenRequest(client, { code: callback.code, redirectUri: redirectUriFor(location.origin), verifier: callback.verifier });
  let outcome: ReturnType<typeof parseTokenResponse>;
  try {
    const response = await fetch(request.url, request.init);
    outcome = parseTokenResponse(response.status, await response.json().catch(() => undefined));
  } catch {
    outcome = { ok: false, message: '无法连接统一身份认证，请检查网络后重试。' };
  }
  if (!outcome.ok) return fail(outcome.message);
  if (!saveSession(sessionStorage, outcome.idToken, Date.now())) return fail('统一身份认证返回的令牌无效，请重试。');

  sessionStorage.setItem(HOSTED_KEY, '1');
  const back = callback.next ?? safeNext(sessionStorage.getItem(RETURN_KEY)) ?? href.myCases();
  sessionStorage.removeItem(RETURN_KEY);
  history.replaceState(null, '', back);
}

/** Ends Cognito's session after the console's own (退出登录): Cognito then returns to `/console/`. */
export function endHostedSession(client: HostedSignIn): void {
  sessionStorage.removeItem(HOSTED_KEY);
  location.assign(logoutUrl(client, redirectUriFor(location.origin)));
}
