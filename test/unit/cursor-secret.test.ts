/**
 * The cursor secret's loader (issue 10 point 5): Secrets Manager in AWS, fetched once per process at the
 * first cursor use with GetSecretValue; a file locally. No network: the Secrets Manager client is mocked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CURSOR_SECRET_ENV, cursors, LOCAL_CURSOR_SECRET_FILE_ENV, resetCursorSecret } from '../../shared/aws/cursor-secret.ts';
import { cursorCodec } from '../../shared/domain/cursor.ts';

const SECRET_ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:CursorSecret-AbCdEf';
const SECRET = 'Q'.repeat(20) + 'w9ZbX2vKp4LmN7rT1yHc8sDf6gJa3eUq5oIz0xWk';
const key = { pk: 'OFFICER#o-1', sk: 'PROFILE' };

describe('cursors() in AWS: the Secrets Manager secret, fetched once', () => {
  const saved = { ...process.env };
  // No network: every SecretsManagerClient answers from the mock; the commands it records are what AWS would receive.
  const sm = mockClient(SecretsManagerClient);

  beforeAll(() => {
    delete process.env[LOCAL_CURSOR_SECRET_FILE_ENV];
    Object.assign(process.env, { AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' });
  });
  beforeEach(() => {
    resetCursorSecret();
    sm.reset();
    process.env[CURSOR_SECRET_ENV] = SECRET_ARN;
  });
  afterAll(() => {
    sm.restore();
    process.env = saved;
    resetCursorSecret();
  });

  it('sends one GetSecretValue for the named secret, however many cursors follow', async () => {
    sm.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, Name: 'CursorSecret', VersionStages: ['AWSCURRENT'], SecretString: SECRET });

    const [first, second] = await Promise.all([cursors(), cursors()]);
    const third = await cursors();

    expect(sm).toHaveReceivedCommandExactlyOnceWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: SECRET_ARN });
    expect(first).toBe(second);
    expect(third).toBe(first);
    // Signed with the fetched secret: another holder of that secret verifies it.
    expect(cursorCodec(SECRET).decode(first.encode(key, 'fp'), 'fp', ['pk', 'sk'], { pk: key.pk })).toEqual(key);
  });

  it('fails clearly when Secrets Manager refuses, and tries again on the next cursor', async () => {
    // Secrets Manager's refusal as the SDK throws it: a service exception whose message names the caller.
    const denied = Object.assign(new Error('User: arn:aws-cn:sts::123456789012:assumed-role/x is not authorized to perform: secretsmanager:GetSecretValue'), {
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    sm.on(GetSecretValueCommand).rejectsOnce(denied).resolves({ SecretString: SECRET });

    const failed = cursors();
    await expect(failed).rejects.toThrow('Secrets Manager GetSecretValue failed: AccessDeniedException');
    await expect(failed).rejects.not.toThrow(/arn:/);
    const codec = await cursors();

    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(codec.decode(codec.encode(key, 'fp'), 'fp', ['pk', 'sk'], {})).toEqual(key);
  });

  it('refuses a secret too short to sign with, and a binary-only secret', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'short' }).resolvesOnce({ ARN: SECRET_ARN, SecretBinary: new Uint8Array(64) });
    await expect(cursors()).rejects.toThrow(/at least 32 bytes/);
    await expect(cursors()).rejects.toThrow(/no SecretString/);
  });

  it('names only the exception when the secret does not exist (deleted, or a wrong ARN)', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: { httpStatusCode: 400 } }));

    await expect(cursors()).rejects.toThrow(/^Secrets Manager GetSecretValue failed: ResourceNotFoundException$/);
  });

  it('names the missing variable when the function was deployed without the secret', async () => {
    delete process.env[CURSOR_SECRET_ENV];

    await expect(cursors()).rejects.toThrow(`Environment variable ${CURSOR_SECRET_ENV} is not set`);
    expect(sm).not.toHaveReceivedAnyCommand();
  });
});

describe('cursors() locally: the data directory file', () => {
  let dir: string;
  const saved = process.env[LOCAL_CURSOR_SECRET_FILE_ENV];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cursor-secret-test-'));
  });
  afterEach(() => {
    resetCursorSecret();
    if (saved === undefined) delete process.env[LOCAL_CURSOR_SECRET_FILE_ENV];
    else process.env[LOCAL_CURSOR_SECRET_FILE_ENV] = saved;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the file once and keeps the secret for the life of the process', async () => {
    const file = join(dir, 'cursor-secret');
    await writeFile(file, `${SECRET}\n`);
    process.env[LOCAL_CURSOR_SECRET_FILE_ENV] = file;

    const codec = await cursors();
    await writeFile(file, 'R'.repeat(64));
    const again = await cursors();

    expect(again).toBe(codec);
    expect(cursorCodec(SECRET).decode(codec.encode(key, 'fp'), 'fp', ['pk', 'sk'], {})).toEqual(key);
  });
});
