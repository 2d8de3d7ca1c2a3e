/**
 * Evidence uploads (R4, R7): the request schema, the S3 multipart part planner (property-tested
 * against S3's limits), resuming, and the manifest that is signed at sealing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from '../../shared/domain/audit.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import {
  DEFAULT_PART_SIZE,
  DEFAULT_SINGLE_PUT_THRESHOLD,
  evidenceManifest,
  GiB,
  manifestCanonicalJson,
  MAX_OBJECT_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MiB,
  MIN_PART_SIZE,
  missingParts,
  planParts,
  SINGLE_PUT_MAX,
  startUploadBodyAt,
  TiB,
  type PartPlan,
} from '../../shared/domain/evidence.ts';
import { catchError } from './support.ts';


/**
 * Every invariant S3 imposes, and exact coverage of [0, size): the first broken one, or undefined.
 * Plain comparisons rather than `expect` per part: a 5 TiB plan has 10,000 parts and runs hundreds of times.
 */
function planProblem(plan: PartPlan, size: number, threshold = DEFAULT_SINGLE_PUT_THRESHOLD): string | undefined {
  if (plan.single !== size <= threshold) return `single=${plan.single} for size ${size}, threshold ${threshold}`;
  if (plan.partCount !== plan.parts.length) return 'partCount differs from parts.length';
  if (plan.partCount < 1 || plan.partCount > MAX_PARTS) return `partCount ${plan.partCount} outside 1..${MAX_PARTS}`;
  if (plan.single) {
    if (plan.partCount !== 1) return 'single PUT with several parts';
    if (size > SINGLE_PUT_MAX) return 'single PUT over 5 GiB';
  } else if (plan.partSize < MIN_PART_SIZE || plan.partSize > MAX_PART_SIZE) {
    return `partSize ${plan.partSize} outside 5 MiB..5 GiB`;
  }
  let offset = 0;
  for (const [i, p] of plan.parts.entries()) {
    const last = i === plan.parts.length - 1;
    if (p.partNumber !== i + 1) return `part ${i} numbered ${p.partNumber}`;
    if (p.start !== offset) return `part ${p.partNumber} starts at ${p.start}, not ${offset}`;
    if (p.end - p.start !== p.size || p.size <= 0) return `part ${p.partNumber} has a bad size`;
    if (p.size > MAX_PART_SIZE || p.size > plan.partSize) return `part ${p.partNumber} too large`;
    if (!last && (p.size !== plan.partSize || p.size < MIN_PART_SIZE)) return `non-last part ${p.partNumber} of ${p.size} bytes`;
    offset = p.end;
  }
  if (offset !== size) return `parts end at ${offset}, not ${size}`;
  return undefined;
}

function expectValidPlan(plan: PartPlan, size: number, threshold = DEFAULT_SINGLE_PUT_THRESHOLD): void {
  expect(planProblem(plan, size, threshold)).toBeUndefined();
}

/** Sizes over 1..5 TiB, weighted toward the interesting boundaries. */
const anySize = fc.oneof(
  fc.bigInt({ min: 1n, max: BigInt(MAX_OBJECT_SIZE) }).map(Number),
  fc.integer({ min: 1, max: 64 * MiB }),
  fc
    .constantFrom(DEFAULT_SINGLE_PUT_THRESHOLD, MAX_PARTS * DEFAULT_PART_SIZE, MAX_PARTS * MIN_PART_SIZE, MAX_OBJECT_SIZE, SINGLE_PUT_MAX)
    .chain((b) => fc.integer({ min: -3, max: 3 }).map((d) => Math.min(MAX_OBJECT_SIZE, Math.max(1, b + d)))),
);

