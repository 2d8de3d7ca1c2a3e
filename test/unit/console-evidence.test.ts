/** The evidence panel's pure part (console/src/lib/evidence.ts; issue 16, point 2; R3–R7). */
import { describe, expect, it } from 'vitest';
import { consoleSecurityHeaders } from '../../console/headers.ts';
import { allPassed, custodyEntries, expiryText, fileSize, gpsText, groupByAct, verificationChecks, viewerKind } from '../../console/src/lib/evidence.ts';

const sealedOk = { signatureValid: true, manifestMatchesRecord: true, objectPresent: true, objectSizeMatches: true };

describe('verification in words', () => {
  it('says each check passed, and that the hash was not re-computed until asked', () => {
    const checks = verificationChecks(sealedOk);
    expect(checks.map((c) => `${c.label}：${c.text}`)).toEqual([
      '清单签名：通过：签名与签名密钥相符',
      '清单与记录：通过：签名清单与证据记录一致',
      '存储文件：通过：文件在证据存储中',
      '文件大小：通过：文件大小与封存时一致',
      'SHA-256 哈希：未重新计算（可点击“重新计算哈希”）',
    ]);
    expect(allPassed(checks)).toBe(true);
    expect(verificationChecks({ ...sealedOk, hashMatches: true }).at(-1)?.text).toBe('通过：重新计算的哈希与封存时一致');
  });

  it('names the failed check: a file changed since sealing, a signature that does not match', () => {
    const changed = verificationChecks({ ...sealedOk, objectSizeMatches: false, hashMatches: false });
    expect(allPassed(changed)).toBe(false);
    expect(changed.filter((c) => c.state === 'fail').map((c) => c.text)).toEqual(['未通过：文件大小与封存时不同', '未通过：文件内容与封存时不同']);
    expect(verificationChecks({ ...sealedOk, signatureValid: false })[0]?.text).toBe('未通过：签名与清单不符');
  });

  it('says a check does not apply to evidence not yet sealed, which is not a pass', () => {
    const checks = verificationChecks({ signatureValid: null, manifestMatchesRecord: null, objectPresent: false, objectSizeMatches: null });
    expect(checks[0]?.text).toBe('不适用：证据尚未封存，无签名');
    expect(checks[2]?.text).toBe('未通过：证据存储中找不到文件');
    expect(allPassed(checks)).toBe(false);
  });
});

describe('the viewer', () => {
  it('shows photos as images, audio and video in players, anything else as a download', () => {
    expect(viewerKind('PHOTO', 'image/jpeg')).toBe('image');
    expect(viewerKind('AUDIO', 'audio/mp4')).toBe('audio');
    expect(viewerKind('VIDEO', 'video/mp4')).toBe('video');
    expect(viewerKind('DOCUMENT', 'application/pdf')).toBe('download');
    expect(viewerKind('DOCUMENT', 'image/png')).toBe('image');
  });

  it("says when the link expires, in Beijing time, and once it has, that it must be fetched again", () => {
    const clock = (iso: string) => iso.slice(11, 16);
    const now = new Date('2026-12-02T10:30:00Z');
    expect(expiryText('2026-12-02T10:35:00Z', now, clock)).toBe('链接 5 分钟后失效（10:35）');
    expect(expiryText('2026-12-02T10:34:01Z', now, clock)).toBe('链接 5 分钟后失效（10:34）');
    expect(expiryText('2026-12-02T10:29:00Z', now, clock)).toBe('链接已于 10:29 失效，如需再看请重新调取');
  });

  it('gives sizes as file managers do', () => {
    expect(fileSize(326)).toBe('326 B');
    expect(fileSize(1536)).toBe('1.5 KB');
    expect(fileSize(250 * 1024 * 1024)).toBe('250 MB');
    expect(fileSize(3.2 * 1024 ** 3)).toBe('3.2 GB');
  });

  it('writes a position with its hemisphere and accuracy', () => {
    expect(gpsText({ lat: 33.963, lon: 118.275, accuracyMeters: 8 })).toBe('33.9630°N 118.2750°E（±8 米）');
    expect(gpsText(undefined)).toBeUndefined();
  });
});

describe('evidence by act', () => {
  it('groups evidence under its act, acts in capture order, evidence without an act last', () => {
    const groups = groupByAct([
      { id: 'c', actId: 'act-2', capturedAt: '2026-11-15T09:00:00+08:00' },
      { id: 'x', capturedAt: '2026-11-01T09:00:00+08:00' },
      { id: 'a', actId: 'act-1', capturedAt: '2026-11-14T09:30:00+08:00' },
      { id: 'b', actId: 'act-1', capturedAt: '2026-11-14T09:40:00+08:00' },
    ]);
    expect(groups.map((g) => [g.actId, g.items.map((e) => e.id)])).toEqual([
      ['act-1', ['a', 'b']],
      ['act-2', ['c']],
      [null, ['x']],
    ]);
  });
});

describe('the chain of custody', () => {
  it('lists who did what and why, newest first, in words', () => {
    const actor = (name: string) => ({ name });
    const entries = custodyEntries([
      { action: 'evidence.upload.start', at: '2026-12-02T08:00:00Z', actor: actor('设备 DEMO-CAM-0001'), change: {} },
      { action: 'evidence.seal', at: '2026-12-02T08:00:00Z', actor: actor('设备 DEMO-CAM-0001'), change: {} },
      { action: 'evidence.access', at: '2026-12-02T09:00:00Z', actor: actor('李文静'), change: { reason: '核对现场照片', caseNo: 'SQ-CITY-2026-00008' } },
      { action: 'evidence.legal-hold.set', at: '2026-12-02T10:00:00Z', actor: actor('法规处管理员'), change: { reason: '行政复议' } },
    ]);
    expect(entries.map((e) => `${e.who} ${e.what}${e.reason ? `（${e.reason}）` : ''}`)).toEqual([
      '法规处管理员 设置法律保全（行政复议）',
      '李文静 调取查看（核对现场照片）',
      '设备 DEMO-CAM-0001 核验一致，封存并签名',
      '设备 DEMO-CAM-0001 开始上传',
    ]);
  });
});

describe("the console's CSP and the evidence store", () => {
  it('allows images and media from the evidence store only, when given', () => {
    const csp = consoleSecurityHeaders('/api', undefined, 'http://127.0.0.1:4569/bucket?x=1')['content-security-policy'];
    expect(csp).toContain("img-src 'self' data: http://127.0.0.1:4569;");
    expect(csp).toContain("media-src 'self' http://127.0.0.1:4569;");
    expect(csp).toContain("connect-src 'self';");
    const without = consoleSecurityHeaders('/api')['content-security-policy'];
    expect(without).toContain("img-src 'self' data:;");
    expect(without).toContain("media-src 'self';");
    expect(() => consoleSecurityHeaders('/api', undefined, 'javascript:alert(1)')).toThrow();
  });
});
