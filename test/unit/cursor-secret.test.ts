/**
 * The cursor secret's loader (issue 10 point 5): Secrets Manager in AWS, fetched once per process at the
 * first cursor use with GetSecretValue; a file locally. No network: the client's send is stubbed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CURSOR_SECRET_ENV, cursors, LOCAL_CURSOR_SECRET_FILE_ENV, resetCursorSecret } from '../../shared/aws/cursor-secret.ts';
import { cursorCodec } from '../../shared/domain/cursor.ts';

const SECRET_ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:CursorSecret-AbCdEf';
const SECRET = 'Q'.repeat(20) + 'w9ZbX2vKp4LmN7rT1yHc8sDf6gJa3eUq5oIz0xWk';
const key = { pk: 'OFFICER#o-1', sk: 'PROFILE' };

describe('cursors() in AWS: the Secrets Manager secret, fetched once', () => {
  const saved = { ...process.env };
  // No network: the client's send is replaced; the command it receives is what AWS would.
  const send = vi.spyOn(SecretsManagerClient.prototype, 'send');

  beforeAll(() => {
    delete process.env[LOCAL_CURSOR_SECRET_FILE_ENV];
    Object.assign(process.env, { AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' });
  });
  beforeEach(() => {
    resetCursorSecret();
    send.mockReset();
    process.env[CURSOR_SECRET_ENV] = SECRET_ARN;
  });
  afterAll(() => {
    send.mockRestore();
    process.env = saved;
    resetCursorSecret();
  });

  it('sends one GetSecretValue for the named secret, however many cursors follow', async () => {
    send.mockImplementation(async () => ({ ARN: SECRET_ARN, SecretString: SECRET }));

    const [first, second] = await Promise.all([cursors(), cursors()]);
    const third = await cursors();

    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0]?.[0];
    expect(command).toBeInstanceOf(GetSecretValueCommand);
    expect(command?.input).toEqual({ SecretId: SECRET_ARN });
    expect(first).toBe(second);
    expect(third).toBe(first);
    // Signed with the fetched secret: another holder of that secret verifies it.
    expect(cursorCodec(SECRET).decode(first.encode(key, 'fp'), 'fp', ['pk', 'sk'], { pk: key.pk })).toEqual(key);
  });

  it('fails clearly when Secrets Manager refuses, and tries again on the next cursor', async () => {
    const denied = Object.assign(new Error('User is not authorized: arn:aws-cn:iam::123:role/x'), { name: 'AccessDeniedException' });
    send.mockImplementationOnce(async () => Promise.reject(denied));
    send.mockImplementationOnce(async () => ({ SecretString: SECRET }));

    const failed = cursors();
    await expect(failed).rejects.toThrow('Secrets Manager GetSecretValue failed: AccessDeniedException');
    await expect(failed).rejects.not.toThrow(/arn:/);
    const codec = await cursors();

    expect(send).toHaveBeenCalledTimes(2);
    expect(codec.decode(codec.encode(key, 'fp'), 'fp', ['pk', 'sk'], {})).toEqual(key);
  });

  it('refuses a secret too short to sign with, and a binary-only secret', async () => {
    send.mockImplementationOnce(async () => ({ SecretString: 'short' }));
    await expect(cursors()).rejects.toThrow(/at least 32 bytes/);
    send.mockImplementationOnce(async () => ({ SecretBinary: new Uint8Array(64) }));
    await expect(cursors()).rejects.toThrow(/no SecretString/);
  });

  it('names the missing variable when the function was deployed without the secret', async () => {
    delete process.env[CURSOR_SECRET_ENV];

    await expect(cursors()).rejects.toThrow(`Environment variable ${CURSOR_SECRET_ENV} is not set`);
    expect(send).not.toHaveBeenCalled();
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
