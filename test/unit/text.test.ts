/**
 * Clean text and bounded numbers at the edge (S3, issue 10 points 6 and 7): what the schema builders
 * accept is normalised, well-formed, visible text; everything else is refused with a zh-CN message.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as z from '../../shared/domain/z.ts';
import { entityRef, hasLoneSurrogate, isInvisibleOnly, multiLineText, normaliseText, singleLineText, textProblem } from '../../shared/domain/text.ts';
import { decimal, hasAtMostDecimals, stepped, versionNo } from '../../shared/domain/numbers.ts';
import { calendarDate, pastDate, pastInstant } from '../../shared/domain/dates.ts';
import { gps } from '../../shared/domain/evidence.ts';
import { trainingBody } from '../../shared/domain/officer.ts';
import { actBody } from '../../shared/domain/case.ts';
import { opinionBody, CHECKLIST_POINTS, MAX_OPINION_TEXT } from '../../shared/domain/review.ts';

const single = singleLineText({ min: 2, max: 50, label: '名称' });
const multi = multiLineText({ max: 200 });

const messages = (schema: z.ZodType, input: unknown): string[] => {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

/** Any UTF-16 code unit, lone surrogates included. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyString = fc.string({ unit: anyUnit, maxLength: 40 });
/** Ordinary visible text: CJK and Latin letters and digits. */
const visibleChar = fc.oneof(fc.integer({ min: 0x4e00, max: 0x9fa5 }), fc.integer({ min: 0x41, max: 0x5a }), fc.integer({ min: 0x30, max: 0x39 })).map((c) => String.fromCharCode(c));
const visibleText = fc.string({ unit: visibleChar, minLength: 2, maxLength: 40 });

const FORBIDDEN_ANYWHERE = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u202e', '\u202a', '\u2066', '\u2069', '\u2028', '\ud800', '\udfff'];
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u3000', ' '];

describe('singleLineText and multiLineText', () => {
  it('accept ordinary text, trimmed and in NFC', () => {
    expect(single.parse('  宿迁市某某公司 ')).toBe('宿迁市某某公司');
    // e + combining acute (NFD) becomes é (NFC): the same name compares equal however it was typed.
    expect(single.parse('Cafe\u0301 店')).toBe('Café 店');
    expect(multi.parse('第一行\r\n第二行\r第三行\t（缩进）\n')).toBe('第一行\n第二行\n第三行\t（缩进）');
  });

  it.each(FORBIDDEN_ANYWHERE.map((c) => [JSON.stringify(c), c]))('refuse %s inside a value, single- and multi-line', (_name, c) => {
    expect(messages(single, `某某${c}公司`)).toHaveLength(1);
    expect(messages(multi, `某某${c}公司`)).toHaveLength(1);
  });

  it('refuse line breaks and tabs in a single line, allow them in multi-line text', () => {
    expect(messages(single, '第一行\n第二行')).toEqual(['名称不能包含换行符、制表符或其他控制字符']);
    expect(messages(single, '甲\t乙')).toHaveLength(1);
    expect(multi.safeParse('第一行\n\t第二行').success).toBe(true);
  });

  it('name the problem in Chinese, with the label', () => {
    expect(messages(single, '某某\u0000公司')).toEqual(['名称不能包含换行符、制表符或其他控制字符']);
    expect(messages(single, '某某\u202e公司')).toEqual(['名称不能包含改变文字方向的控制字符（U+202A–U+202E、U+2066–U+2069）']);
    expect(messages(single, '某某\ud800公司')).toEqual(['名称包含无效的 Unicode 字符（不成对的代理项）']);
    expect(messages(single, '\u200b\u200b\u200b')).toEqual(['名称不能只由空白或不可见字符组成']);
    expect(messages(single, '甲')).toEqual(['名称至少 2 个字符']);
  });

  it('refuse values made only of invisible characters, but allow them inside visible text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...INVISIBLE), { minLength: 2, maxLength: 20 }), (chars) => {
        expect(single.safeParse(chars.join('')).success).toBe(false);
      }),
    );
    expect(single.parse('张\u200d三')).toBe('张\u200d三');
    // An optional text may be empty; an invisible-only one is still refused.
    expect(multi.parse('   ')).toBe('');
    expect(multi.safeParse('\u200b').success).toBe(false);
  });

  it('accept every ordinary visible text unchanged (property)', () => {
    fc.assert(
      fc.property(visibleText, (s) => {
        expect(single.parse(s)).toBe(s);
        expect(multi.parse(s)).toBe(s);
      }),
    );
  });

  it('whatever the input, what they accept is clean, normalised and within bounds (property)', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        for (const [schema, multiLine] of [[single, false], [multi, true]] as const) {
          const r = schema.safeParse(s);
          if (!r.success) {
            // Refused: always with a Chinese message.
            expect(r.error.issues.every((i) => /[\u4e00-\u9fa5]/.test(i.message))).toBe(true);
            continue;
          }
          const v = r.data;
          expect(v).toBe(normaliseText(s, multiLine));
          expect(v.normalize('NFC')).toBe(v);
          expect(v.trim()).toBe(v);
          expect(hasLoneSurrogate(v)).toBe(false);
          expect(v).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
          if (!multiLine) expect(v).not.toMatch(/[\n\t]/);
          expect(v.length).toBeLessThanOrEqual(multiLine ? 200 : 50);
          if (v !== '') expect(isInvisibleOnly(v)).toBe(false);
          expect(textProblem(v, multiLine)).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a forbidden character anywhere in otherwise good text is refused (property)', () => {
    fc.assert(
      fc.property(visibleText, fc.constantFrom(...FORBIDDEN_ANYWHERE), fc.nat(), (s, bad, at) => {
        const i = at % (s.length + 1);
        const v = `甲${s.slice(0, i)}${bad}${s.slice(i)}乙`;
        expect(single.safeParse(v).success).toBe(false);
        expect(multi.safeParse(v).success).toBe(false);
      }),
    );
  });

  it('refuse bounds that make no sense when the schema is built', () => {
    expect(() => singleLineText({ min: 5, max: 2 })).toThrow(RangeError);
    expect(() => multiLineText({ max: 0 })).toThrow(RangeError);
  });

  it('stay representable in JSON Schema (OpenAPI) with their bounds', () => {
    const json = z.toJSONSchema(singleLineText({ min: 2, max: 30 }), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    expect(json).toMatchObject({ type: 'string', minLength: 2, maxLength: 30 });
  });
});

