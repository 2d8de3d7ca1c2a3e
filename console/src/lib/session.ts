/**
 * The signed-in user, from the ID token the API accepts (Cognito's claims; local mode's issuer makes the
 * same). Kept in sessionStorage: it ends with the tab, and another tab signs in on its own. The token is
 * only decoded here, never trusted: the API verifies it on every request.
 */
import { GROUPS, type Group } from '../../../shared/domain/identity.ts';

export interface Session {
  readonly token: string;
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly Group[];
  readonly agencyId?: string;
  readonly officerId?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** The part of the Web Storage API used here (sessionStorage in the browser, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const SESSION_KEY = 'three-systems.console.session';
/** Where to go back to after signing in again (an expired session). */
export const RETURN_KEY = 'three-systems.console.return-to';
/** A token this close to its expiry is treated as expired: a request sent now could arrive too late. */
const EXPIRY_SKEW_MS = 30_000;

function base64UrlDecode(text: string): string {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

const isGroup = (g: unknown): g is Group => typeof g === 'string' && (GROUPS as readonly string[]).includes(g);

/** The session a token describes, or undefined when it is not a readable ID token. */
export function sessionFromToken(token: string): Session | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(base64UrlDecode(payload));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    claims = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { sub, name, exp } = claims;
  if (typeof sub !== 'string' || typeof exp !== 'number') return undefined;
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].filter(isGroup) : [];
  const agencyId = claims['custom:agencyId'];
  const officerId = claims['custom:officerId'];
  return {
    token,
    sub,
    name: typeof name === 'string' ? name : sub,
    groups,
    ...(typeof agencyId === 'string' ? { agencyId } : {}),
    ...(typeof officerId === 'string' ? { officerId } : {}),
    expiresAt: exp * 1000,
  };
}

export const isExpired = (session: Session, now: number): boolean => session.expiresAt - EXPIRY_SKEW_MS <= now;

/** The stored session if it is still valid; an expired or unreadable one is removed. */
export function loadSession(store: KeyValueStore, now: number): Session | undefined {
  const token = store.getItem(SESSION_KEY);
  if (token === null) return undefined;
  const session = sessionFromToken(token);
  if (!session || isExpired(session, now)) {
    store.removeItem(SESSION_KEY);
    return undefined;
  }
  return session;
}

export function saveSession(store: KeyValueStore, token: string, now: number): Session | undefined {
  const session = sessionFromToken(token);
  if (!session || isExpired(session, now)) return undefined;
  store.setItem(SESSION_KEY, token);
  return session;
}

export const clearSession = (store: KeyValueStore): void => store.removeItem(SESSION_KEY);
