/**
 * The whole local system in one call, used by `npm start` (local/start.ts) and the integration tests
 * (test/integration/helpers.ts): HTTP server, embedded services, environment for the handlers, tables,
 * bucket, demo data.
 *
 * The HTTP server listens first, so that `/health` answers 503 "starting" while DynamoDB Local's JVM
 * boots, and a taken port fails at once, before any child process exists.
 */
import { isAbsolute, join } from 'node:path';
import type { Server } from 'node:http';
import { createTokenIssuer, type TokenIssuer } from './auth.ts';
import { createLocalServer, manifestHandlerLoader, type HandlerLoader } from './server.ts';
import { startLocalScheduler, type LocalScheduler } from './scheduler.ts';
import { ensureSigningKey, evidenceEnvironment, inboxFile, newEventToken, subscribeToS3Events } from './evidence-wiring.ts';
import {
  LocalSetupError,
  applyLocalEnvironment,
  localEnvironment,
  startEmbeddedServices,
  type EmbeddedServices,
  type Log,
  type ServiceEndpoints,
} from './services.ts';

export interface LocalSystemOptions {
  /** Absolute data directory; undefined runs DynamoDB in memory and s3rver in a temporary directory. */
  readonly dataDir?: string;
  /** 0 (default) picks any free port. */
  readonly port?: number;
  /** Loopback by default: `/local/token` mints any identity, so it must not be reachable from the network. */
  readonly host?: string;
  /** Seed the demo bureau (idempotent). */
  readonly seed?: boolean;
  readonly log?: Log;
  /** Tests inject fake handlers; default: the manifest's entry files. */
  readonly loadHandler?: HandlerLoader;
  /** Services already running (the integration tests' global setup): start none of our own. */
  readonly services?: ServiceEndpoints;
  /** Called as soon as the child processes exist (for the lock file), before tables and seeding. */
  readonly onChildren?: (pids: readonly number[]) => void;
}

export interface LocalSystem {
  readonly url: string;
  readonly port: number;
  readonly endpoints: ServiceEndpoints;
  /** Pids of java and s3rver when this system started them; empty with `services` given. */
  readonly childPids: readonly number[];
  readonly tokens: TokenIssuer;
  stop(): Promise<void>;
}

export class PortInUseError extends LocalSetupError {
  constructor(readonly port: number) {
    super(
      `端口 ${port} 已被占用：请先停止占用该端口的程序，或换一个端口（PORT=3001 npm start）。\n` +
        `Port ${port} is already in use: stop the program using it, or choose another port (PORT=3001 npm start).`,
    );
    this.name = 'PortInUseError';
  }
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const log = options.log ?? ((line: string) => console.log(line));
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir !== undefined && !isAbsolute(options.dataDir)) {
    throw new Error(`dataDir must be absolute: ${options.dataDir}`);
  }

  const tokens = await createTokenIssuer(
    options.dataDir !== undefined ? { secretFile: join(options.dataDir, 'local-token-secret') } : {},
  );
  let ready = false;
  let services: EmbeddedServices | undefined;
  const s3EventToken = newEventToken();
  const server = createLocalServer({
    tokens,
    s3EventToken,
    log,
    ...(options.loadHandler ? { loadHandler: options.loadHandler } : {}),
    health: () => (!ready ? 'starting' : services && !services.alive() ? 'unhealthy' : 'ready'),
  });
  const port = await listen(server, options.port ?? 0, host);
  const closeServer = (): Promise<void> =>
    new Promise((resolveClose) => {
      server.close(() => resolveClose());
      server.closeAllConnections();
    });

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let endpoints: ServiceEndpoints;
  let stopWorkflows: (() => Promise<void>) | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let scheduler: LocalScheduler | undefined;
  try {
    if (options.services) {
      endpoints = options.services;
    } else {
      const began = performance.now();
      services = await startEmbeddedServices({
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
        log,
        onChildren: (pids) => options.onChildren?.(pids),
      });
      endpoints = services;
      log(`DynamoDB Local、s3rver、表与存储桶已就绪 / services, tables and bucket ready (${seconds(began)} s)`);
    }
    // Before any handler or seeding code runs: the shared AWS clients read the environment once.
    applyLocalEnvironment({
      ...localEnvironment(endpoints),
      ...evidenceEnvironment({ signingKeyFile: await ensureSigningKey(options.dataDir), deviceSecretKey: tokens.deviceSecretKey, serverUrl: url, inboxFile: inboxFile(options.dataDir) }),
    });
    unsubscribe = await subscribeToS3Events(endpoints.s3Endpoint, `${url}/local/s3-events`, s3EventToken);
    // Executions waiting for people are kept in the data dir and resumed here (their steps get fresh tokens).
    stopWorkflows = await (await import('./workflow-client.ts')).installLocalWorkflows({
      ...(options.dataDir !== undefined ? { stateDir: join(options.dataDir, 'workflows') } : {}),
      log,
    });
    if (options.seed) {
      const began = performance.now();
      const { seedDemo } = await import('#local/seed.ts');
      const { seeded } = await seedDemo();
      log(
        seeded
          ? `已写入演示数据 / demo bureau seeded (${seconds(began)} s)`
          : `演示数据已存在，未重复写入 / demo data already present (${seconds(began)} s)`,
      );
    }
    scheduler = startLocalScheduler({ loadHandler: options.loadHandler ?? manifestHandlerLoader(), log });
    ready = true;
  } catch (error) {
    await closeServer();
    await unsubscribe?.();
    await services?.stop();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    endpoints,
    childPids: services?.childPids ?? [],
    tokens,
    stop: () =>
      (stopping ??= (async () => {
        ready = false;
        scheduler?.stop();
        await unsubscribe?.();
        await closeServer();
        await stopWorkflows?.();
        await services?.stop();
      })()),
  };
}

const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(1);

/** Listens on `port` (0: any free one) and resolves the port; a taken or forbidden port is a clear error. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(port));
      else if (error.code === 'EACCES') {
        reject(new LocalSetupError(`无权监听端口 ${port}，请使用 1024 以上的端口 / No permission to listen on port ${port}; use a port above 1024`));
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolveListen(typeof address === 'object' && address ? address.port : port);
    });
  });
}
