/**
 * No personal data in the permanent audit trail (issue 10, point 9): free text in an audit event's
 * change passes through the redaction detectors before it is chained, the redaction is recorded as
 * `redacted: [{field, kinds}]`, structured values (digests, ids, numbers, credit codes, dates) are left
 * alone, and the chain still verifies.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChainVerifier, GENESIS_HASH, chainEvents, type AuditEventInput } from '../../shared/domain/audit.ts';
import { REDACTED_KEY, redactAuditChange, redactAuditEvent } from '../../shared/domain/audit-redaction.ts';
import { creditCodeCheckChar, idNumberCheckChar } from '../../shared/domain/identifiers.ts';

const idNumber = (first17 = '32130219850312123') => first17 + idNumberCheckChar(first17);
const ID = idNumber();
const PHONE = '13912345678';
const meta = { at: '2026-03-05T02:00:00.000Z', requestId: 'req-1', actor: { sub: 'u1', name: '承办人', groups: ['officer'] } };

const event = (change: Record<string, unknown>): AuditEventInput => ({ action: 'evidence.access', entityType: 'Evidence', entityId: 'e-1', change });

describe('redactAuditEvent', () => {
  it('removes an ID number and a phone from a download reason and records the field and the kinds, never the values', () => {
    const out = redactAuditEvent(event({ caseNo: '宿市监立〔2026〕12号', reason: `当事人身份证 ${ID}，电话 ${PHONE}，复核录像`, expiresInSeconds: 300 }));
    const json = JSON.stringify(out);
    expect(json).not.toContain(ID);
    expect(json).not.toContain(PHONE);
    expect(out.change.reason).toBe('当事人身份证 [身份证号已隐去]，电话 [电话已隐去]，复核录像');
    expect(out.change[REDACTED_KEY]).toEqual([{ field: 'reason', kinds: ['ID_NUMBER', 'PHONE'] }]);
    // Everything else as it was.
    expect(out.change.caseNo).toBe('宿市监立〔2026〕12号');
    expect(out.change.expiresInSeconds).toBe(300);
    expect(out.action).toBe('evidence.access');
  });

  it('walks nested objects and arrays and names each field by its path', () => {
    const out = redactAuditEvent(
      event({
        materials: [{ name: '询问笔录', note: '无' }, { name: '身份证复印件', note: `号码 ${ID}` }],
        response: { text: `联系邮箱 zhang.san@example.com，银行卡 4111 1111 1111 1111` },
      }),
    );
    expect(out.change[REDACTED_KEY]).toEqual([
      { field: 'materials[1].note', kinds: ['ID_NUMBER'] },
      { field: 'response.text', kinds: ['BANK_ACCOUNT', 'EMAIL'] },
    ]);
    expect(JSON.stringify(out)).not.toMatch(/zhang\.san|4111 1111|3213021985/);
    expect((out.change.materials as { note: string }[])[0]!.note).toBe('无');
  });

  it('leaves structured values alone: digests, ids, case and decision numbers, credit codes, dates and instants', () => {
    // A SHA-256 whose digits hold a valid ID number: the detector would take it, the key shields it.
    const digest = `ab${ID}${'c'.repeat(64 - 2 - ID.length)}`;
    const creditFirst17 = '91321300MA1W2X3Y4';
    const creditCode = creditFirst17 + creditCodeCheckChar(creditFirst17);
    const change = {
      sha256: digest,
      draftHash: { from: digest, to: digest },
      actualSha256: digest,
      checksum: digest,
      officerId: ID,
      handlingOfficerIds: [ID],
      certificateNo: PHONE,
      decisionNo: `宿市监罚〔2026〕${PHONE}号`,
      creditCode: ID,
      decisionDueDate: { from: '2026-06-01', to: '2026-07-01' },
      retainUntil: '2056-03-05T02:00:00.000Z',
      changedOn: '2026-03-05',
      note: `当事人统一社会信用代码 ${creditCode}，依法处理`,
    };
    const out = redactAuditEvent(event(change));
    expect(out.change).toEqual(change);
    expect(out.change[REDACTED_KEY]).toBeUndefined();
  });

  it('returns the very event when nothing personal is in it', () => {
    const input = event({ reason: '复核执法过程', materials: ['询问笔录', '现场照片'], count: 3, flag: true, none: null });
    expect(redactAuditEvent(input)).toBe(input);
  });

  it('refuses a change that uses the reserved key itself', () => {
    expect(() => redactAuditEvent(event({ redacted: 2 }))).toThrow(/reserved/);
  });

  it('the chain of redacted events verifies', () => {
    const inputs = [event({ reason: `身份证 ${ID}` }), event({ reason: '无' }), event({ note: `电话 ${PHONE}` })].map(redactAuditEvent);
    const chained = chainEvents({ seq: 0, hash: GENESIS_HASH }, inputs, meta);
    const verifier = new ChainVerifier();
    for (const e of chained) expect(verifier.push(e)).toBe(true);
    expect(verifier.finish({ seq: 3, hash: chained.at(-1)!.hash })).toBeUndefined();
    expect(JSON.stringify(chained)).not.toContain(ID);
  });

  it('property: an ID number or mobile number anywhere in free text never survives, at any depth', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
    const idArb = fc.tuple(digits(6), fc.integer({ min: 1950, max: 2010 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), digits(3)).map(
      ([region, y, m, d, seq]) => idNumber(`${region}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}`),
    );
    const mobileArb = fc.tuple(fc.constantFrom(...'3456789'), digits(9)).map(([second, rest]) => `1${second}${rest}`);
    const textArb = fc.constantFrom('调取原因：', '备注 ', '当事人', '，', ' ');
    fc.assert(
      fc.property(fc.oneof(idArb, mobileArb), textArb, textArb, fc.constantFrom('reason', 'note', 'opinion', 'summary'), fc.boolean(), (secret, before, after, key, nested) => {
        const text = `${before}${secret}${after}`;
        const change = nested ? { materials: [{ [key]: text }] } : { [key]: text };
        const { change: out, redacted } = redactAuditChange(change);
        expect(JSON.stringify(out)).not.toContain(secret);
        expect(redacted).toHaveLength(1);
        expect(redacted[0]!.field).toBe(nested ? `materials[0].${key}` : key);
      }),
      { numRuns: 300 },
    );
  });
});
