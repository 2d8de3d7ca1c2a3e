/**
 * `npm run device -- upload --case <caseId> [options] FILE`: does what a field device does (R3, R4):
 * gets a token with its credentials, uploads the file straight to S3 in parts with progress, resumes
 * an interrupted upload when run again, completes it and waits for the seal. Works against local mode
 * (`npm start`, found through its lock file) and a deployed stack (`--api`).
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runningInstance } from '../lock.ts';
import { DeviceApiError, DeviceSession, fileSource, uploadEvidence, type EvidenceFields } from './device-client.ts';
import { runTool } from './connect.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const USAGE = `用法 / usage:
  npm run device -- upload --case <caseId> --collector <officerId> --place <采集地点> --proves <证明对象> [选项] FILE

选项 / options:
  --act <actId>            关联的执法行为
  --media VIDEO|AUDIO|PHOTO|DOCUMENT   缺省按扩展名判断
  --captured-at <ISO时间>   采集时间，缺省为文件修改时间
  --lat <纬度> --lon <经度>  定位（可选）
  --api <URL>              API 地址；缺省为本机运行中的 npm start
  --token-url <URL>        令牌地址；缺省为 <api>/oauth2/token（部署时为 Cognito 域名的 /oauth2/token）
  --concurrency <n>        同时上传的分片数，缺省 4
设备凭证 / credentials: 环境变量 DEVICE_CLIENT_ID、DEVICE_CLIENT_SECRET（npm start 启动时会显示演示设备的凭证）
中断后再次运行同一命令即从断点续传 / run the same command again to resume.`;

const MEDIA_BY_EXT: Record<string, { media: EvidenceFields['mediaType']; type: string }> = {
  '.mp4': { media: 'VIDEO', type: 'video/mp4' },
  '.mov': { media: 'VIDEO', type: 'video/quicktime' },
  '.avi': { media: 'VIDEO', type: 'video/x-msvideo' },
  '.webm': { media: 'VIDEO', type: 'video/webm' },
  '.mp3': { media: 'AUDIO', type: 'audio/mpeg' },
  '.wav': { media: 'AUDIO', type: 'audio/wav' },
  '.m4a': { media: 'AUDIO', type: 'audio/mp4' },
  '.amr': { media: 'AUDIO', type: 'audio/amr' },
  '.jpg': { media: 'PHOTO', type: 'image/jpeg' },
  '.jpeg': { media: 'PHOTO', type: 'image/jpeg' },
  '.png': { media: 'PHOTO', type: 'image/png' },
  '.heic': { media: 'PHOTO', type: 'image/heic' },
  '.pdf': { media: 'DOCUMENT', type: 'application/pdf' },
};

/** The API of the `npm start` running on DATA_DIR (default .local-data), from its lock file. */
function localApiUrl(): string | undefined {
  return runningInstance(process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : join(REPO_ROOT, '.local-data'))?.apiUrl;
}

const mib = (n: number) => (n / 1024 / 1024).toFixed(1);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      case: { type: 'string' },
      act: { type: 'string' },
      media: { type: 'string' },
      collector: { type: 'string' },
      place: { type: 'string' },
      proves: { type: 'string' },
      'captured-at': { type: 'string' },
      lat: { type: 'string' },
      lon: { type: 'string' },
      api: { type: 'string' },
      'token-url': { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, file] = positionals;
  if (values.help || command !== 'upload' || !file) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const missing = (['case', 'collector', 'place', 'proves'] as const).filter((k) => !values[k]);
  if (missing.length) {
    console.error(`缺少参数 / missing: ${missing.map((k) => `--${k}`).join(' ')}\n\n${USAGE}`);
    return 2;
  }
  const clientId = process.env.DEVICE_CLIENT_ID;
  const clientSecret = process.env.DEVICE_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    console.error('请设置设备凭证环境变量 DEVICE_CLIENT_ID 与 DEVICE_CLIENT_SECRET / set DEVICE_CLIENT_ID and DEVICE_CLIENT_SECRET');
    return 2;
  }
  const apiUrl = (values.api ?? localApiUrl())?.replace(/\/$/, '');
  if (!apiUrl) {
    console.error('找不到运行中的本地实例：请先 npm start，或用 --api 指定部署的 API 地址 / no running local instance: npm start first, or pass --api');
    return 2;
  }
  const path = resolve(file);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    console.error(`文件不存在 / no such file: ${path}`);
    return 2;
  }
  const known = MEDIA_BY_EXT[extname(path).toLowerCase()];
  const media = (values.media?.toUpperCase() ?? known?.media ?? 'DOCUMENT') as EvidenceFields['mediaType'];
  const fields: EvidenceFields = {
    caseId: values.case!,
    ...(values.act ? { actId: values.act } : {}),
    mediaType: media,
    fileName: basename(path),
    contentType: known?.type ?? 'application/octet-stream',
    capturedAt: values['captured-at'] ?? info.mtime.toISOString(),
    capturePlace: { text: values.place!, ...(values.lat && values.lon ? { gps: { lat: Number(values.lat), lon: Number(values.lon) } } : {}) },
    collectorOfficerId: values.collector!,
    proves: values.proves!,
  };
  const session = new DeviceSession({ apiUrl, tokenUrl: values['token-url'] ?? `${apiUrl}/oauth2/token`, clientId, clientSecret });
  const started = performance.now();
  let lastLine = 0;
  const line = (text: string, force = false) => {
    const now = performance.now();
    if (!force && now - lastLine < 500) return;
    lastLine = now;
    process.stdout.write(`${text}\n`);
  };
  try {
    const result = await uploadEvidence(session, await fileSource(path), fields, {
      concurrency: Number(values.concurrency ?? 4),
      stateDir: join(homedir(), '.three-systems-device'),
      onProgress: (p) => {
        if (p.kind === 'hashing') line(`计算 SHA-256 / hashing ${mib(p.done)} / ${mib(p.total)} MiB`, p.done === p.total);
        else if (p.kind === 'started') line(`${p.resumed ? '续传' : '开始上传'} / ${p.resumed ? 'resuming' : 'uploading'} ${p.uploadId}：${p.partCount} 个分片，已有 ${p.alreadyUploaded} 个`, true);
        else if (p.kind === 'part') line(`分片 / part ${p.partNumber}  ${mib(p.uploadedBytes)} / ${mib(p.total)} MiB (${Math.round((p.uploadedBytes / p.total) * 100)}%)`, p.uploadedBytes === p.total);
        else if (p.kind === 'completing') line('完成上传 / completing…', true);
        else line('校验并封存 / verifying and sealing…', true);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.status === 'SEALED') {
      console.log(`已封存 / sealed: 证据 ${result.evidenceId}  SHA-256 ${result.sha256}  (${seconds} s)`);
      return 0;
    }
    console.error(`被拒收 / rejected: ${result.rejectReason ?? ''}（文件已保留供调查 / the object is kept for investigation）`);
    return 1;
  } catch (error) {
    if (error instanceof DeviceApiError) {
      console.error(`失败 / failed [${error.code}]: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

runTool(main);
