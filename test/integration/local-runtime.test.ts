/**
 * Local mode as a user meets it: the HTTP server in front of the handlers (health, local tokens, the
 * Cognito-like check on internal routes, routing, limits), and `npm start` itself (URL printed, one
 * instance per data dir, clean Ctrl-C, data kept across restarts).
 *
 * The dispatch tests use a fake handler (fixtures/echo-handler.ts) through the injectable loader, so
 * they check the API Gateway event shape independently of the real handlers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { originOf } from '../../shared/http/cors.ts';
import { localPortalUrl } from '../../local/services.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTokenIssuer } from '../../local/auth.ts';
import { createLocalServer } from '../../local/server.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, freePort, localS3Client } from '../../local/services.ts';
import { calls } from './fixtures/echo-handler.ts';
import { singleHandler, startApi, type TestApi } from './helpers.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MB = 1024 * 1024;
const hasChinese = (text: string): boolean => /[\u4e00-\u9fff]/.test(text);

interface Echo {
  resource: string;
  path: string;
  httpMethod: string;
  pathParameters: Record<string, string> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  body: string | null;
  isBase64Encoded: boolean;
  bodyLength: number;
  claims: Record<string, string> | null;
  stage: string;
  requestId: string;
  sourceIp: string;
  remainingMs: number;
  awsRequestId: string;
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown[] };
}

describe('local HTTP server', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ loadHandler: singleHandler(() => import('./fixtures/echo-handler.ts')) });
  });
  afterAll(async () => {
    await api?.stop();
  });

  test('GET /health answers ok once the services are ready', async () => {
    const res = await api.fetchJson<{ status: string }>('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('/health and every route answer 503 "starting" until the services are ready', async () => {
    const server = createLocalServer({ tokens: await createTokenIssuer(), health: () => 'starting', log: () => undefined });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'starting' });
      // Every other route says so too (before the tables exist it would otherwise fail with a 500).
      const early = await fetch(`http://127.0.0.1:${port}/public/agencies`);
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('2');
      expect(await early.json()).toMatchObject({ error: { code: 'STARTING' } });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('POST /local/token issues a token whose claims reach the handler as Cognito would pass them', async () => {
    const issued = await api.fetchJson<{ token: string; expiresIn: number }>('/local/token', {
      json: { sub: 'u-100', name: '张三', groups: ['officer', 'reviewer'], agencyId: 'AG-1' },
    });
    expect(issued.status).toBe(200);
    expect(issued.body.token.split('.')).toHaveLength(3);
    expect(issued.body.expiresIn).toBe(12 * 60 * 60);

    const res = await api.fetchJson<Echo>('/agencies', { token: issued.body.token });
    expect(res.status).toBe(200);
    expect(res.body.claims).toMatchObject({
      sub: 'u-100',
      name: '张三',
      'cognito:groups': 'officer,reviewer',
      'custom:agencyId': 'AG-1',
      token_use: 'id',
    });
  });

  test.each([
    ['missing name', { sub: 'u-1', groups: ['admin'] }],
    ['unknown group', { sub: 'u-1', name: '李四', groups: ['superuser'] }],
    ['empty sub', { sub: '', name: '李四', groups: [] }],
    ['groups not an array', { sub: 'u-1', name: '李四', groups: 'admin' }],
  ])('POST /local/token refuses a bad body (%s) with 400 VALIDATION_FAILED', async (_case, json) => {
    const res = await api.fetchJson<ErrorBody>('/local/token', { json });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(hasChinese(res.body.error.message)).toBe(true);
    expect(res.body.error.details?.length).toBeGreaterThan(0);
  });

  test('POST /local/token refuses a body that is not JSON', async () => {
    const res = await api.fetchJson<ErrorBody>('/local/token', {
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(hasChinese(res.body.error.message)).toBe(true);
  });

  test('an internal route without a token is 401 and never reaches the handler', async () => {
    const before = calls.length;
    const res = await api.fetchJson<ErrorBody>('/officers');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(hasChinese(res.body.error.message)).toBe(true);
    expect(calls.length).toBe(before);
  });

  test.each([
    ['garbage', async () => 'not-a-jwt'],
    ['signed with another secret', async () => (await createTokenIssuer()).issue({ sub: 'x', name: '王五', groups: ['admin'] })],
    ['expired', async () => api.token(['admin'], { expiresInSeconds: -60 })],
  ])('an internal route with a %s token is 401 UNAUTHORIZED', async (_case, makeToken) => {
    const before = calls.length;
    const res = await api.fetchJson<ErrorBody>('/officers', { token: await makeToken() });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(hasChinese(res.body.error.message)).toBe(true);
    expect(calls.length).toBe(before);
  });

  test('the staff console on the portal origin (or this machine) may call the API (preflight, answers, 401s); another origin may not (issue 16)', async () => {
    const portal = originOf(process.env.PORTAL_URL?.trim() || localPortalUrl());
    const preflight = await fetch(`${api.url}/officers`, { method: 'OPTIONS', headers: { origin: portal, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(portal);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    const refused = await fetch(`${api.url}/officers`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const unauthorised = await fetch(`${api.url}/officers`, { headers: { origin: portal } });
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('access-control-allow-origin')).toBe(portal);
    const answered = await fetch(`${api.url}/public/agencies`, { headers: { origin: portal } });
    expect(answered.headers.get('access-control-allow-origin')).toBe(portal);
    expect((await fetch(`${api.url}/public/agencies`, { headers: { origin: 'https://evil.example' } })).headers.get('access-control-allow-origin')).toBeNull();
    // A console served from this machine on another port or host name (PORTAL_URL set to the real portal
    // for QR codes, 127.0.0.1 instead of localhost) is this machine's; one elsewhere is not.
    for (const local of ['http://127.0.0.1:45678', 'http://localhost:3999']) {
      expect((await fetch(`${api.url}/public/agencies`, { headers: { origin: local } })).headers.get('access-control-allow-origin')).toBe(local);
    }
    expect((await fetch(`${api.url}/public/agencies`, { headers: { origin: 'http://localhost.evil.example' } })).headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a token in a non-Bearer scheme is refused', async () => {
    const token = await api.token(['admin']);
    const res = await api.fetchJson<ErrorBody>('/officers', { headers: { authorization: `Basic ${token}` } });
    expect(res.status).toBe(401);
  });

  test('a public route needs no token and gets no claims', async () => {
    const res = await api.fetchJson<Echo>('/public/agencies');
    expect(res.status).toBe(200);
    expect(res.body.claims).toBeNull();
    expect(res.body.resource).toBe('/public/agencies');
    expect(res.body.stage).toBe('local');
    expect(res.body.sourceIp).toBe('127.0.0.1');
    expect(res.body.remainingMs).toBeGreaterThan(0);
    expect(res.headers.get('x-fn')).toBe('three-systems-local-public');
    expect(res.headers.get('x-multi')).toBe('a, b');
    expect(res.headers.get('x-amzn-requestid')).toBe(res.body.requestId);
  });

  test('unknown paths are 404 NOT_FOUND; a known path with another method is 405', async () => {
    const missing = await api.fetchJson<ErrorBody>('/no/such/thing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect(hasChinese(missing.body.error.message)).toBe(true);

    const wrongMethod = await api.fetchJson<ErrorBody>('/public/agencies', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  test('path parameters are decoded; a literal segment wins over a parameter, as in API Gateway', async () => {
    const verify = await api.fetchJson<Echo>(`/public/officers/verify/${encodeURIComponent('京A/001 号')}`);
    expect(verify.status).toBe(200);
    expect(verify.body.resource).toBe('/public/officers/verify/{certificateNo}');
    expect(verify.body.pathParameters).toEqual({ certificateNo: '京A/001 号' });

    const token = await api.token(['admin']);
    const importRoute = await api.fetchJson<Echo>('/powers/import', { method: 'POST', token, json: {} });
    expect(importRoute.body.resource).toBe('/powers/import');
    expect(importRoute.body.pathParameters).toBeNull();

    const byCode = await api.fetchJson<Echo>('/powers/P-1', { token });
    expect(byCode.body.resource).toBe('/powers/{code}');
    expect(byCode.body.pathParameters).toEqual({ code: 'P-1' });

    // The /powers/import resource has no GET: no fallback to /powers/{code}.
    const noFallback = await api.fetchJson('/powers/import', { token });
    expect(noFallback.status).toBe(405);
  });

  test('query strings arrive single- and multi-valued; no query is null', async () => {
    const res = await api.fetchJson<Echo>('/public/officers?name=%E5%BC%A0&tag=a&tag=b');
    expect(res.body.queryStringParameters).toEqual({ name: '张', tag: 'b' });
    expect(res.body.multiValueQueryStringParameters).toEqual({ name: ['张'], tag: ['a', 'b'] });
    const none = await api.fetchJson<Echo>('/public/officers');
    expect(none.body.queryStringParameters).toBeNull();
    expect(none.body.body).toBeNull();
  });

  test('JSON bodies arrive as utf-8 text, binary media types base64-encoded', async () => {
    const token = await api.token(['admin']);
    const text = await api.fetchJson<Echo>('/agencies', { token, json: { name: '市场监督管理局' } });
    expect(text.body.isBase64Encoded).toBe(false);
    expect(text.body.body).toBe(JSON.stringify({ name: '市场监督管理局' }));

    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);
    const binary = await api.fetchJson<Echo>('/powers/import', {
      method: 'POST',
      token,
      body: bytes,
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(binary.body.isBase64Encoded).toBe(true);
    expect(binary.body.body).toBe(bytes.toString('base64'));
  });

  test('a base64 result from the handler is sent as bytes', async () => {
    const res = await fetch(`${api.url}/public/agencies?binary=1`);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 250, 255]);
  });

  test('a body of exactly 1 MB is accepted; one byte more is 400 PAYLOAD_TOO_LARGE', async () => {
    const token = await api.token(['admin']);
    const ok = await api.fetchJson<Echo>('/powers/import', {
      method: 'POST',
      token,
      body: Buffer.alloc(MB, 0x61),
      headers: { 'content-type': 'text/plain' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.bodyLength).toBe(MB);

    const before = calls.length;
    const tooLarge = await api.fetchJson<ErrorBody>('/powers/import', {
      method: 'POST',
      token,
      body: Buffer.alloc(MB + 1, 0x61),
      headers: { 'content-type': 'text/plain' },
    });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: '请求体超过 1 MB 上限' });
    expect(calls.length).toBe(before);
  });

  test('a large body without Content-Length (chunked) is cut off at the limit too', async () => {
    const token = await api.token(['admin']);
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${api.url}/powers/import`,
        { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      // 8 MB in 64 KB chunks, as a client streaming a large upload would.
      const chunk = Buffer.alloc(64 * 1024, 0x62);
      let sent = 0;
      const pump = (): void => {
        while (sent < 128) {
          sent++;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      req.on('error', () => undefined);
      pump();
    });
    expect(status.status).toBe(400);
    expect(JSON.parse(status.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  test('a handler exception is 500 INTERNAL without details', async () => {
    const res = await api.fetchJson<ErrorBody>('/public/agencies', { headers: { 'x-test-throw': '1' } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: '服务器内部错误' } });
    expect(res.text).not.toContain('secret detail');
  });

  test('logs one line per request without tokens, bodies or query strings', async () => {
    const token = await api.token(['admin'], { name: '赵六' });
    const start = api.logs.length;
    await api.fetchJson('/agencies?name=%E8%B5%B5%E5%85%AD', { token, json: { idNumber: '110101199003071234' } });
    await new Promise((r) => setTimeout(r, 50));
    const lines = api.logs.slice(start);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^POST \/agencies 200 \d+ms$/);
    const all = api.logs.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain('110101199003071234');
    expect(all).not.toContain('%E8%B5%B5');
  });
});

// ---------------------------------------------------------------------------------------------
// npm start

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startLocal(env: Record<string, string>): Started {
  // The portal on any free port unless a test names one (PORT + 1 may be taken on a busy machine).
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORTAL_PORT: '0', ...env };
  delete childEnv.NODE_OPTIONS;
  // Exactly what `npm start` runs (package.json), without npm in between so the test owns the pid.
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', 'local/start.ts'], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Java processes whose command line mentions this data dir (DynamoDB Local's -dbPath). */
function javaFor(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirProc()) {
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('DynamoDBLocal') && cmd.includes(dataDir)) pids.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

