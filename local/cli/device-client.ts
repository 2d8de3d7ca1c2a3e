/**
 * What a field device does to hand in evidence, as a library: get an access token with its client
 * credentials (OAuth 2.0 client-credentials grant, Cognito's or local mode's `/oauth2/token`), start the
 * upload, PUT each part straight to S3 with its presigned URL (streamed from the source, a few parts at
 * a time, retried, refreshed when a URL expires), complete it and wait for the seal. It resumes an
 * interrupted upload from a small state file. Used by `npm run device` and the benchmark.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';

export interface DeviceCredentials {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Bytes to upload: its size and a way to read any range of it as a stream. */
export interface UploadSource {
  readonly size: number;
  /** Bytes [start, end). */
  read(start: number, end: number): Readable;
}

export const fileSource = async (path: string): Promise<UploadSource> => {
  const { size } = await stat(path);
  return { size, read: (start, end) => createReadStream(path, { start, end: end - 1, highWaterMark: 1024 * 1024 }) };
};

export interface EvidenceFields {
  readonly caseId: string;
  readonly actId?: string;
  readonly mediaType: 'VIDEO' | 'AUDIO' | 'PHOTO' | 'DOCUMENT';
  readonly fileName: string;
  readonly contentType?: string;
  readonly capturedAt: string;
  readonly capturePlace: { text: string; gps?: { lat: number; lon: number } };
  readonly collectorOfficerId: string;
  readonly proves: string;
}

export type Progress =
  | { kind: 'hashing'; done: number; total: number }
  | { kind: 'started'; uploadId: string; partCount: number; resumed: boolean; alreadyUploaded: number }
  | { kind: 'part'; partNumber: number; bytes: number; uploadedBytes: number; total: number }
  | { kind: 'completing' }
  | { kind: 'verifying' };

export interface UploadOptions {
  /** Parts in flight at once (default 4). */
  readonly concurrency?: number;
  /** Directory for resume state (default: none, no resume). */
  readonly stateDir?: string;
  readonly onProgress?: (p: Progress) => void;
  /** How long to wait for the seal after completing (default 10 minutes). */
  readonly sealTimeoutMs?: number;
  /** The SHA-256 when the caller already knows it (skips the hashing pass). */
  readonly sha256?: string;
}

export interface UploadResult {
  readonly evidenceId: string;
  readonly status: string;
  readonly rejectReason?: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

interface Ticket {
  uploadId: string;
  evidenceId: string;
  single: boolean;
  partSize: number;
  partCount: number;
  parts: { partNumber: number; url: string; start: number; end: number }[];
  headers?: Record<string, string>;
  uploaded?: { partNumber: number; etag: string; size: number }[];
  remainingParts: number;
}

export class DeviceApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function sha256Of(source: UploadSource, onProgress?: (p: Progress) => void): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  await pipeline(
    source.read(0, source.size),
    new Writable({
      write(chunk: Buffer, _enc, next) {
        hash.update(chunk);
        done += chunk.length;
        onProgress?.({ kind: 'hashing', done, total: source.size });
        next();
      },
    }),
  );
  return hash.digest('hex');
}

/** A device session: one token, renewed a minute before it expires. */
export class DeviceSession {
  private token: { value: string; until: number } | undefined;
  constructor(readonly credentials: DeviceCredentials) {}

  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.until) return this.token.value;
    const basic = Buffer.from(`${encodeURIComponent(this.credentials.clientId)}:${encodeURIComponent(this.credentials.clientSecret)}`).toString('base64');
    const res = await fetch(this.credentials.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'evidence/upload' }).toString(),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) throw new DeviceApiError(res.status, body.error ?? 'TOKEN_FAILED', `获取设备令牌失败：${body.error_description ?? body.error ?? res.status}`);
    this.token = { value: body.access_token, until: Date.now() + Math.max(60, (body.expires_in ?? 3600) - 60) * 1000 };
    return body.access_token;
  }

  async call<T>(method: string, path: string, json?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.credentials.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.accessToken()}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const text = await res.text();
    const body = (text ? JSON.parse(text) : undefined) as T & { error?: { code: string; message: string } };
    if (res.status >= 400) throw new DeviceApiError(res.status, body?.error?.code ?? String(res.status), body?.error?.message ?? text);
    return { status: res.status, body };
  }
}