describe('entityRef', () => {
  it('takes UUIDs and slugs, refuses anything that is not printable ASCII', () => {
    expect(entityRef.safeParse('2f0c6a4e-1b7d-4c1e-9d7a-1c2b3d4e5f60').success).toBe(true);
    expect(entityRef.safeParse('me').success).toBe(true);
    for (const bad of ['', 'a\u0000', '张三', 'a b', 'x'.repeat(65), '\u200b']) expect(entityRef.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('numbers within what the store takes', () => {
  it('hasAtMostDecimals tells doubles of short decimals from the rest', () => {
    expect(hasAtMostDecimals(31.1234567, 7)).toBe(true);
    expect(hasAtMostDecimals(-118.7654321, 7)).toBe(true);
    expect(hasAtMostDecimals(0, 7)).toBe(true);
    expect(hasAtMostDecimals(31.12345678, 7)).toBe(false);
    expect(hasAtMostDecimals(1e-300, 7)).toBe(false);
    expect(hasAtMostDecimals(5e-324, 7)).toBe(false);
    expect(hasAtMostDecimals(Number.NaN, 7)).toBe(false);
  });

  it('every decimal with at most 7 places passes, every one with an 8th does not (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_800_000_000, max: 1_800_000_000 }), fc.integer({ min: 1, max: 9 }), (units, extra) => {
        expect(hasAtMostDecimals(Number((units / 1e7).toFixed(7)), 7)).toBe(true);
        expect(hasAtMostDecimals(Number(`${(units / 1e7).toFixed(7)}${extra}`), 7)).toBe(false);
      }),
    );
  });

  it('GPS: the reported values are refused, real fixes pass', () => {
    for (const bad of [{ lat: 1e-300, lon: 0 }, { lat: 0, lon: 5e-324 }, { lat: 31, lon: 118, accuracyMeters: 1e21 }, { lat: 31, lon: 118, accuracyMeters: 100_000.01 }, { lat: 31.123456789, lon: 118 }]) {
      expect(gps.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(gps.safeParse({ lat: 33.9611245, lon: 118.2752311, accuracyMeters: 4.5 }).success).toBe(true);
    expect(gps.safeParse({ lat: -90, lon: 180, accuracyMeters: 100_000 }).success).toBe(true);
    expect(messages(gps, { lat: 31.123456789, lon: 118 })).toEqual(['纬度最多保留 7 位小数']);
  });

  it('training hours: half hours from 0.5 to 400; 5e-324 is refused', () => {
    const base = { version: 1, year: 2026, course: '行政处罚法', completedOn: '2026-05-01' };
    for (const hours of [5e-324, 1e-300, 0, 0.25, 400.5, 1e21]) expect(trainingBody.safeParse({ ...base, hours }).success, String(hours)).toBe(false);
    for (const hours of [0.5, 1, 12.5, 400]) expect(trainingBody.safeParse({ ...base, hours }).success, String(hours)).toBe(true);
  });

  it('decimal and stepped builders: ranges and steps (property)', () => {
    const metres = decimal({ min: 0, max: 100_000, places: 2, label: '距离', unit: '米' });
    const halves = stepped({ min: 0.5, max: 400, step: 0.5, label: '学时' });
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        if (metres.safeParse(x).success) expect(x >= 0 && x <= 100_000 && Number(x.toFixed(2)) === x).toBe(true);
        if (halves.safeParse(x).success) expect(Number.isInteger(x * 2) && x >= 0.5 && x <= 400).toBe(true);
      }),
    );
    expect(messages(metres, -1)).toEqual(['距离应在 0 到 100000 米之间']);
    expect(() => stepped({ min: 0, max: 1, step: 0.3, label: 'x' })).toThrow(RangeError);
  });

  it('versions are bounded safe integers', () => {
    for (const v of [0, -1, 1.5, 1e21, 2 ** 53]) expect(versionNo.safeParse(v).success, String(v)).toBe(false);
    expect(versionNo.safeParse(7).success).toBe(true);
  });
});

