/**
 * One `npm start` per data directory. Two DynamoDB Local processes on the same database file would
 * corrupt each other's view of the data, so a second instance must refuse at once, with a message that
 * says which process holds the directory.
 *
 * The lock is a file holding the owner's pid and its children's pids. A lock whose owner is dead (killed
 * with SIGKILL, machine crash) is stale and taken over; a DynamoDB Local left behind by that owner (the
 * one case where a child can outlive us) is stopped first, recognised by its `-dbPath` in this directory.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { LocalSetupError, type ServiceEndpoints } from './services.ts';

export const LOCK_FILE_NAME = 'local.lock';

export interface LockContent {
  readonly pid: number;
  readonly port: number;
  readonly startedAt: string;
  readonly children: readonly number[];
  /** Where the running instance's services listen, for the command-line tools (local/cli). */
  readonly endpoints?: ServiceEndpoints;
  /** The local API's URL (the port actually bound, also when PORT=0), for the device CLI. */
  readonly apiUrl?: string;
}

export class DataDirLockedError extends LocalSetupError {
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(
      `另一个本地实例正在运行（pid ${pid}），使用同一数据目录 ${dataDir}；请先停止它（kill ${pid} 或在其终端按 Ctrl-C）。\n` +
        `Another local instance is already running (pid ${pid}) with data dir ${dataDir}; stop it first.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  /** Records the child processes, so a successor can clean up after us if we die hard. */
  setChildren(pids: readonly number[]): void;
  /** Records the services' endpoints (and the API's URL) once they run, so command-line tools can share them. */
  setEndpoints(endpoints: ServiceEndpoints, apiUrl?: string): void;
  /** Removes the lock if it is still ours. Synchronous: also called from `exit` handlers. */
  release(): void;
}

/** Whether a process exists (EPERM: it does, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line on Linux; undefined where /proc is not available. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/** Alive and still a Node process: after a crash, the pid may have been reused by something else. */
function ownerIsRunning(pid: number): boolean {
  if (pid === process.pid || !isAlive(pid)) return false;
  const cmd = commandLine(pid);
  return cmd === undefined || /node/i.test(cmd);
}

function readLock(file: string): { text: string; content: LockContent | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number') return { text, content: undefined };
    return {
      text,
      content: {
        pid: parsed.pid,
        port: Number(parsed.port ?? 0),
        startedAt: String(parsed.startedAt ?? ''),
        children: Array.isArray(parsed.children) ? parsed.children.filter((p) => typeof p === 'number') : [],
        ...(parsed.endpoints ? { endpoints: parsed.endpoints } : {}),
        ...(typeof parsed.apiUrl === 'string' ? { apiUrl: parsed.apiUrl } : {}),
      },
    };
  } catch {
    // Half-written by an owner that died while writing: stale.
    return { text, content: undefined };
  }
}

/** The lock of an instance running on `dataDir` (its endpoints and API URL once up), if one runs. */
export function runningInstance(dataDir: string): LockContent | undefined {
  const content = readLock(`${dataDir}/${LOCK_FILE_NAME}`)?.content;
  return content && ownerIsRunning(content.pid) ? content : undefined;
}

async function stopLeftoverDynamoDb(children: readonly number[], dataDir: string): Promise<void> {
  for (const pid of children) {
    const cmd = commandLine(pid);
    if (!isAlive(pid) || cmd === undefined || !cmd.includes('DynamoDBLocal') || !cmd.includes(dataDir)) continue;
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; waited < 5000 && isAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

export async function acquireDataDirLock(dataDir: string, port: number): Promise<DataDirLock> {
  const file = `${dataDir}/${LOCK_FILE_NAME}`;
  const startedAt = new Date().toISOString();
  let endpoints: ServiceEndpoints | undefined;
  let children: readonly number[] = [];
  let apiUrl: string | undefined;
  const write = (update: LockUpdate, flag: 'wx' | 'w'): void => {
    children = update.children ?? children;
    endpoints = update.endpoints ?? endpoints;
    apiUrl = update.apiUrl ?? apiUrl;
    const content: LockContent = { pid: process.pid, port, startedAt, children, ...(endpoints ? { endpoints } : {}), ...(apiUrl ? { apiUrl } : {}) };
    const fd = openSync(file, flag, 0o644);
    try {
      writeFileSync(fd, JSON.stringify(content) + '\n');
    } finally {
      closeSync(fd);
    }
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      write({}, 'wx');
      return lockHandle(file, write);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existing = readLock(file);
    if (!existing) continue; // released in between: try again
    if (existing.content && ownerIsRunning(existing.content.pid)) {
      throw new DataDirLockedError(existing.content.pid, dataDir);
    }
    await stopLeftoverDynamoDb(existing.content?.children ?? [], dataDir);
    // Remove the stale lock only if it is still the one we judged (another starter may have replaced it).
    if (readLock(file)?.text === existing.text) {
      try {
        unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
  throw new LocalSetupError(`无法获取数据目录锁 / could not lock data dir ${dataDir}`);
}

interface LockUpdate {
  readonly children?: readonly number[];
  readonly endpoints?: ServiceEndpoints;
  readonly apiUrl?: string;
}

function lockHandle(file: string, write: (update: LockUpdate, flag: 'wx' | 'w') => void): DataDirLock {
  let released = false;
  const ours = (): boolean => readLock(file)?.content?.pid === process.pid;
  return {
    setChildren(pids) {
      if (!released && ours()) write({ children: pids }, 'w');
    },
    setEndpoints(endpoints, apiUrl) {
      if (!released && ours()) write({ endpoints, ...(apiUrl ? { apiUrl } : {}) }, 'w');
    },
    release() {
      if (released) return;
      released = true;
      try {
        if (ours()) unlinkSync(file);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}
