/**
 * The deployed bundles resolve `@aws-sdk/credential-provider-node` to shared/aws/lambda-credentials.ts
 * (infra/bundling.ts): the credentials Lambda puts in the environment, and nothing else.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialsTreatedAsExpired, credentialsWillNeedRefresh, defaultProvider } from '../../shared/aws/lambda-credentials.ts';

const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_PROFILE'] as const;
let saved: Partial<Record<(typeof KEYS)[number], string>>;

beforeEach(() => {
  saved = {};
  for (const k of KEYS) {
    if (process.env[k] !== undefined) saved[k] = process.env[k];
    delete process.env[k];
  }
});

afterEach(() => {
  for (const k of KEYS) {
    delete process.env[k];
    if (saved[k] !== undefined) process.env[k] = saved[k];
  }
});

describe('Lambda credentials', () => {
  it("returns the execution role's session credentials from the environment, as Lambda sets them", async () => {
    process.env.AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'token';
    const credentials = await defaultProvider()();
    expect(credentials).toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('fails with the SDK’s credentials error when the environment has none (no other source is tried)', async () => {
    // A profile would send the default chain to ~/.aws; here it changes nothing.
    process.env.AWS_PROFILE = 'operator';
    await expect(defaultProvider()()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });

  it('keeps the refresh rules of the module it replaces', () => {
    expect(credentialsWillNeedRefresh({ accessKeyId: 'a', secretAccessKey: 'b' })).toBe(false);
    expect(credentialsTreatedAsExpired({ accessKeyId: 'a', secretAccessKey: 'b', expiration: new Date(Date.now() + 60_000) })).toBe(true);
    expect(credentialsTreatedAsExpired({ accessKeyId: 'a', secretAccessKey: 'b', expiration: new Date(Date.now() + 3_600_000) })).toBe(false);
  });
});
