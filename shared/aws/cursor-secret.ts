/**
 * The secret that signs pagination cursors (shared/domain/cursor.ts), loaded once per process, lazily,
 * the first time a cursor is read or handed out (a function that never pages never fetches it):
 * - in AWS: the Secrets Manager secret named by CURSOR_SECRET_ENV (its ARN; the CDK stack generates the
 *   value and grants `secretsmanager:GetSecretValue` on it only to the functions that serve paged routes);
 * - locally: the file named by LOCAL_CURSOR_SECRET_FILE_ENV, created once in the data directory by
 *   local/services.ts (the integration tests' global setup gets one the same way).
 *
 * GetSecretValue runs once per cold start, through the SDK's Secrets Manager client (the default
 * credential chain: the execution role in Lambda, the operator's profile for command-line tools).
 */
import { readFile } from 'node:fs/promises';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cursorCodec, type CursorCodec } from '../domain/cursor.ts';
import { requireEnv } from './env.ts';
import { traceClient } from './tracing.ts';

/** ARN (or name) of the Secrets Manager secret. Pinned against infra/constructs/cursor-access.ts by test/infra. */
export const CURSOR_SECRET_ENV = 'CURSOR_SECRET_ARN';
export const LOCAL_CURSOR_SECRET_FILE_ENV = 'LOCAL_CURSOR_SECRET_FILE';

let client: SecretsManagerClient | undefined;

async function fetchSecretString(secretId: string): Promise<string> {
  // Loaded here, once: the client is used once per process, so it need not weigh on the cold start.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  client ??= traceClient(new SecretsManagerClient({ maxAttempts: 3 }));
  let secret: string | undefined;
  try {
    secret = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  } catch (e) {
    // The error's name only (e.g. AccessDeniedException): never more of what the service said.
    throw new Error(`Secrets Manager GetSecretValue failed: ${e instanceof Error ? e.name : 'unknown error'}`);
  }
  if (typeof secret !== 'string') throw new Error('Secrets Manager returned no SecretString for the cursor secret');
  return secret;
}

async function loadSecret(): Promise<string> {
  const localFile = process.env[LOCAL_CURSOR_SECRET_FILE_ENV];
  if (localFile) return (await readFile(localFile, 'utf8')).trim();
  return fetchSecretString(requireEnv(CURSOR_SECRET_ENV));
}

let codec: Promise<CursorCodec> | undefined;

/** The process's cursor codec; the secret is fetched on the first call and kept (a failed fetch is retried on the next). */
export function cursors(): Promise<CursorCodec> {
  if (!codec) {
    const loading = loadSecret().then(cursorCodec);
    codec = loading;
    loading.catch(() => {
      if (codec === loading) codec = undefined;
    });
  }
  return codec;
}

/** Forgets the loaded secret (tests). */
export function resetCursorSecret(): void {
  codec = undefined;
}
