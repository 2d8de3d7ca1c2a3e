/**
 * Where a command-line tool (import, audit verification) reads and writes:
 * - in AWS, when the table variables are set and LOCAL_MODE is not: the deployed tables, with the
 *   operator's credentials;
 * - next to a running `npm start`: the same DynamoDB Local, whose endpoint the lock file records;
 * - otherwise: the embedded services started on the data directory for the time of the command
 *   (holding the data directory's lock, so `npm start` cannot start on it meanwhile).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useCredentialProvider } from '../../shared/aws/dynamodb.ts';
import { tables } from '../../shared/store/tables.ts';
import { acquireDataDirLock, runningInstance } from '../lock.ts';
import { applyLocalEnvironment, localEnvironment, startEmbeddedServices } from '../services.ts';
import { ensureSigningKey } from '../evidence-wiring.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Connection {
  readonly description: string;
  close(): Promise<void>;
}

/**
 * The project's DynamoDB client reads Lambda's environment credentials only; an operator's tool gets the
 * SDK's full chain (profile, SSO, …) and the profile's region when AWS_REGION is not set.
 */
async function useOperatorCredentials(): Promise<string> {
  const [{ defaultProvider }, { DynamoDBClient }] = await Promise.all([import('@aws-sdk/credential-provider-node'), import('@aws-sdk/client-dynamodb')]);
  useCredentialProvider(defaultProvider());
  if (!process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION) {
    const client = new DynamoDBClient({});
    process.env.AWS_REGION = await client.config.region();
    client.destroy();
  }
  return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? '';
}

export async function connect(): Promise<Connection> {
  const awsTables = tables.every((t) => process.env[t.envVar]);
  if (awsTables && process.env.LOCAL_MODE !== 'true') {
    const region = await useOperatorCredentials();
    return { description: `AWS (${region})`, close: async () => undefined };
  }
  const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : join(REPO_ROOT, '.local-data');
  // Locally, alerts a tool sends land in the inbox the running instance shows (GET /local/inbox).
  process.env.LOCAL_INBOX_FILE = join(dataDir, 'inbox.jsonl');
  // The data dir's signing key, the one `npm start` signs with (audit checkpoints: job and verification).
  process.env.LOCAL_SIGNING_KEY_FILE = await ensureSigningKey(dataDir);
  const running = runningInstance(dataDir)?.endpoints;
  if (running) {
    applyLocalEnvironment(localEnvironment(running));
    return { description: `本地运行中的实例 / running local instance (${dataDir})`, close: async () => undefined };
  }
  mkdirSync(dataDir, { recursive: true });
  const lock = await acquireDataDirLock(dataDir, 0);
  process.on('exit', () => lock.release());
  const services = await startEmbeddedServices({ dataDir, onChildren: (pids) => lock.setChildren(pids) });
  applyLocalEnvironment(localEnvironment(services));
  return {
    description: `本地数据目录 / local data dir (${dataDir})`,
    close: async () => {
      await services.stop();
      lock.release();
    },
  };
}

/** Runs a command-line tool's main and exits with its code; an unexpected error exits 1 with its message. */
export function runTool(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