/** PUT a stream with a Content-Length (S3 refuses chunked uploads to presigned URLs). Returns the ETag. */
function putStream(url: string, headers: Record<string, string>, body: Readable, length: number): Promise<{ status: number; etag?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'PUT', headers: { ...headers, 'content-length': String(length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const etag = res.headers.etag;
        resolve({ status: res.statusCode ?? 0, ...(etag ? { etag } : {}), text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    body.on('error', (e) => req.destroy(e));
    body.pipe(req);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ResumeState {
  readonly apiUrl: string;
  readonly uploadId: string;
  readonly sha256: string;
  readonly size: number;
  readonly caseId: string;
}

/** Uploads `source` as evidence and waits until it is sealed (or rejected). */
export async function uploadEvidence(session: DeviceSession, source: UploadSource, fields: EvidenceFields, options: UploadOptions = {}): Promise<UploadResult> {
  const progress = options.onProgress ?? (() => undefined);
  const sha256 = options.sha256 ?? (await sha256Of(source, progress));
  const stateFile = options.stateDir ? join(options.stateDir, `${sha256}-${source.size}.json`) : undefined;

  // Resume when this same file (by hash and size) was being uploaded to the same API for the same case.
  let ticket: Ticket | undefined;
  let resumed = false;
  if (stateFile) {
    const state = await readFile(stateFile, 'utf8').then((t) => JSON.parse(t) as ResumeState, () => undefined);
    if (state && state.apiUrl === session.credentials.apiUrl && state.caseId === fields.caseId) {
      const current = await session.call<{ status: string }>('GET', `/evidence/uploads/${state.uploadId}`).then(
        (r) => r.body.status,
        (error: unknown) => {
          if (error instanceof DeviceApiError && error.status < 500) return undefined;
          throw error;
        },
      );
      if (current === 'UPLOADING') {
        ticket = (await session.call<Ticket>('POST', `/evidence/uploads/${state.uploadId}/parts`, {})).body;
        resumed = true;
      } else if (current !== undefined && current !== 'ABORTED') {
        // Completed before the interruption: only the seal is left to wait for, never a second copy.
        progress({ kind: 'verifying' });
        return waitForSeal(session, state.uploadId, sha256, source.size, stateFile, options.sealTimeoutMs);
      }
    }
  }
  if (!ticket) {
    ticket = (await session.call<Ticket>('POST', '/evidence/uploads', { ...fields, sizeBytes: source.size, sha256 })).body;
    if (stateFile) {
      await mkdir(options.stateDir!, { recursive: true });
      const state: ResumeState = { apiUrl: session.credentials.apiUrl, uploadId: ticket.uploadId, sha256, size: source.size, caseId: fields.caseId };
      await writeFile(stateFile, JSON.stringify(state));
    }
  }
  const uploadId = ticket.uploadId;
  const etags = new Map<number, string>((ticket.uploaded ?? []).map((p) => [p.partNumber, p.etag]));
  progress({ kind: 'started', uploadId, partCount: ticket.partCount, resumed, alreadyUploaded: etags.size });
  let uploadedBytes = (ticket.uploaded ?? []).reduce((n, p) => n + p.size, 0);

  // Work through the parts, asking for the next batch of URLs (or fresh ones) as needed.
  let batch = ticket;
  while (batch.parts.length > 0) {
    const queue = [...batch.parts];
    const expired: number[] = [];
    const worker = async () => {
      for (let part = queue.shift(); part; part = queue.shift()) {
        for (let attempt = 1; ; attempt++) {
          const res = await putStream(part.url, ticket.single ? (ticket.headers ?? {}) : {}, source.read(part.start, part.end), part.end - part.start).catch((e: unknown) => ({ status: 0, text: String(e) }) as { status: number; etag?: string; text: string });
          if (res.status >= 200 && res.status < 300) {
            etags.set(part.partNumber, res.etag ?? '');
            uploadedBytes += part.end - part.start;
            progress({ kind: 'part', partNumber: part.partNumber, bytes: part.end - part.start, uploadedBytes, total: source.size });
            break;
          }
          // An expired URL (403) is renewed by the next batch; a network error or 5xx is retried.
          if (res.status === 403) {
            expired.push(part.partNumber);
            break;
          }
          if (attempt >= 5) throw new DeviceApiError(res.status, 'PART_UPLOAD_FAILED', `分片 ${part.partNumber} 上传失败（HTTP ${res.status}）：${res.text.slice(0, 200)}`);
          await sleep(200 * 2 ** attempt);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, worker));
    if (batch.remainingParts === 0 && expired.length === 0) break;
    batch = (await session.call<Ticket>('POST', `/evidence/uploads/${uploadId}/parts`, {})).body;
    for (const p of batch.uploaded ?? []) etags.set(p.partNumber, p.etag);
  }

  progress({ kind: 'completing' });
  const parts = ticket.single ? undefined : [...etags.entries()].sort((a, b) => a[0] - b[0]).map(([partNumber, etag]) => ({ partNumber, etag }));
  await session.call('POST', `/evidence/uploads/${uploadId}/complete`, parts ? { parts } : {});
  progress({ kind: 'verifying' });
  return waitForSeal(session, uploadId, sha256, source.size, stateFile, options.sealTimeoutMs);
}

async function waitForSeal(session: DeviceSession, uploadId: string, sha256: string, size: number, stateFile: string | undefined, timeoutMs = 10 * 60 * 1000): Promise<UploadResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await session.call<{ status: string; rejectReason?: string }>('GET', `/evidence/uploads/${uploadId}`);
    if (body.status === 'SEALED' || body.status === 'REJECTED') {
      if (stateFile) await rm(stateFile, { force: true });
      return { evidenceId: uploadId, status: body.status, ...(body.rejectReason ? { rejectReason: body.rejectReason } : {}), sha256, sizeBytes: size };
    }
    if (Date.now() > deadline) throw new DeviceApiError(0, 'SEAL_TIMEOUT', `已上传，但 ${Math.round(timeoutMs / 1000)} 秒内未完成校验封存；稍后可查询 /evidence/uploads/${uploadId}`);
    await sleep(size > 100 * 1024 * 1024 ? 1000 : 200);
  }
}
