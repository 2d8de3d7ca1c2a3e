/**
 * `npm start`: the whole system on this machine.
 *
 * Environment:
 * - DATA_DIR (default `<repo>/.local-data`): DynamoDB file, s3rver objects, token secret, lock file.
 *   A restart with the same directory keeps everything.
 * - PORT (default 3000): the HTTP port of the local API.
 * - PORTAL_PORT (default PORT + 1, or any free port when PORT is 0): the public portal, its own origin
   as behind CloudFront (local/portal-server.ts).
 * - SEED (default on): `SEED=false` skips the demo bureau.
 * - HOST (default 127.0.0.1): the local token issuer mints any identity, so listen on loopback unless
 *   told otherwise.
 *
 * Exit codes: 0 after Ctrl-C / SIGTERM (every child stopped), 1 when the system cannot start (data dir
 * in use, port taken, Java missing, ...), with the reason printed and no child left running.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';
import { listen, startLocalSystem, type LocalSystem } from './runtime.ts';
import { LocalSetupError, killAllChildren, stopAllChildren } from './services.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

function parsePort(text: string, name = 'PORT'): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 0 || port > 65535) {
    throw new LocalSetupError(`${name} 无效：${text}（应为 0–65535 的整数）/ invalid ${name} ${text}`);
  }
  return port;
}

function portalPortOf(apiPort: number): number {
  const raw = process.env.PORTAL_PORT?.trim();
  if (raw) return parsePort(raw, 'PORTAL_PORT');
  return apiPort === 0 ? 0 : apiPort + 1;
}

function timestamp(): string {
  return new Date().toISOString().slice(11, 23);
}

const log = (line: string): void => {
  const stream = line.startsWith('ERROR') ? process.stderr : process.stdout;
  stream.write(`${timestamp()} ${line}\n`);
};

let stopping = false;
let firstSignalAt = 0;

async function main(): Promise<number> {
  const started = performance.now();
  const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : join(REPO_ROOT, '.local-data');
  const port = parsePort(process.env.PORT?.trim() || '3000');
  const wantedPortalPort = portalPortOf(port);
  const seed = !['0', 'false', 'no', 'off'].includes((process.env.SEED ?? '').trim().toLowerCase());
  const host = process.env.HOST?.trim() || '127.0.0.1';
  mkdirSync(dataDir, { recursive: true });

  const lock: DataDirLock = await acquireDataDirLock(dataDir, port);
  process.on('exit', () => lock.release());

  // Filled once started; the signal handler must exist before, to stop a start in progress.
  const running: { system?: LocalSystem } = {};
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // Under `npm start`, one Ctrl-C arrives twice: from the terminal (to the whole process group) and
      // forwarded by npm. Only a signal well after the first means "stop waiting for the JVM".
      if (performance.now() - firstSignalAt < 2000) return;
      process.stderr.write('再次收到中断信号，强制停止 / forced stop\n');
      killAllChildren('SIGKILL');
      lock.release();
      process.exit(1);
    }
    stopping = true;
    firstSignalAt = performance.now();
    process.stdout.write(`\n正在停止（${signal}）… / stopping…\n`);
    // Mid-start there is no system object yet: stop the children that exist, whatever stage we are in.
    const stopped = running.system ? running.system.stop() : stopAllChildren();
    stopped
      .catch((error: unknown) => process.stderr.write(`停止时出错 / error while stopping: ${String(error)}\n`))
      .finally(() => {
        lock.release();
        process.stdout.write('已停止 / stopped\n');
        process.exit(0);
      });
  };
  // Installed before any child exists, so services.ts leaves the signals to us (graceful stop).
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);

  log(`正在启动 DynamoDB Local 与 s3rver… / starting DynamoDB Local and s3rver (data dir ${dataDir})`);
  const system = await startLocalSystem({
    dataDir,
    port,
    host,
    seed,
    log,
    onChildren: (pids) => lock.setChildren(pids),
  });
  running.system = system;
  const { dynamodbEndpoint, s3Endpoint, evidenceBucket } = system.endpoints;
  lock.setEndpoints({ dynamodbEndpoint, s3Endpoint, evidenceBucket }, system.url);
  if (stopping) {
    // A signal came during start: shutdown() stopped the children; stop the rest, and it exits.
    void system.stop();
    return new Promise(() => undefined);
  }

  const shown = host === '127.0.0.1' || host === 'localhost' ? 'localhost' : host;
  const url = `http://${shown}:${system.port}`;
  const { createPortalServer } = await import('./portal-server.ts');
  const portal = createPortalServer({ apiUrl: system.url, bureauName: process.env.BUREAU_NAME ?? '宿迁市市场监督管理局', log });
  let portalPort: number;
  try {
    portalPort = await listen(portal, wantedPortalPort, host);
  } catch (error) {
    await system.stop();
    throw error;
  }
  const portalUrl = `http://${shown}:${portalPort}`;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const demoDevice = await demoDeviceCredentials(system.tokens.deviceSecretKey);
  process.stdout.write(
    [
      '',
      `本地 API 已就绪 / Local API ready at ${url}  (${seconds} s)`,
      `公示网站 / public portal:  ${portalUrl}/`,
      `执法工作台 / staff console: ${portalUrl}/console/  (演示人员登录 / sign in as a demo person)`,
      `  数据目录 / data dir:   ${dataDir}`,
      `  DynamoDB Local:        ${system.endpoints.dynamodbEndpoint}`,
      `  S3 (s3rver):           ${system.endpoints.s3Endpoint}  bucket ${system.endpoints.evidenceBucket}`,
      '  获取令牌 / get a token (local mode only):',
      `    curl -s -X POST ${url}/local/token -H 'content-type: application/json' \\`,
      `      -d '{"sub":"admin-1","name":"管理员","groups":["admin"]}'`,
      `  然后 / then:  curl -H "Authorization: Bearer <token>" ${url}/agencies`,
      ...(demoDevice
        ? [
            `  演示执法记录仪 / demo body camera ${demoDevice.serial}（设备凭证 / device credentials）:`,
            `    DEVICE_CLIENT_ID=${demoDevice.clientId}`,
            `    DEVICE_CLIENT_SECRET=${demoDevice.clientSecret}`,
          ]
        : []),
      '  按 Ctrl-C 停止 / press Ctrl-C to stop',
      '',
    ].join('\n'),
  );
  return new Promise(() => undefined); // run until a signal
}

/** The demo camera's credentials, when the demo data is there (local secrets are derived, not stored). */
async function demoDeviceCredentials(key: string): Promise<{ serial: string; clientId: string; clientSecret: string } | undefined> {
  const { getDeviceBySerial } = await import('#store/registry.ts');
  const { DEMO_DEVICE_SERIAL } = await import('./seed-evidence.ts');
  const { localClientSecret } = await import('../shared/aws/device-clients.ts');
  const device = await getDeviceBySerial(DEMO_DEVICE_SERIAL);
  if (device?.clientId === undefined || device.status !== 'ACTIVE') return undefined;
  return { serial: device.serial, clientId: device.clientId, clientSecret: localClientSecret(key, device.clientId) };
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    // Ctrl-C during start makes the start fail (its children are gone): shutdown() reports and exits.
    if (stopping) return;
    if (error instanceof LocalSetupError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`本地模式启动失败 / local mode failed to start:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    // startLocalSystem stops what it started on failure; this also covers a failure outside it.
    await stopAllChildren().catch(() => undefined);
    process.exit(1);
  },
);
