/**
 * Local mode's stand-in for the Cognito user pool: issues ID tokens with the claims Cognito would put
 * in them, and verifies them the way API Gateway's Cognito authorizer does before a handler runs.
 *
 * HS256 with a random secret kept in the data dir (created on first start, mode 0600): tokens survive a
 * restart of `npm start`, and a token from another data dir or machine is refused. Without a data dir
 * (tests) the secret lives in memory only. Local mode only: nothing here is deployed.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readOrCreate } from './files.ts';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { Group } from '../shared/domain/identity.ts';

export const LOCAL_TOKEN_ISSUER = 'urn:three-systems:local-token-issuer';
/** Plays the role of the Cognito app client id (the `aud` of a Cognito ID token). */
export const LOCAL_TOKEN_AUDIENCE = 'three-systems-local';
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;

export interface TokenRequest {
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly Group[];
  readonly agencyId?: string;
  /** The officer record this user is (reviewers act as themselves on reviews assigned to them). */
  readonly officerId?: string;
}

/** Claims as API Gateway's REST Cognito authorizer hands them to Lambda: every value a string. */
export type AuthorizerClaims = Record<string, string>;

export type VerifyResult =
  | { readonly ok: true; readonly claims: AuthorizerClaims }
  | { readonly ok: false; readonly reason: 'expired' | 'invalid' };

export interface TokenIssuer {
  /** `expiresInSeconds` may be negative (tests of expired tokens); the HTTP route bounds it. */
  issue(request: TokenRequest, options?: { expiresInSeconds?: number }): Promise<string>;
  /** A client-credentials access token, as Cognito's `/oauth2/token` issues to a device's app client. */
  issueAccess(clientId: string, scopes: readonly string[], options?: { expiresInSeconds?: number }): Promise<string>;
  /** Verifies an ID token (users) or, with `kind: 'access'`, a client-credentials access token (devices). */
  verify(token: string, kind?: 'id' | 'access'): Promise<VerifyResult>;
  /** Key of the local device client secrets (see shared/aws/device-clients.ts), derived from the secret. */
  readonly deviceSecretKey: string;
}

async function loadOrCreateSecret(secretFile: string): Promise<Uint8Array> {
  const text = (await readOrCreate(secretFile, () => randomBytes(32).toString('base64url') + '\n')).trim();
  const secret = Buffer.from(text, 'base64url');
  if (secret.length >= 32) return secret;
  throw new Error(`本地令牌密钥文件无效，请删除后重启 / Invalid local token secret in ${secretFile}: delete it and restart`);
}

export async function createTokenIssuer(options: { secretFile?: string } = {}): Promise<TokenIssuer> {
  const secret = options.secretFile !== undefined ? await loadOrCreateSecret(options.secretFile) : randomBytes(32);

  return {
    async issue(request, issueOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const ttl = issueOptions.expiresInSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
      const groups = [...new Set(request.groups)];
      // The claims of a Cognito ID token: groups as an array (Cognito omits the claim for a user in
      // no group), custom attributes prefixed `custom:`, `token_use: id`.
      return new SignJWT({
        name: request.name,
        'cognito:username': request.sub,
        ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
        ...(request.agencyId !== undefined ? { 'custom:agencyId': request.agencyId } : {}),
        ...(request.officerId !== undefined ? { 'custom:officerId': request.officerId } : {}),
        token_use: 'id',
        auth_time: now,
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(request.sub)
        .setIssuer(LOCAL_TOKEN_ISSUER)
        .setAudience(LOCAL_TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + ttl)
        .sign(secret);
    },

    async issueAccess(clientId, scopes, issueOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const ttl = issueOptions.expiresInSeconds ?? 60 * 60;
      // The claims of a Cognito access token from the client-credentials grant.
      return new SignJWT({ client_id: clientId, scope: scopes.join(' '), token_use: 'access', auth_time: now })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(clientId)
        .setIssuer(LOCAL_TOKEN_ISSUER)
        .setIssuedAt(now)
        .setJti(randomBytes(16).toString('hex'))
        .setExpirationTime(now + ttl)
        .sign(secret);
    },

    deviceSecretKey: createHmac('sha256', secret).update('device-client-secrets').digest('base64url'),

    async verify(token, kind = 'id') {
      try {
        const { payload } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          issuer: LOCAL_TOKEN_ISSUER,
          // Cognito access tokens carry no `aud`, only `client_id`.
          ...(kind === 'id' ? { audience: LOCAL_TOKEN_AUDIENCE } : {}),
          requiredClaims: ['sub', 'exp', 'iat'],
          clockTolerance: 5,
        });
        // The REST API Cognito authorizer accepts ID tokens on methods without OAuth scopes, and
        // access tokens carrying one of the scopes on methods with them.
        if (payload.token_use !== kind || typeof payload.sub !== 'string' || payload.sub === '') {
          return { ok: false, reason: 'invalid' };
        }
        return { ok: true, claims: flattenClaims(payload) };
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
        return { ok: false, reason: 'invalid' };
      }
    },
  };
}

/**
 * API Gateway (REST) gives Lambda the verified claims as strings; arrays such as `cognito:groups`
 * are joined with commas, numbers become decimal strings.
 */
function flattenClaims(payload: Record<string, unknown>): AuthorizerClaims {
  const claims: AuthorizerClaims = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) claims[key] = value.map(String).join(',');
    else if (typeof value === 'object') claims[key] = JSON.stringify(value);
    else claims[key] = String(value);
  }
  return claims;
}
