/**
 * Credentials of field devices (R4): one OAuth client per device, client-credentials grant, scope
 * `evidence/upload`. In AWS each device gets a Cognito app client of the user pool (its secret is shown
 * once, at registration); revoking the device deletes the client, so it gets no new tokens. Local mode
 * has no Cognito: the client secret is an HMAC of the client id under a key only the local token
 * endpoint (`POST /oauth2/token`) and this module share, so nothing secret is stored.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand, DeleteUserPoolClientCommand, ResourceNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { DEVICE_UPLOAD_SCOPE } from '../manifest.ts';
import { requireEnv } from './env.ts';
import { traceClient } from './tracing.ts';

export const USER_POOL_ID_ENV = 'USER_POOL_ID';
export const DEVICE_TOKEN_URL_ENV = 'DEVICE_TOKEN_URL';
export const LOCAL_DEVICE_SECRET_KEY_ENV = 'LOCAL_DEVICE_SECRET_KEY';
/** Access tokens of devices live this long (Cognito's minimum is 5 minutes, its default 1 hour). */
export const DEVICE_TOKEN_TTL_MINUTES = 60;

export interface DeviceCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the device exchanges them for an access token (OAuth 2.0 client-credentials grant). */
  readonly tokenUrl: string;
  readonly scope: string;
}

/** The local client secret of `clientId` under `key` (base64url). */
export function localClientSecret(key: string, clientId: string): string {
  return createHmac('sha256', Buffer.from(key, 'base64url')).update(`device-client:${clientId}`).digest('base64url');
}

export function localClientSecretMatches(key: string, clientId: string, secret: string): boolean {
  const expected = Buffer.from(localClientSecret(key, clientId));
  const given = Buffer.from(secret);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

let cognito: CognitoIdentityProviderClient | undefined;

export async function createDeviceCredentials(deviceId: string, serial: string): Promise<DeviceCredentials> {
  const tokenUrl = requireEnv(DEVICE_TOKEN_URL_ENV);
  const localKey = process.env[LOCAL_DEVICE_SECRET_KEY_ENV];
  if (localKey) {
    // A new id each time, so a rotation gives a new secret (the secret is derived from the id).
    const clientId = `local-device-${deviceId.slice(0, 8)}-${randomBytes(8).toString('hex')}`;
    return { clientId, clientSecret: localClientSecret(localKey, clientId), tokenUrl, scope: DEVICE_UPLOAD_SCOPE };
  }
  cognito ??= traceClient(new CognitoIdentityProviderClient({ maxAttempts: 3 }));
  const res = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: requireEnv(USER_POOL_ID_ENV),
      ClientName: `device-${serial}`.slice(0, 128),
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [DEVICE_UPLOAD_SCOPE],
      AccessTokenValidity: DEVICE_TOKEN_TTL_MINUTES,
      TokenValidityUnits: { AccessToken: 'minutes' },
      EnableTokenRevocation: true,
    }),
  );
  const client = res.UserPoolClient;
  if (!client?.ClientId || !client.ClientSecret) throw new Error('Cognito returned no client credentials');
  return { clientId: client.ClientId, clientSecret: client.ClientSecret, tokenUrl, scope: DEVICE_UPLOAD_SCOPE };
}

/** No new tokens for a revoked device. Its current token (≤ 1 hour) is refused by the status check. */
export async function deleteDeviceCredentials(clientId: string): Promise<void> {
  if (process.env[LOCAL_DEVICE_SECRET_KEY_ENV]) return;
  cognito ??= traceClient(new CognitoIdentityProviderClient({ maxAttempts: 3 }));
  try {
    await cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: requireEnv(USER_POOL_ID_ENV), ClientId: clientId }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}
