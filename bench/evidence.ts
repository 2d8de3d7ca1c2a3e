/**
 * Evidence uploads through the local flow (issue 5): `npm start` runs in a child process (so its
 * memory can be watched alone) on a temporary data dir with the demo data; the demo body camera
 * uploads generated streams of each size with the device client (start, parts to presigned s3rver
 * URLs, complete, wait for the seal: the object-created event makes the API process stream the
 * object through SHA-256). Beside it, a direct PutObject of the same size to the same s3rver.
 *
 * The API process's peak memory (VmHWM) is read from /proc before and after each size: it must
 * not grow with the file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeviceSession, sha256Of, uploadEvidence, type UploadSource } from '../local/cli/device-client.ts';
import { localClientSecret } from '../shared/aws/device-clients.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/services.ts';
import { createTokenIssuer } from '../local/auth.ts';
import { REPO_ROOT } from './paths.ts';
import type { Evidence } from '../shared/domain/evidence.ts';
import { countReads } from './read-counter.ts';

export interface EvidenceSizeRun {
  readonly sizeBytes: number;
  readonly hashMs: number;
  /** Start to the last part uploaded. */
  readonly uploadMs: number;
  /** Complete to SEALED (S3 assembling the parts, then the API process hashing the object). */
  readonly sealMs: number;
  readonly uploadMBps: number;
  readonly endToEndMBps: number;
  readonly directPutMs: number;
  readonly directPutMBps: number;
  readonly status: string;
  /** The API process's peak resident memory after this size (MiB). */
  readonly apiPeakRssMiB: number;
}

export interface EvidenceRun {
  readonly apiBaselinePeakRssMiB: number;
  readonly sizes: readonly EvidenceSizeRun[];
}

