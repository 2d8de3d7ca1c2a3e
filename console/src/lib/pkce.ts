/**
 * Cognito's hosted sign-in with the authorization-code flow and PKCE (issue 16, point 1; RFC 7636): the
 * pure pieces, unit-tested without a browser (test/unit/console-pkce.test.ts). The console is a public
 * client (no secret to keep), so a random verifier kept in sessionStorage proves that the tab which asked
 * for the code is the one redeeming it, and a random `state` ties the answer to the request.
 * The browser side (redirects, the token request) is lib/hosted-sign-in.ts.
 */
import type { KeyValueStore } from './session.ts';

/** The user pool domain (`https://<prefix>.auth.<region>.amazoncognito.com`, no trailing slash) and the console's app client. */
export interface HostedSignIn {
  readonly domainUrl: string;
  readonly clientId: string;
}

/** The console's app client allows exactly these scopes (infra/stacks/api-stack.ts, ConsoleClient). */
export const SCOPES = 'openid profile';
/** The request in flight: state, verifier and where to go afterwards. */
export const PENDING_KEY = 'three-systems.console.hosted-sign-in.pending';
/** Set once a hosted sign-in succeeded in this tab: signing out must then end Cognito's session too. */
export const HOSTED_KEY = 'three-systems.console.hosted-sign-in.active';
/** A failed sign-in's message, for the sign-in page to show after the redirect. */
export const SIGN_IN_ERROR_KEY = 'three-systems.console.hosted-sign-in.error';
/** A request older than this is refused (the hosted page was left open, or the answer replayed). */
export const PENDING_MAX_AGE_MS = 10 * 60_000;

/** The callback and sign-out address registered on the app client: the console's root on this origin. */
export const redirectUriFor = (origin: string): string => `${origin}/console/`;

const base64Url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** The parts of WebCrypto used here (the browser's and Node's `globalThis.crypto`). */
interface RandomSource {
  getRandomValues(array: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>;
}
interface Digest {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

const randomText = (bytes: number, random: RandomSource): string => base64Url(random.getRandomValues(new Uint8Array(bytes)));

/** 32 random bytes: 43 characters of [A-Za-z0-9-_] (RFC 7636 asks for 43–128 unreserved characters). */
export const randomVerifier = (random: RandomSource = globalThis.crypto): string => randomText(32, random);

/** 16 random bytes for `state`. */
export const randomState = (random: RandomSource = globalThis.crypto): string => randomText(16, random);

/** The S256 challenge: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier: string, subtle: Digest = globalThis.crypto.subtle): Promise<string> {
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function authorizeUrl(client: HostedSignIn, request: { redirectUri: string; state: string; challenge: string }): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: request.redirectUri,
    scope: SCOPES,
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
  });
  return `${client.domainUrl}/oauth2/authorize?${query.toString()}`;
}

/** The token request: a form POST (a "simple" cross-origin request, so the browser sends no preflight). */
export function tokenRequest(client: HostedSignIn, grant: { code: string; redirectUri: string; verifier: string }): { url: string; init: RequestInit } {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: client.clientId,
    code: grant.code,
    redirect_uri: grant.redirectUri,
    code_verifier: grant.verifier,
  });
  return {
    url: `${client.domainUrl}/oauth2/token`,
    init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() },
  };
}

/** Cognito's sign-out: ends the hosted pages' session, then back to `logoutUri` (registered on the client). */
export function logoutUrl(client: HostedSignIn, logoutUri: string): string {
  return `${client.domainUrl}/logout?${new URLSearchParams({ client_id: client.clientId, logout_uri: logoutUri }).toString()}`;
}

export interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  /** A console address to open afterwards (already checked by routes.ts's safeNext). */
  readonly next?: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

export const savePending = (store: KeyValueStore, pending: PendingSignIn): void => store.setItem(PENDING_KEY, JSON.stringify(pending));

/** The pending request, removed from the store whatever it holds: a code is redeemed once. */
export function takePending(store: KeyValueStore): PendingSignIn | undefined {
  const raw = store.getItem(PENDING_KEY);
  store.removeItem(PENDING_KEY);
  if (raw === null) return undefined;
  try {
    const p = JSON.parse(raw) as Partial<Record<keyof PendingSignIn, unknown>> | null;
    if (!p || typeof p.state !== 'string' || typeof p.verifier !== 'string' || typeof p.createdAt !== 'number') return undefined;
    return { state: p.state, verifier: p.verifier, createdAt: p.createdAt, ...(typeof p.next === 'string' ? { next: p.next } : {}) };
  } catch {
    return undefined;
  }
}

/** Whether the address is Cognito's answer (`?code=…&state=…` or `?error=…`) rather than a plain visit. */
export function isCallback(search: string): boolean {
  const q = new URLSearchParams(search);
  return q.has('code') || q.has('error');
}

export type Callback =
  | { readonly kind: 'code'; readonly code: string; readonly verifier: string; readonly next: string | undefined }
  | { readonly kind: 'error'; readonly message: string; readonly next: string | undefined };

/** Checks Cognito's answer against the pending request: same state, not too old, a code present. */
export function readCallback(search: string, pending: PendingSignIn | undefined, now: number): Callback {
  const q = new URLSearchParams(search);
  const next = pending?.next;
  const error = q.get('error');
  if (error !== null) {
    return { kind: 'error', message: error === 'access_denied' ? '统一身份认证未完成登录，请重新登录。' : `统一身份认证拒绝了登录请求（${error}），请重新登录。`, next };
  }
  const code = q.get('code');
  const state = q.get('state');
  if (!pending) return { kind: 'error', message: '找不到本页发起的登录请求（可能在其他标签页登录），请重新登录。', next };
  if (!code || state === null || state !== pending.state) return { kind: 'error', message: '登录请求校验失败，请重新登录。', next };
  if (now - pending.createdAt > PENDING_MAX_AGE_MS || now < pending.createdAt) return { kind: 'error', message: '登录请求已过期，请重新登录。', next };
  return { kind: 'code', code, verifier: pending.verifier, next };
}

export type TokenOutcome = { readonly ok: true; readonly idToken: string } | { readonly ok: false; readonly message: string };

/** The ID token from the token endpoint's answer (the API's Cognito authorizer takes ID tokens). */
export function parseTokenResponse(status: number, body: unknown): TokenOutcome {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (status === 200 && typeof fields.id_token === 'string' && fields.id_token.split('.').length === 3) return { ok: true, idToken: fields.id_token };
  if (fields.error === 'invalid_grant') return { ok: false, message: '登录授权码已失效或已使用，请重新登录。' };
  return { ok: false, message: '统一身份认证暂时无法完成登录，请稍后重试。' };
}

/**
 * Whether the sign-in page should end Cognito's session: after 退出登录 of a hosted session. The app
 * signs out to the sign-in page without `next`; an expired session or a 401 arrives with `next` (the
 * page to return to), and then Cognito's session may stay, to sign in again without a password.
 */
export const shouldEndHostedSession = (state: { hostedActive: boolean; next: string | undefined; signedIn: boolean }): boolean =>
  state.hostedActive && state.next === undefined && !state.signedIn;
