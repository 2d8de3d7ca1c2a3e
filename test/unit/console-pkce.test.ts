/**
 * The console's Cognito hosted sign-in (issue 16, point 1): the PKCE verifier and challenge (RFC 7636,
 * WebCrypto as in the browser), the addresses Cognito is sent to, the check of its answer against the
 * request this tab made, the ID token from the token endpoint, and when signing out ends Cognito's
 * session too. No network: the pure pieces of console/src/lib/pkce.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build.ts';
import { consoleSecurityHeaders } from '../../console/headers.ts';
import {
  PENDING_KEY,
  PENDING_MAX_AGE_MS,
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
  shouldEndHostedSession,
  takePending,
  tokenRequest,
  type PendingSignIn,
} from '../../console/src/lib/pkce.ts';
import type { KeyValueStore } from '../../console/src/lib/session.ts';

const client = { domainUrl: 'https://three-systems-auth.auth.cn-north-1.amazoncognito.com', clientId: '5abc123clientid' };
const portal = 'https://gongshi.example.gov.cn';

const memoryStore = (): KeyValueStore & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
};

describe('PKCE verifier and challenge', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('draws a fresh 43-character URL-safe verifier and state each time', () => {
    const verifiers = new Set(Array.from({ length: 50 }, () => randomVerifier()));
    expect(verifiers.size).toBe(50);
    for (const v of verifiers) expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomState()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomState()).not.toBe(randomState());
  });
});

describe('addresses', () => {
  it('sends the user to the hosted sign-in with the code flow, the console as callback, openid profile and the S256 challenge', () => {
    const url = new URL(authorizeUrl(client, { redirectUri: redirectUriFor(portal), state: 'st-1', challenge: 'ch-1' }));
    expect(url.origin + url.pathname).toBe(`${client.domainUrl}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: 'https://gongshi.example.gov.cn/console/',
      scope: 'openid profile',
      state: 'st-1',
      code_challenge: 'ch-1',
      code_challenge_method: 'S256',
    });
  });

  it('redeems the code with a form POST carrying the verifier and the same redirect URI', () => {
    const { url, init } = tokenRequest(client, { code: 'the-code', redirectUri: redirectUriFor(portal), verifier: 'the-verifier' });
    expect(url).toBe(`${client.domainUrl}/oauth2/token`);
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(init.body as string))).toEqual({
      grant_type: 'authorization_code',
      client_id: client.clientId,
      code: 'the-code',
      redirect_uri: 'https://gongshi.example.gov.cn/console/',
      code_verifier: 'the-verifier',
    });
  });

  it("signs out at Cognito's logout endpoint and comes back to the console", () => {
    const url = new URL(logoutUrl(client, redirectUriFor(portal)));
    expect(url.origin + url.pathname).toBe(`${client.domainUrl}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: client.clientId, logout_uri: 'https://gongshi.example.gov.cn/console/' });
  });
});

describe("Cognito's answer", () => {
  const now = 1_780_000_000_000;
  const pending: PendingSignIn = { state: 'st-1', verifier: 'v-1', next: '/console/cases/c-1', createdAt: now - 60_000 };

  it('keeps the pending request until the answer, and hands it out only once', () => {
    const store = memoryStore();
    savePending(store, pending);
    expect(takePending(store)).toEqual(pending);
    expect(store.map.has(PENDING_KEY)).toBe(false);
    expect(takePending(store)).toBeUndefined();
    store.setItem(PENDING_KEY, '{not json');
    expect(takePending(store)).toBeUndefined();
  });

  it('tells an answer from a plain visit of /console/', () => {
    expect(isCallback('?code=abc&state=st-1')).toBe(true);
    expect(isCallback('?error=access_denied&state=st-1')).toBe(true);
    expect(isCallback('')).toBe(false);
    expect(isCallback('?next=%2Fconsole%2F')).toBe(false);
  });

  it('accepts the code when the state is the one this tab sent, and returns to the page the user was on', () => {
    expect(readCallback('?code=abc&state=st-1', pending, now)).toEqual({ kind: 'code', code: 'abc', verifier: 'v-1', next: '/console/cases/c-1' });
  });

  it('refuses another state, a missing request, an old request and a refusal by Cognito, saying why in Chinese', () => {
    const refused = (search: string, p: PendingSignIn | undefined, at = now) => {
      const r = readCallback(search, p, at);
      expect(r.kind, search).toBe('error');
      return r.kind === 'error' ? r.message : '';
    };
    expect(refused('?code=abc&state=forged', pending)).toContain('校验失败');
    expect(refused('?code=abc', pending)).toContain('校验失败');
    expect(refused('?code=abc&state=st-1', undefined)).toContain('找不到');
    expect(refused('?code=abc&state=st-1', pending, pending.createdAt + PENDING_MAX_AGE_MS + 1)).toContain('已过期');
    expect(refused('?error=access_denied&state=st-1', pending)).toContain('未完成登录');
  });

  it('keeps the ID token (the one the API accepts) from a good token answer', () => {
    const idToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig';
    expect(parseTokenResponse(200, { id_token: idToken, access_token: 'a.b.c', refresh_token: 'r', token_type: 'Bearer', expires_in: 3600 })).toEqual({ ok: true, idToken });
  });

  it('reports a used or expired code, and any other failure, without a token', () => {
    expect(parseTokenResponse(400, { error: 'invalid_grant' })).toEqual({ ok: false, message: expect.stringContaining('授权码已失效') });
    expect(parseTokenResponse(200, { access_token: 'a.b.c' }).ok).toBe(false);
    expect(parseTokenResponse(200, { id_token: 'not-a-jwt' }).ok).toBe(false);
    expect(parseTokenResponse(500, undefined)).toEqual({ ok: false, message: expect.stringContaining('暂时无法') });
  });
});

describe('signing out', () => {
  it("ends Cognito's session after 退出登录 of a hosted session, not when a session expired (the user comes back to a page)", () => {
    expect(shouldEndHostedSession({ hostedActive: true, next: undefined, signedIn: false })).toBe(true);
    expect(shouldEndHostedSession({ hostedActive: true, next: '/console/cases/c-1', signedIn: false })).toBe(false);
    expect(shouldEndHostedSession({ hostedActive: false, next: undefined, signedIn: false })).toBe(false);
    expect(shouldEndHostedSession({ hostedActive: true, next: undefined, signedIn: true })).toBe(false);
  });
});

describe('the shell and the CSP with Cognito sign-in', () => {
  it('names the user pool domain and the app client in meta tags, and refuses cognito without them', async () => {
    const built = await buildConsole();
    const html = built.shell({ apiUrl: '/api', bureauName: '宿迁市市场监督管理局', auth: 'cognito', cognito: { domainUrl: `${client.domainUrl}/`, clientId: client.clientId } });
    expect(html).toContain('<meta name="console:auth" content="cognito">');
    expect(html).toContain(`<meta name="console:cognito-domain" content="${client.domainUrl}">`);
    expect(html).toContain(`<meta name="console:cognito-client-id" content="${client.clientId}">`);
    expect(html).toContain('<meta name="console:api-url" content="/api">');
    expect(() => built.shell({ apiUrl: '/api', bureauName: 'x', auth: 'cognito' })).toThrow(/cognito/);
    expect(built.shell({ apiUrl: 'http://localhost:3000', bureauName: 'x' })).not.toContain('console:cognito');
  });

  it('lets the console call its own origin (the API at /api) and the Cognito domain, and nothing else', () => {
    const csp = consoleSecurityHeaders('/api', client.domainUrl)['content-security-policy'];
    expect(csp).toContain(`connect-src 'self' ${client.domainUrl};`);
    expect(consoleSecurityHeaders('https://api.example.gov.cn/prod', client.domainUrl)['content-security-policy']).toContain(
      `connect-src 'self' https://api.example.gov.cn ${client.domainUrl};`,
    );
    expect(() => consoleSecurityHeaders('javascript:alert(1)')).toThrow();
  });
});