describe('plausible dates and instants', () => {
  const now = new Date('2026-06-01T04:00:00Z'); // 12:00 in Shanghai
  const past = pastInstant({ clock: () => now });

  it('refuse instants before 2000 (0000-01-01 included) and beyond the clock skew', () => {
    for (const bad of ['0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2026-06-01T04:05:01Z', '2026-06-01T12:05:01+08:00', '9999-12-31T23:59:59Z']) {
      expect(past.safeParse(bad).success, bad).toBe(false);
    }
    for (const ok of ['2000-01-01T00:00:00Z', '2026-06-01T04:04:59Z', '2026-06-01T12:00:00+08:00']) expect(past.safeParse(ok).success, ok).toBe(true);
    expect(messages(past, '0000-01-01T00:00:00Z')).toEqual(['时间不能早于 2000 年']);
  });

  it('past dates: from 2000 to today in Shanghai', () => {
    const late = new Date('2026-06-01T16:30:00Z'); // already 2 June in Shanghai
    const date = pastDate({ clock: () => late, futureMessage: '不能晚于今天' });
    expect(date.safeParse('2026-06-02').success).toBe(true);
    expect(messages(date, '2026-06-03')).toEqual(['不能晚于今天']);
    expect(date.safeParse('1999-12-31').success).toBe(false);
    expect(messages(date, '2026-02-30')).toEqual(['日期无效，应为真实存在的日期，格式 YYYY-MM-DD']);
  });

  it('calendar dates that may lie ahead: 2000 to 2100', () => {
    expect(calendarDate.safeParse('2100-12-31').success).toBe(true);
    expect(calendarDate.safeParse('2101-01-01').success).toBe(false);
    expect(calendarDate.safeParse('1999-12-31').success).toBe(false);
  });

  it('an act dated 0000-01-01 is refused', () => {
    const act = { type: 'OTHER', at: '0000-01-01T00:00:00Z', place: '某某市场', officerIds: ['o-1'] };
    expect(actBody.safeParse(act).success).toBe(false);
    expect(actBody.safeParse({ ...act, at: '2026-03-05T09:30:00+08:00' }).success).toBe(true);
  });
});

describe('opinion size', () => {
  it('an opinion longer than the limit is a field-level refusal', () => {
    const checklist = Object.fromEntries(CHECKLIST_POINTS.map((p) => [p, { passed: true }]));
    const body = { version: 1, checklist, documentsComplete: true, suspectedCrime: false, outcome: 'APPROVE', opinion: '审'.repeat(MAX_OPINION_TEXT) };
    expect(opinionBody.safeParse(body).success).toBe(true);
    const r = opinionBody.safeParse({ ...body, opinion: '审'.repeat(MAX_OPINION_TEXT + 1) });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['opinion']);
  });
});

describe('decision documents within what publication can store', () => {
  it('a draft whose document needs more than MAX_REDACTIONS removals is refused at documentText', async () => {
    const { decisionDraftBody, MAX_REDACTIONS, redactionCount } = await import('../../shared/domain/decision.ts');
    const { idNumberCheckChar } = await import('../../shared/domain/identifiers.ts');
    const id = (i: number) => {
      const first = `321302${1950 + Math.floor(i / 1000)}0101${String(i % 1000).padStart(3, '0')}`;
      return first + idNumberCheckChar(first);
    };
    const text = (n: number) => Array.from({ length: n }, (_, i) => id(i)).join('、');
    expect(redactionCount(text(3))).toBe(3);
    expect(redactionCount('证人王五、王五作证', ['王五'])).toBe(2);
    const draft = { version: 0, kind: 'PENALTY', decisionNo: '测〔2026〕1号', procedure: 'SIMPLE', conclusion: '警告', penalties: ['WARNING'], legalBasis: '依据', facts: '事实', decisionDate: '2026-03-05' };
    expect(decisionDraftBody.safeParse({ ...draft, documentText: text(MAX_REDACTIONS) }).success).toBe(true);
    const r = decisionDraftBody.safeParse({ ...draft, documentText: text(MAX_REDACTIONS + 1) });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['documentText']);
  });
});