/** Deterministic bytes: a 1 MiB pseudo-random block, each MiB stamped with its index so no two are equal. */
export function generatedSource(size: number): UploadSource {
  const block = Buffer.alloc(1024 * 1024);
  let x = 0x2545f491;
  for (let i = 0; i < block.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block.writeInt32LE(x | 0, i);
  }
  return {
    size,
    read(start, end) {
      let pos = start;
      return new Readable({
        read() {
          if (pos >= end) {
            this.push(null);
            return;
          }
          const mib = Math.floor(pos / block.length);
          const offset = pos % block.length;
          const n = Math.min(block.length - offset, end - pos);
          const chunk = Buffer.from(block.subarray(offset, offset + n));
          // Stamp the MiB index over the first 8 bytes of the block (where they fall in this chunk).
          const stamp = Buffer.alloc(8);
          stamp.writeBigUInt64LE(BigInt(mib));
          for (let i = offset; i < 8 && i < offset + n; i++) chunk[i - offset] = stamp[i]!;
          pos += n;
          this.push(chunk);
        },
      });
    },
  };
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function waitForLock(dataDir: string, child: ChildProcess): Promise<{ api: string; s3Endpoint: string; bucket: string }> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      const lock = JSON.parse(await readFile(join(dataDir, 'local.lock'), 'utf8')) as { apiUrl?: string; endpoints?: { s3Endpoint: string; evidenceBucket: string } };
      if (lock.endpoints && lock.apiUrl) {
        const health = await fetch(`${lock.apiUrl}/health`).catch(() => undefined);
        if (health?.ok) return { api: lock.apiUrl, s3Endpoint: lock.endpoints.s3Endpoint, bucket: lock.endpoints.evidenceBucket };
      }
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error('local system did not become healthy in 180 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function benchEvidence(sizes: readonly number[], say: (line: string) => void): Promise<EvidenceRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-evidence-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', 'local/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', SEED: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const { api, s3Endpoint, bucket } = await waitForLock(dataDir, child);
    const admin = ((await (await fetch(`${api}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'bench', name: '基准', groups: ['admin'] }) })).json()) as { token: string }).token;
    const get = async <T>(path: string): Promise<T> => (await (await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as T;
    const device = (await get<{ items: { serial: string; clientId: string; assignedOfficerId?: string }[] }>('/devices?agencyId=sq-city')).items.find((d) => d.serial === 'DEMO-CAM-0001');
    if (!device?.assignedOfficerId) throw new Error('demo device not seeded');
    // The camera's officer collects: certificate valid, same agency.
    const collector = { id: device.assignedOfficerId };
    const caseId = (await get<{ items: { id: string }[] }>('/cases?agencyId=sq-city&limit=1')).items[0]?.id;
    if (!caseId) throw new Error('no demo case');
    // The local client secret is derived from the data dir's token secret, as `npm start` prints it.
    const key = (await createTokenIssuer({ secretFile: join(dataDir, 'local-token-secret') })).deviceSecretKey;
    const session = new DeviceSession({ apiUrl: api, tokenUrl: `${api}/oauth2/token`, clientId: device.clientId, clientSecret: localClientSecret(key, device.clientId) });
    const s3 = new S3Client({ endpoint: s3Endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });

    const apiPid = child.pid!;
    const apiBaselinePeakRssMiB = peakRssMiB(apiPid);
    const runs: EvidenceSizeRun[] = [];
    for (const size of sizes) {
      const source = generatedSource(size);
      say(`evidence: hashing ${size / 2 ** 20} MiB`);
      let t = performance.now();
      const sha256 = await sha256Of(source);
      const hashMs = performance.now() - t;

      say(`evidence: uploading ${size / 2 ** 20} MiB through the local flow`);
      let uploadedAt = 0;
      let completingAt = 0;
      t = performance.now();
      const result = await uploadEvidence(
        session,
        source,
        { caseId, mediaType: 'VIDEO', fileName: `bench-${size}.mp4`, contentType: 'video/mp4', capturedAt: new Date(Date.now() - 60_000).toISOString(), capturePlace: { text: '基准测试现场' }, collectorOfficerId: collector.id, proves: '基准测试：大文件上传与封存' },
        {
          sha256,
          concurrency: 4,
          sealTimeoutMs: 30 * 60 * 1000,
          onProgress: (p) => {
            if (p.kind === 'part' && p.uploadedBytes === p.total) uploadedAt = performance.now();
            if (p.kind === 'completing') completingAt = performance.now();
          },
        },
      );
      const end = performance.now();
      const uploadMs = (uploadedAt || completingAt) - t;

      say(`evidence: direct PutObject of ${size / 2 ** 20} MiB`);
      const d = performance.now();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `bench/direct-${size}-${Date.now()}`, Body: source.read(0, size), ContentLength: size }));
      const directPutMs = performance.now() - d;

      const mbps = (ms: number) => Math.round((size / 1e6 / (ms / 1000)) * 10) / 10;
      runs.push({
        sizeBytes: size,
        hashMs: Math.round(hashMs),
        uploadMs: Math.round(uploadMs),
        sealMs: Math.round(end - completingAt),
        uploadMBps: mbps(uploadMs),
        endToEndMBps: mbps(end - t),
        directPutMs: Math.round(directPutMs),
        directPutMBps: mbps(directPutMs),
        status: result.status,
        apiPeakRssMiB: peakRssMiB(apiPid),
      });
    }
    return { apiBaselinePeakRssMiB, sizes: runs };
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The scheduled re-verification (issue 10): its cost follows what is due, not the table

export interface EvidenceVerifySizeRun {
  /** Sealed evidence records in the table. */
  readonly tableSize: number;
  /** Of them, due for their check by the run's time (the same at every size). */
  readonly due: number;
  /** Queue entries the job read (`IntegrityRun.itemsRead`). */
  readonly itemsRead: number;
  /** Items DynamoDB read for the run, all commands (the queue, the audit head per commit). */
  readonly dynamoItemsRead: number;
  readonly roundTrips: number;
  readonly verified: number;
  readonly bytesHashed: number;
  readonly ms: number;
}

/**
 * `verifyDueEvidence` in-process against DynamoDB Local in memory and s3rver: N sealed records of
 * which `due` are due (64 KiB objects in s3rver; the others' objects are not needed, since a run
 * that read them would fail on them), at each table size. A read counter on the shared document
 * client counts every item read. Items read and bytes hashed must stay the same at every size.
 */
export async function benchEvidenceVerify(tableSizes: readonly number[], due: number, say: (line: string) => void): Promise<EvidenceVerifySizeRun[]> {
  const { startEmbeddedServices, localEnvironment, applyLocalEnvironment, localS3Client } = await import('../local/services.ts');
  const services = await startEmbeddedServices({});
  applyLocalEnvironment(localEnvironment(services));
  const { documentClient } = await import('../shared/aws/clients.ts');
  const { tableName } = await import('../shared/aws/env.ts');
  const { putEvidence } = await import('../shared/store/evidence.ts');
  const { verifyDueEvidence } = await import('../shared/services/evidence-integrity.ts');
  const { BatchWriteCommand } = await import('../shared/aws/dynamodb.ts');
  const { createHash } = await import('node:crypto');
  const counts = countReads(documentClient(), 'benchVerifyReadCounter');
  const s3 = localS3Client(services.s3Endpoint);
  const runAt = new Date('2026-06-02T00:00:00.000Z');
  const caseId = '00000000-0000-4000-8000-000000000000';
  const record = (i: number, isDue: boolean, sha256: string, size: number): Evidence => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const at = '2026-03-01T00:00:00.000Z';
    return {
      id, caseId, caseNo: '宿市监立〔2026〕1号', agencyId: 'bench', mediaType: 'VIDEO', fileName: `v${i}.mp4`, contentType: 'video/mp4',
      sizeBytes: size, sha256, capturedAt: at, capturePlace: { text: '基准测试现场' }, collectorOfficerId: 'o1', collectorName: '基准', proves: '基准测试',
      deviceId: 'd1', deviceSerial: 'BENCH-1', objectKey: `evidence/${caseId}/${id}`, partSize: size, partCount: 1, status: 'SEALED',
      sealedAt: at, retainUntil: '2056-03-01T00:00:00.000Z',
      integrity: { result: 'VERIFIED', checkedAt: at, trigger: 'seal', method: 'sha256', nextDueAt: isDue ? `2026-06-01T00:00:${String(i % 60).padStart(2, '0')}.000Z` : '2026-08-01T00:00:00.000Z' },
      version: 1, createdAt: at, updatedAt: at,
    };
  };
  const write = async (records: Evidence[]): Promise<void> => {
    for (let i = 0; i < records.length; i += 25) {
      const puts = records.slice(i, i + 25).map((e) => {
        const w = putEvidence(e, 0);
        if (w.kind !== 'put') throw new Error('expected a put');
        return { PutRequest: { Item: w.item } };
      });
      await documentClient().send(new BatchWriteCommand({ RequestItems: { [tableName('Cases')]: puts } }));
    }
  };
  const runs: EvidenceVerifySizeRun[] = [];
  try {
    const size = 64 * 1024;
    const dueRecords: Evidence[] = [];
    for (let i = 0; i < due; i++) {
      const bytes = Buffer.alloc(size, i % 251);
      bytes.writeUInt32LE(i, 0);
      const e = record(i, true, createHash('sha256').update(bytes).digest('hex'), size);
      await s3.send(new PutObjectCommand({ Bucket: services.evidenceBucket, Key: e.objectKey, Body: bytes }));
      dueRecords.push(e);
    }
    let loaded = due;
    for (const tableSize of [...tableSizes].sort((a, b) => a - b)) {
      say(`evidence-verify: loading ${tableSize} sealed records (${due} due)`);
      const rest: Evidence[] = [];
      for (let i = loaded; i < tableSize; i++) rest.push(record(i, false, '0'.repeat(64), size));
      await write(rest);
      loaded = Math.max(loaded, tableSize);
      // Due again (the previous size's run moved them on).
      await write(dueRecords);
      counts.items = 0;
      counts.trips = 0;
      const t = performance.now();
      const result = await verifyDueEvidence(runAt);
      const ms = performance.now() - t;
      if (result.failed.length > 0 || result.verified !== due) throw new Error(`evidence-verify: expected ${due} verified, got ${JSON.stringify(result)}`);
      runs.push({ tableSize, due, itemsRead: result.itemsRead, dynamoItemsRead: counts.items, roundTrips: counts.trips, verified: result.verified, bytesHashed: result.bytesHashed, ms: Math.round(ms) });
    }
    return runs;
  } finally {
    s3.destroy();
    await services.stop();
  }
}
