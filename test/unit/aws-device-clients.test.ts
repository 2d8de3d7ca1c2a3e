/**
 * Device credentials in AWS (R4): one Cognito app client per device, client-credentials grant limited to
 * `evidence/upload`; revoking deletes it. The commands Cognito receives and its answers, with the
 * Cognito client mocked (no network).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  LimitExceededException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createDeviceCredentials,
  deleteDeviceCredentials,
  DEVICE_TOKEN_TTL_MINUTES,
  DEVICE_TOKEN_URL_ENV,
  LOCAL_DEVICE_SECRET_KEY_ENV,
  USER_POOL_ID_ENV,
} from '../../shared/aws/device-clients.ts';

const POOL = 'cn-north-1_AbCdEfGhI';
const TOKEN_URL = 'https://three-systems.auth.cn-north-1.amazoncognito.com/oauth2/token';
const meta = { $metadata: { httpStatusCode: 400 } };

const cognito = mockClient(CognitoIdentityProviderClient);
const saved = { ...process.env };

beforeAll(() => {
  delete process.env[LOCAL_DEVICE_SECRET_KEY_ENV];
  Object.assign(process.env, { AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', [USER_POOL_ID_ENV]: POOL, [DEVICE_TOKEN_URL_ENV]: TOKEN_URL });
});
beforeEach(() => {
  cognito.reset();
});
afterAll(() => {
  cognito.restore();
  process.env = saved;
});

describe('registering a device: CreateUserPoolClient', () => {
  it('creates a confidential client allowed only the client-credentials grant and the upload scope', async () => {
    cognito.on(CreateUserPoolClientCommand).resolves({ UserPoolClient: { UserPoolId: POOL, ClientId: '4tq1example', ClientSecret: 's3cr3t', ClientName: 'device-BWC-0001' } });

    const creds = await createDeviceCredentials('d-1', 'BWC-0001');

    expect(cognito).toHaveReceivedCommandExactlyOnceWith(CreateUserPoolClientCommand, {
      UserPoolId: POOL,
      ClientName: 'device-BWC-0001',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['evidence/upload'],
      AccessTokenValidity: DEVICE_TOKEN_TTL_MINUTES,
      TokenValidityUnits: { AccessToken: 'minutes' },
      EnableTokenRevocation: true,
    });
    // No user sign-in flows for a device: nothing but the grant above.
    const input = cognito.commandCalls(CreateUserPoolClientCommand)[0]!.args[0].input;
    expect(input.ExplicitAuthFlows).toBeUndefined();
    expect(input.CallbackURLs).toBeUndefined();
    expect(creds).toEqual({ clientId: '4tq1example', clientSecret: 's3cr3t', tokenUrl: TOKEN_URL, scope: 'evidence/upload' });
  });

  it('keeps the client name within Cognito’s 128 characters', async () => {
    cognito.on(CreateUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: 'c', ClientSecret: 's' } });

    await createDeviceCredentials('d-1', 'S'.repeat(300));

    const name = cognito.commandCalls(CreateUserPoolClientCommand)[0]!.args[0].input.ClientName;
    expect(name).toHaveLength(128);
    expect(name?.startsWith('device-SSS')).toBe(true);
  });

  it('refuses an answer without a secret (the device could not authenticate)', async () => {
    cognito.on(CreateUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: 'c' } });

    await expect(createDeviceCredentials('d-1', 'BWC-0001')).rejects.toThrow('Cognito returned no client credentials');
  });

  it('passes Cognito’s refusals through (the pool’s app-client quota reached)', async () => {
    cognito.on(CreateUserPoolClientCommand).rejects(new LimitExceededException({ message: 'Exceeded limit of UserPoolClients', ...meta }));

    await expect(createDeviceCredentials('d-1', 'BWC-0001')).rejects.toBeInstanceOf(LimitExceededException);
  });
});

describe('revoking a device: DeleteUserPoolClient', () => {
  it('deletes the device’s client from the pool', async () => {
    cognito.on(DeleteUserPoolClientCommand).resolves({});

    await deleteDeviceCredentials('4tq1example');

    expect(cognito).toHaveReceivedCommandExactlyOnceWith(DeleteUserPoolClientCommand, { UserPoolId: POOL, ClientId: '4tq1example' });
  });

  it('a client that is already gone counts as revoked (a retried revocation succeeds)', async () => {
    cognito.on(DeleteUserPoolClientCommand).rejects(new ResourceNotFoundException({ message: 'User pool client 4tq1example does not exist.', ...meta }));

    await expect(deleteDeviceCredentials('4tq1example')).resolves.toBeUndefined();
  });

  it('other errors reach the caller: the device would otherwise keep getting tokens', async () => {
    cognito.on(DeleteUserPoolClientCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', ...meta }));

    await expect(deleteDeviceCredentials('4tq1example')).rejects.toBeInstanceOf(TooManyRequestsException);
  });
});