describe('planParts', () => {
  it('covers any size 1..5 TiB exactly, within S3 limits (property)', () => {
    fc.assert(
      fc.property(anySize, (size) => {
        const plan = planParts(size);
        expectValidPlan(plan, size);
        // Part sizes stay whole MiB (the default is 16 MiB; growth rounds up to a MiB).
        expect(plan.single || plan.partSize % MiB === 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('honours any preferred part size and single-PUT threshold (property)', () => {
    fc.assert(
      fc.property(
        anySize,
        fc.integer({ min: MIN_PART_SIZE, max: MAX_PART_SIZE }),
        fc.integer({ min: 0, max: SINGLE_PUT_MAX }),
        (size, preferredPartSize, singlePutThreshold) => {
          const plan = planParts(size, { preferredPartSize, singlePutThreshold });
          expectValidPlan(plan, size, singlePutThreshold);
          // The preferred size is used unless it would need more than MAX_PARTS parts.
          if (!plan.single && Math.ceil(size / preferredPartSize) <= MAX_PARTS) expect(plan.partSize).toBe(preferredPartSize);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('puts exactly 16 MiB in one PUT and 16 MiB + 1 in two parts', () => {
    const at = planParts(16 * MiB);
    expect(at).toMatchObject({ single: true, partCount: 1, partSize: 16 * MiB });
    expect(at.parts).toEqual([{ partNumber: 1, start: 0, end: 16 * MiB, size: 16 * MiB }]);

    const over = planParts(16 * MiB + 1);
    expect(over).toMatchObject({ single: false, partCount: 2, partSize: 16 * MiB });
    expect(over.parts[1]).toEqual({ partNumber: 2, start: 16 * MiB, end: 16 * MiB + 1, size: 1 });
  });

  it('uploads a 1-byte file in one PUT', () => {
    expect(planParts(1)).toEqual({ single: true, partSize: 1, partCount: 1, parts: [{ partNumber: 1, start: 0, end: 1, size: 1 }] });
  });

  it('plans 5 TiB in at most 10,000 parts of a whole number of MiB', () => {
    const plan = planParts(MAX_OBJECT_SIZE);
    expect(plan.partSize).toBe(525 * MiB); // ceil(5 TiB / 10,000) rounded up to a MiB
    expect(plan.partCount).toBe(Math.ceil(MAX_OBJECT_SIZE / (525 * MiB)));
    expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
    expectValidPlan(plan, MAX_OBJECT_SIZE);
  });

  it('grows the part size exactly when the preferred one would need more than 10,000 parts', () => {
    // 16 MiB parts reach 10,000 × 16 MiB = 156.25 GiB.
    expect(planParts(MAX_PARTS * 16 * MiB)).toMatchObject({ partSize: 16 * MiB, partCount: MAX_PARTS });
    expect(planParts(MAX_PARTS * 16 * MiB + 1)).toMatchObject({ partSize: 17 * MiB, partCount: 9412 });
    // 5 MiB parts reach 10,000 × 5 MiB ≈ 48.83 GiB.
    const five = { preferredPartSize: MIN_PART_SIZE };
    expect(planParts(MAX_PARTS * MIN_PART_SIZE, five)).toMatchObject({ partSize: 5 * MiB, partCount: MAX_PARTS });
    expect(planParts(MAX_PARTS * MIN_PART_SIZE + 1, five)).toMatchObject({ partSize: 6 * MiB, partCount: 8334 });
  });

  it('plans 48.8 GiB in 16 MiB parts, and in 5 MiB parts just under the 10,000 limit', () => {
    const size = Math.round(48.8 * GiB);
    const plan = planParts(size);
    expect(plan).toMatchObject({ single: false, partSize: 16 * MiB, partCount: Math.ceil(size / (16 * MiB)) });
    expectValidPlan(plan, size);
    const small = planParts(size, { preferredPartSize: MIN_PART_SIZE });
    expect(small.partSize).toBe(MIN_PART_SIZE);
    expect(small.partCount).toBe(9995);
    // 49 GiB no longer fits in 10,000 × 5 MiB.
    expect(planParts(49 * GiB, { preferredPartSize: MIN_PART_SIZE }).partSize).toBe(6 * MiB);
  });

  it('refuses 0, negative, fractional and over-5-TiB sizes with a ValidationError', () => {
    for (const size of [0, -1, 1.5, Number.NaN, MAX_OBJECT_SIZE + 1, 6 * TiB]) {
      const error = catchError(() => planParts(size));
      expect(error, String(size)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toMatch(/文件/);
    }
  });

  it('refuses options outside S3 limits', () => {
    expect(() => planParts(100 * MiB, { preferredPartSize: MIN_PART_SIZE - 1 })).toThrow(RangeError);
    expect(() => planParts(100 * MiB, { preferredPartSize: MAX_PART_SIZE + 1 })).toThrow(RangeError);
    expect(() => planParts(100 * MiB, { singlePutThreshold: SINGLE_PUT_MAX + 1 })).toThrow(RangeError);
  });

  it('can always go multipart (threshold 0); a file below 5 MiB is then one short last part', () => {
    const plan = planParts(1000, { singlePutThreshold: 0 });
    expect(plan).toMatchObject({ single: false, partCount: 1 });
    expect(plan.parts).toEqual([{ partNumber: 1, start: 0, end: 1000, size: 1000 }]);
  });
});

describe('missingParts', () => {
  const plan = planParts(100 * MiB); // 7 parts of 16 MiB, the last 4 MiB

  it('lists every part when nothing is uploaded, none when all are', () => {
    expect(plan.partCount).toBe(7);
    expect(missingParts(plan, [])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(missingParts(plan, plan.parts.map((p) => ({ partNumber: p.partNumber, etag: `"etag-${p.partNumber}"` })))).toEqual([]);
  });

  it('lists the gaps in order, ignoring empty ETags, duplicates and part numbers outside the plan', () => {
    const uploaded = [
      { partNumber: 3, etag: '"c"' },
      { partNumber: 1, etag: '"a"' },
      { partNumber: 1, etag: '"a2"' },
      { partNumber: 5, etag: '' },
      { partNumber: 9, etag: '"x"' },
      { partNumber: 0, etag: '"y"' },
    ];
    expect(missingParts(plan, uploaded)).toEqual([2, 4, 5, 6, 7]);
  });

  it('missing ∪ uploaded is the whole plan, and they are disjoint (property)', () => {
    fc.assert(
      fc.property(anySize, fc.array(fc.integer({ min: 1, max: MAX_PARTS }), { maxLength: 200 }), (size, done) => {
        const p = planParts(size);
        const uploaded = done.map((partNumber) => ({ partNumber, etag: `"${partNumber}"` }));
        const missing = missingParts(p, uploaded);
        const doneInPlan = new Set(done.filter((n) => n <= p.partCount));
        expect(missing.length + doneInPlan.size).toBe(p.partCount);
        expect(missing.some((n) => doneInPlan.has(n))).toBe(false);
        expect(missing.every((n, i) => n >= 1 && n <= p.partCount && (i === 0 || n > missing[i - 1]!))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('startUploadBody', () => {
  const now = new Date('2026-03-05T10:00:00+08:00');
  const schema = startUploadBodyAt(now);
  const valid = {
    caseId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
    actId: '0b7e6c1a-2d3f-4a5b-9c8d-7e6f5a4b3c2d',
    mediaType: 'VIDEO',
    fileName: '执法记录仪_20260305_0930.mp4',
    contentType: 'video/mp4',
    sizeBytes: 1_234_567_890,
    sha256: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855',
    capturedAt: '2026-03-05T09:30:00+08:00',
    capturePlace: { text: '某市某区某路 1 号某超市仓库', gps: { lat: 30.2741, lon: 120.1551, accuracyMeters: 5 } },
    collectorOfficerId: 'officer-0001',
    proves: '当事人仓库内存放过期食品 12 箱的事实',
  };

  const messagesOf = (input: unknown): string[] => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts a complete request and lower-cases the hash', () => {
    const body = schema.parse(valid);
    expect(body.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(body.capturePlace.gps).toEqual({ lat: 30.2741, lon: 120.1551, accuracyMeters: 5 });
  });

  it('accepts the minimum: no actId, contentType or GPS; 5 TiB exactly; capture at now', () => {
    const { actId: _a, contentType: _c, ...rest } = valid;
    const body = schema.parse({ ...rest, sizeBytes: MAX_OBJECT_SIZE, capturedAt: now.toISOString(), capturePlace: { text: '现场' } });
    expect(body.actId).toBeUndefined();
    expect(body.capturePlace.gps).toBeUndefined();
  });

  it('refuses a capture time in the future, in Chinese', () => {
    expect(messagesOf({ ...valid, capturedAt: '2026-03-05T10:00:01+08:00' })).toEqual(['capturedAt: 采集时间不能晚于当前时间']);
    // A tolerated device clock skew is opt-in.
    expect(startUploadBodyAt(now, 60_000).safeParse({ ...valid, capturedAt: '2026-03-05T10:00:30+08:00' }).success).toBe(true);
  });

  it('refuses a capture time without an offset or not a time', () => {
    expect(messagesOf({ ...valid, capturedAt: '2026-03-05T09:30:00' })[0]).toMatch(/带时区/);
    expect(messagesOf({ ...valid, capturedAt: '昨天' })[0]).toMatch(/^capturedAt: /);
  });

  it('refuses a SHA-256 that is not 64 hex characters', () => {
    for (const sha256 of ['abc', 'g'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), `${'a'.repeat(62)} b`]) {
      expect(messagesOf({ ...valid, sha256 }), sha256).toEqual(['sha256: SHA-256 应为 64 位十六进制字符']);
    }
  });

  it('refuses a path or control characters in the file name', () => {
    for (const name of ['../etc/passwd', 'dir/a.mp4', 'C:\\evidence\\a.mp4', 'a\u0000.mp4', 'a\nb.mp4', '..', '']) {
      const messages = messagesOf({ ...valid, fileName: name });
      expect(messages.length, JSON.stringify(name)).toBeGreaterThan(0);
      expect(messages[0]).toMatch(/^fileName: .*文件名/);
    }
    expect(messagesOf({ ...valid, fileName: 'a'.repeat(201) })).toEqual(['fileName: 文件名不能超过 200 个字符']);
  });

  it('refuses GPS out of range and a negative accuracy', () => {
    const place = (gps: unknown) => ({ ...valid, capturePlace: { text: '现场', gps } });
    expect(messagesOf(place({ lat: 90.0001, lon: 0 }))).toEqual(['capturePlace.gps.lat: 纬度应在 -90 到 90 之间']);
    expect(messagesOf(place({ lat: 0, lon: -180.5 }))).toEqual(['capturePlace.gps.lon: 经度应在 -180 到 180 之间']);
    expect(messagesOf(place({ lat: 0, lon: 0, accuracyMeters: -1 }))).toEqual(['capturePlace.gps.accuracyMeters: 定位精度应在 0 到 100000 米之间']);
    expect(schema.safeParse(place({ lat: -90, lon: 180, accuracyMeters: 0 })).success).toBe(true);
  });

  it('refuses unknown fields, including a caseNo (derived from the case)', () => {
    const messages = messagesOf({ ...valid, caseNo: '某市监罚〔2026〕1 号' });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/caseNo/);
    expect(messages[0]).toMatch(/[\u4e00-\u9fff]/);
    expect(messagesOf({ ...valid, capturePlace: { text: '现场', altitude: 3 } })[0]).toMatch(/altitude/);
  });

  it('refuses sizes outside 1..5 TiB and non-integers', () => {
    expect(messagesOf({ ...valid, sizeBytes: 0 })).toEqual(['sizeBytes: 文件不能为空']);
    expect(messagesOf({ ...valid, sizeBytes: MAX_OBJECT_SIZE + 1 })).toEqual(['sizeBytes: 文件大小超过上限 5 TiB']);
    expect(messagesOf({ ...valid, sizeBytes: 1.5 })).toEqual(['sizeBytes: 文件大小应为整数字节']);
  });

  it('refuses missing R4 fields, bad ids, media types and MIME types, all in Chinese', () => {
    const { capturedAt: _t, capturePlace: _p, collectorOfficerId: _c, proves: _w, ...noR4 } = valid;
    const paths = messagesOf(noR4).map((m) => m.split(':')[0]);
    expect(paths.sort()).toEqual(['capturePlace', 'capturedAt', 'collectorOfficerId', 'proves']);
    expect(messagesOf({ ...valid, caseId: 'case-1' })).toEqual(['caseId: 案件编号（caseId）应为 UUID']);
    expect(messagesOf({ ...valid, mediaType: 'HOLOGRAM' })).toEqual(['mediaType: 媒体类型应为 VIDEO、AUDIO、PHOTO 或 DOCUMENT']);
    expect(messagesOf({ ...valid, contentType: 'mp4' })).toEqual(['contentType: 文件类型应为 MIME 类型，如 video/mp4']);
    expect(messagesOf({ ...valid, proves: '证' })).toEqual(['proves: 证明对象至少 2 个字符']);
    expect(messagesOf({ ...valid, capturePlace: { text: '某' } })).toEqual(['capturePlace.text: 采集地点至少 2 个字符']);
    for (const m of messagesOf({ ...noR4, sha256: 'x', fileName: '' })) expect(m).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('evidenceManifest', () => {
  const fields = {
    evidenceId: 'ev-1',
    caseNo: '某市监罚〔2026〕1 号',
    sha256: 'AB'.repeat(32),
    sizeBytes: 42,
    capturedAt: '2026-03-05T09:30:00+08:00',
    capturePlace: { text: '现场', gps: { lat: 1, lon: 2 } },
    collectorOfficerId: 'officer-0001',
    proves: '证明事实',
    mediaType: 'PHOTO' as const,
    sealedAt: '2026-03-05T02:00:00.000Z',
  };

  it('keeps exactly the manifest fields, hash lower-cased', () => {
    const manifest = evidenceManifest({ ...fields, uploadId: 'u-1', extra: true } as typeof fields);
    expect(Object.keys(manifest).sort()).toEqual(
      ['capturePlace', 'capturedAt', 'caseNo', 'collectorOfficerId', 'evidenceId', 'mediaType', 'proves', 'sealedAt', 'sha256', 'sizeBytes'],
    );
    expect(manifest.sha256).toBe('ab'.repeat(32));
    expect(manifest.capturePlace).toEqual({ text: '现场', gps: { lat: 1, lon: 2 } });
  });

  it('has one canonical JSON whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as typeof fields;
    expect(manifestCanonicalJson(reordered)).toBe(manifestCanonicalJson(fields));
    expect(manifestCanonicalJson(fields)).toBe(canonicalJson(evidenceManifest(fields)));
    expect(manifestCanonicalJson(fields).startsWith('{"capturePlace":{"gps":{"lat":1,"lon":2},"text":"现场"},"capturedAt":')).toBe(true);
    expect(manifestCanonicalJson({ ...fields, capturePlace: { text: '现场' } })).not.toMatch(/gps/);
  });
});
