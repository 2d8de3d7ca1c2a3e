/**
 * The cursor secret's loader (issue 10 point 5): Secrets Manager in AWS, fetched once per process at the
 * first cursor use with a SigV4-signed GetSecretValue; a file locally. No network: fetch is stubbed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CURSOR_SECRET_ENV,
  cursors,
  LOCAL_CURSOR_SECRET_FILE_ENV,
  resetCursorSecret,
  SECRETS_MANAGER_ENDPOINT_ENV,
  secretsManagerEndpoint,
  signJsonPost,
} from '../../shared/aws/cursor-secret.ts';
import { cursorCodec } from '../../shared/domain/cursor.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN' };
const SECRET_ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:CursorSecret-AbCdEf';
const SECRET = 'Q'.repeat(20) + 'w9ZbX2vKp4LmN7rT1yHc8sDf6gJa3eUq5oIz0xWk';
const key = { pk: 'OFFICER#o-1', sk: 'PROFILE' };

describe('signJsonPost (Signature Version 4)', () => {
  const request = () =>
    signJsonPost({
      endpoint: 'https://secretsmanager.cn-north-1.amazonaws.com.cn',
      region: 'cn-north-1',
      service: 'secretsmanager',
      target: 'secretsmanager.GetSecretValue',
      body: JSON.stringify({ SecretId: SECRET_ARN }),
      credentials,
      now: new Date('2026-03-01T08:09:10Z'),
    });

  it('signs exactly as the AWS SDK signer does', () => {
    // Reference: @smithy/signature-v4 5.7.5 (the SDK's signer, applyChecksum off) on the same request.
    expect(request().headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/cn-north-1/secretsmanager/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=686aa2b539abb0906ae5ce6851b0fc7042febd699cd2d85fa19c08f70875fdaa',
    );
    expect(request().headers).toMatchObject({ 'x-amz-date': '20260301T080910Z', 'x-amz-security-token': credentials.sessionToken, host: 'secretsmanager.cn-north-1.amazonaws.com.cn' });
  });

  it('signs no session token when the credentials have none', () => {
    const signed = signJsonPost({ endpoint: 'https://secretsmanager.cn-north-1.amazonaws.com.cn', region: 'cn-north-1', service: 'secretsmanager', target: 'x', body: '{}', credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, now: new Date() });

    expect(signed.headers).not.toHaveProperty('x-amz-security-token');
    expect(signed.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-target,');
  });

  it('uses the amazonaws.com.cn domain in China regions', () => {
    expect(secretsManagerEndpoint('cn-northwest-1')).toBe('https://secretsmanager.cn-northwest-1.amazonaws.com.cn');
    expect(secretsManagerEndpoint('eu-west-1')).toBe('https://secretsmanager.eu-west-1.amazonaws.com');
  });
});

describe('cursors() in AWS: the Secrets Manager secret, fetched once', () => {
  const saved = { ...process.env };
  const fetchMock = vi.fn<typeof fetch>();

  beforeAll(() => {
    delete process.env[LOCAL_CURSOR_SECRET_FILE_ENV];
    delete process.env[SECRETS_MANAGER_ENDPOINT_ENV];
    Object.assign(process.env, {
      AWS_REGION: 'cn-north-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
    });
    vi.stubGlobal('fetch', fetchMock);
  });
  beforeEach(() => {
    resetCursorSecret();
    fetchMock.mockReset();
    process.env[CURSOR_SECRET_ENV] = SECRET_ARN;
  });
  afterAll(() => {
    vi.unstubAllGlobals();
    process.env = saved;
    resetCursorSecret();
  });

  it('sends one signed GetSecretValue for the named secret, however many cursors follow', async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ ARN: SECRET_ARN, SecretString: SECRET }), { status: 200 }));

    const [first, second] = await Promise.all([cursors(), cursors()]);
    const third = await cursors();

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('https://secretsmanager.cn-north-1.amazonaws.com.cn/');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ SecretId: SECRET_ARN });
    const headers = init?.headers as Record<string, string>;
    expect(headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/cn-north-1\/secretsmanager\/aws4_request, /);
    expect(first).toBe(second);
    expect(third).toBe(first);
    // Signed with the fetched secret: another holder of that secret verifies it.
    expect(cursorCodec(SECRET).decode(first.encode(key, 'fp'), 'fp', ['pk', 'sk'], { pk: key.pk })).toEqual(key);
  });

  it('fails clearly when Secrets Manager refuses, and tries again on the next cursor', async () => {
    fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ __type: 'AccessDeniedException', Message: 'not allowed' }), { status: 400 }));
    fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ SecretString: SECRET }), { status: 200 }));

    await expect(cursors()).rejects.toThrow('Secrets Manager GetSecretValue failed: HTTP 400 AccessDeniedException');
    const codec = await cursors();

    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(codec.decode(codec.encode(key, 'fp'), 'fp', ['pk', 'sk'], {})).toEqual(key);
  });

  it('refuses a secret too short to sign with', async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ SecretString: 'short' }), { status: 200 }));

    await expect(cursors()).rejects.toThrow(/at least 32 bytes/);
  });

  it('names the missing variable when the function was deployed without the secret', async () => {
    delete process.env[CURSOR_SECRET_ENV];

    await expect(cursors()).rejects.toThrow(`Environment variable ${CURSOR_SECRET_ENV} is not set`);
    expect(fetchMock).not.toHaveBeenCalled();
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
