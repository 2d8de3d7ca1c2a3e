/**
 * The evidence panel's pure part (issue 16, point 2; R3–R7): evidence grouped by the act it records,
 * the verification's checks in words, which viewer a file gets, sizes, the link's expiry and the
 * chain-of-custody entries. No DOM, no fetch: unit-tested in test/unit/console-evidence.test.ts.
 */

export interface VerificationLike {
  readonly signatureValid: boolean | null;
  readonly manifestMatchesRecord: boolean | null;
  readonly objectPresent: boolean;
  readonly objectSizeMatches: boolean | null;
  readonly hashMatches?: boolean;
}

export type CheckState = 'pass' | 'fail' | 'none';

export interface Check {
  readonly key: string;
  readonly label: string;
  readonly state: CheckState;
  /** The outcome in words (never a colour alone). */
  readonly text: string;
}

const check = (key: string, label: string, value: boolean | null | undefined, pass: string, fail: string, none: string): Check => ({
  key,
  label,
  state: value === true ? 'pass' : value === false ? 'fail' : 'none',
  text: value === true ? pass : value === false ? fail : none,
});

/** Each check of `GET /evidence/{id}` as a line a person reads; the hash only when it was re-computed. */
export function verificationChecks(v: VerificationLike): Check[] {
  return [
    check('signature', '清单签名', v.signatureValid, '通过：签名与签名密钥相符', '未通过：签名与清单不符', '不适用：证据尚未封存，无签名'),
    check('manifest', '清单与记录', v.manifestMatchesRecord, '通过：签名清单与证据记录一致', '未通过：签名清单与证据记录不一致', '不适用：证据尚未封存'),
    check('object', '存储文件', v.objectPresent, '通过：文件在证据存储中', '未通过：证据存储中找不到文件', '—'),
    check('size', '文件大小', v.objectSizeMatches, '通过：文件大小与封存时一致', '未通过：文件大小与封存时不同', '不适用：文件不存在'),
    check('hash', 'SHA-256 哈希', v.hashMatches, '通过：重新计算的哈希与封存时一致', '未通过：文件内容与封存时不同', '未重新计算（可点击“重新计算哈希”）'),
  ];
}

/** Whether every check that ran passed (a check that did not run is neither). */
export const allPassed = (checks: readonly Check[]): boolean => checks.every((c) => c.state !== 'fail') && checks.some((c) => c.state === 'pass');

export type ViewerKind = 'image' | 'audio' | 'video' | 'download';

/** The viewer for a file: by its media type, a document (or an unknown type) is a plain download. */
export function viewerKind(mediaType: string, contentType?: string): ViewerKind {
  if (mediaType === 'PHOTO') return 'image';
  if (mediaType === 'AUDIO') return 'audio';
  if (mediaType === 'VIDEO') return 'video';
  if (contentType?.startsWith('image/')) return 'image';
  return 'download';
}

/** 1536 → `1.5 KB`; bytes in binary units as file managers show them. */
export function fileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** How long a link still works, in words: `5 分钟后失效（10:35）`, or that it has expired. */
export function expiryText(expiresAt: string, now: Date, clock: (iso: string) => string): string {
  const left = Date.parse(expiresAt) - now.getTime();
  if (Number.isNaN(left)) return '';
  if (left <= 0) return `链接已于 ${clock(expiresAt)} 失效，如需再看请重新调取`;
  const minutes = Math.ceil(left / 60_000);
  return `链接 ${minutes} 分钟后失效（${clock(expiresAt)}）`;
}

/** Evidence by act, acts in the order their first evidence was captured; evidence without an act last. */
export function groupByAct<T extends { readonly actId?: string; readonly capturedAt: string }>(items: readonly T[]): { actId: string | null; items: T[] }[] {
  const sorted = [...items].sort((a, b) => Date.parse(a.capturedAt) - Date.parse(b.capturedAt));
  const groups = new Map<string | null, T[]>();
  for (const e of sorted) {
    const key = e.actId ?? null;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const acts = [...groups.entries()].filter(([k]) => k !== null).map(([actId, list]) => ({ actId, items: list }));
  const loose = groups.get(null);
  return loose ? [...acts, { actId: null, items: loose }] : acts;
}

export interface CustodyEventLike {
  readonly action: string;
  readonly at: string;
  readonly actor: { readonly name: string };
  readonly change: Readonly<Record<string, unknown>>;
}

export interface CustodyEntry {
  readonly at: string;
  readonly who: string;
  readonly what: string;
  readonly reason?: string;
}

const CUSTODY_ACTIONS: Record<string, string> = {
  'evidence.upload.start': '开始上传',
  'evidence.upload.complete': '完成上传',
  'evidence.upload.abort': '上传中止',
  'evidence.seal': '核验一致，封存并签名',
  'evidence.reject': '核验不一致，拒收',
  'evidence.integrity.verified': '定期复核一致',
  'evidence.integrity.failed': '复核发现文件与封存时不一致',
  'evidence.access': '调取查看',
  'evidence.legal-hold.set': '设置法律保全',
  'evidence.legal-hold.lift': '解除法律保全',
};

/** The chain of custody from the evidence's audit events (upload, seal, checks, accesses, legal holds), newest first. */
export function custodyEntries(events: readonly CustodyEventLike[]): CustodyEntry[] {
  // The API lists in the chain's order: reversed first, so that events of the same second stay newest first.
  return [...events]
    .reverse()
    .filter((e) => e.action.startsWith('evidence.'))
    .map((e) => {
      const reason = typeof e.change.reason === 'string' ? e.change.reason : undefined;
      return { at: e.at, who: e.actor.name, what: CUSTODY_ACTIONS[e.action] ?? e.action, ...(reason ? { reason } : {}) };
    })
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** GPS as people read it: `33.9630°N 118.2750°E（±8 米）`. */
export function gpsText(gps: { lat: number; lon: number; accuracyMeters?: number } | undefined): string | undefined {
  if (!gps) return undefined;
  const lat = `${Math.abs(gps.lat).toFixed(4)}°${gps.lat >= 0 ? 'N' : 'S'}`;
  const lon = `${Math.abs(gps.lon).toFixed(4)}°${gps.lon >= 0 ? 'E' : 'W'}`;
  return `${lat} ${lon}${gps.accuracyMeters === undefined ? '' : `（±${gps.accuracyMeters} 米）`}`;
}
