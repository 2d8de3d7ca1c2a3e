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