function readdirProc(): string[] {
  try {
    return readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'three-systems-start-'));
  const otherDataDir = mkdtempSync(join(tmpdir(), 'three-systems-start-other-'));
  const running: Started[] = [];

  afterAll(async () => {
    for (const s of running) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.child.kill('SIGTERM');
        await s.exited;
      }
    }
    // A failed assertion after the SIGKILL step would leave that start's JVM behind.
    for (const pid of [...javaFor(dataDir), ...javaFor(otherDataDir)]) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(otherDataDir, { recursive: true, force: true });
  });

  test(
    'prints the URL, refuses a second instance, stops cleanly on Ctrl-C and keeps data across restarts',
    async () => {
      const port = await freePort();
      const portalPort = await freePort();
      const t0 = Date.now();
      const first = startLocal({ DATA_DIR: dataDir, PORT: String(port), PORTAL_PORT: String(portalPort) });
      running.push(first);

      // /health answers 503 while DynamoDB Local boots, then 200.
      const seen: number[] = [];
      await waitFor(
        'health ok',
        async () => {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/health`);
            seen.push(res.status);
            return res.status === 200 ? true : undefined;
          } catch {
            if (first.child.exitCode !== null) throw new Error(`npm start exited:\n${first.output()}`);
            return undefined;
          }
        },
        120_000,
      );
      const startupMs = Date.now() - t0;
      expect(seen[0]).toBe(503);
      const url = await waitFor('URL printed', () => /Local API ready at (http:\/\/\S+)/.exec(first.output())?.[1], 10_000);
      expect(url).toBe(`http://localhost:${port}`);
      expect(first.output()).toContain('/local/token');
      console.info(`npm start → health ok in ${startupMs} ms`);
      // The public portal, on its own port, printed and serving pages from the API.
      expect(first.output()).toContain(`public portal:  http://localhost:${portalPort}/`);
      const portalHome = await fetch(`http://127.0.0.1:${portalPort}/`);
      expect(portalHome.status).toBe(200);
      expect(await portalHome.text()).toContain('<html lang="zh-CN">');

      // A second instance on the same data dir refuses at once with a clear message.
      const secondPort = await freePort();
      const t1 = Date.now();
      const second = startLocal({ DATA_DIR: dataDir, PORT: String(secondPort) });
      running.push(second);
      expect(await second.exited).toBe(1);
      expect(Date.now() - t1).toBeLessThan(15_000);
      expect(second.output()).toContain(`Another local instance is already running (pid ${first.child.pid})`);
      expect(second.output()).toContain('另一个本地实例正在运行');
      expect(first.child.exitCode).toBeNull();

      // Another data dir but the same port: refused, and no DynamoDB Local left behind for it.
      const third = startLocal({ DATA_DIR: otherDataDir, PORT: String(port) });
      running.push(third);
      expect(await third.exited).toBe(1);
      expect(third.output()).toContain(`Port ${port} is already in use`);
      expect(javaFor(otherDataDir)).toEqual([]);
      expect(existsSync(join(otherDataDir, 'local.lock'))).toBe(false);

      // Write markers straight into the embedded services.
      const ddbEndpoint = /DynamoDB Local:\s+(http:\/\/\S+)/.exec(first.output())?.[1];
      const s3Endpoint = /S3 \(s3rver\):\s+(http:\/\/\S+)/.exec(first.output())?.[1];
      expect(ddbEndpoint).toBeDefined();
      expect(s3Endpoint).toBeDefined();
      const marker = { pk: { S: 'TEST#restart-marker' }, sk: { S: 'TEST#restart-marker' }, note: { S: '重启后仍在' } };
      const ddb = (endpoint: string): DynamoDBClient =>
        new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      const client1 = ddb(ddbEndpoint ?? '');
      await client1.send(new PutItemCommand({ TableName: 'Officers', Item: marker }));
      client1.destroy();
      const s3a = localS3Client(s3Endpoint ?? '');
      await s3a.send(new PutObjectCommand({ Bucket: 'evidence-local', Key: 'test/marker.txt', Body: '证据' }));
      s3a.destroy();

      // Ctrl-C: exit 0, java and s3rver gone, lock released.
      const lock = JSON.parse(readFileSync(join(dataDir, 'local.lock'), 'utf8')) as { pid: number; children: number[] };
      expect(lock.pid).toBe(first.child.pid);
      expect(lock.children).toHaveLength(2);
      expect(javaFor(dataDir)).toHaveLength(1);
      first.child.kill('SIGINT');
      expect(await first.exited).toBe(0);
      expect(javaFor(dataDir)).toEqual([]);
      for (const pid of lock.children) expect(processAlive(pid)).toBe(false);
      expect(existsSync(join(dataDir, 'local.lock'))).toBe(false);

      // A lock left by a process that died hard is stale: the next start takes it over.
      const dead = spawn(process.execPath, ['-e', '0']);
      await new Promise((r) => dead.once('exit', r));
      writeFileSync(join(dataDir, 'local.lock'), JSON.stringify({ pid: dead.pid, port, children: [] }));

      // Restart: the data is still there.
      const restarted = startLocal({ DATA_DIR: dataDir, PORT: String(port) });
      running.push(restarted);
      await waitFor('restart ready', () => (/Local API ready at/.test(restarted.output()) ? true : undefined), 120_000);
      const ddbEndpoint2 = /DynamoDB Local:\s+(http:\/\/\S+)/.exec(restarted.output())?.[1] ?? '';
      const s3Endpoint2 = /S3 \(s3rver\):\s+(http:\/\/\S+)/.exec(restarted.output())?.[1] ?? '';
      const client2 = ddb(ddbEndpoint2);
      const item = await client2.send(
        new GetItemCommand({ TableName: 'Officers', Key: { pk: marker.pk, sk: marker.sk } }),
      );
      client2.destroy();
      expect(item.Item?.note?.S).toBe('重启后仍在');
      const s3b = localS3Client(s3Endpoint2);
      const object = await s3b.send(new GetObjectCommand({ Bucket: 'evidence-local', Key: 'test/marker.txt' }));
      expect(await object.Body?.transformToString()).toBe('证据');
      s3b.destroy();

      // Killed hard (SIGKILL: no handler runs), s3rver notices and exits, but the JVM cannot: the next
      // start finds it through the stale lock and stops it before starting its own.
      const restartedLock = JSON.parse(readFileSync(join(dataDir, 'local.lock'), 'utf8')) as { children: number[] };
      restarted.child.kill('SIGKILL');
      await restarted.exited;
      const orphans = javaFor(dataDir);
      expect(orphans).toHaveLength(1);
      const s3rverPid = restartedLock.children.find((pid) => !orphans.includes(pid)) ?? -1;
      await waitFor('s3rver to exit with its parent', () => (processAlive(s3rverPid) ? undefined : true), 10_000);

      const recovered = startLocal({ DATA_DIR: dataDir, PORT: String(port) });
      running.push(recovered);
      await waitFor('recovered start ready', () => (/Local API ready at/.test(recovered.output()) ? true : undefined), 120_000);
      const javaNow = javaFor(dataDir);
      expect(javaNow).toHaveLength(1);
      expect(javaNow).not.toContain(orphans[0]);

      recovered.child.kill('SIGTERM');
      expect(await recovered.exited).toBe(0);
      expect(javaFor(dataDir)).toEqual([]);
    },
    300_000,
  );
});
