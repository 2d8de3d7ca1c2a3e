/**
 * Redaction of a decision for publication (D9, N2): what the public sees of a natural person's
 * decision, what stays public for an organisation, and the manifest that proves the published text
 * equals the served text but for the listed removals, without itself revealing what was removed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redactDecision } from '../../shared/domain/redact-decision.ts';
import { DEFAULT_REDACTION_POLICY, verifyRedactionManifest } from '../../shared/domain/redaction.ts';
import type { RedactableParty } from '../../shared/domain/redaction.ts';
import { creditCodeCheckChar, idNumberCheckChar } from '../../shared/domain/identifiers.ts';

const SALT = 'case-2026-0015-secret-salt';
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const ID_NUMBER = '32130219800101123' + idNumberCheckChar('32130219800101123');
const REP_ID_NUMBER = '11010519491231002X';
const CREDIT_CODE = '91321302MA1MXKQ7Y' + creditCodeCheckChar('91321302MA1MXKQ7Y');

describe('redactDecision for a natural person', () => {
  const person: RedactableParty = {
    kind: 'PERSON',
    name: '张三丰',
    idNumber: ID_NUMBER,
    phone: '13912345678',
    address: '宿迁市宿城区幸福路88号',
  };
  const thirdPartyNames = ['李小龙', '王五'];
  const removed = [person.name, ID_NUMBER, '13912345678', '139-1234-5678', person.address!, ...thirdPartyNames];
  const served = [
    '宿迁市市场监督管理局行政处罚决定书 宿市监处罚〔2026〕15号',
    `当事人：张三丰，身份证号码：${ID_NUMBER}，住址：宿迁市宿城区幸福路88号，联系电话：13912345678。`,
    '经查，2026年1月，张三丰在其经营场所销售超过保质期的食品，证人李小龙、王五证实上述事实。',
    '张三丰的另一联系方式为139-1234-5678。',
    '依据《中华人民共和国食品安全法》第一百二十四条，决定罚款人民币5000元。',
  ].join('\n');
  const result = redactDecision({ party: person, documentText: served, thirdPartyNames, salt: SALT, createdAt: '2026-03-06T01:00:00.000Z' });

  it('shows the party by surname only', () => {
    expect(result.partyName).toBe('张某某');
  });

  it('removes the ID number, phone numbers, address and third-party names from the document', () => {
    for (const value of removed) expect(result.documentText).not.toContain(value);
    expect(result.documentText).toContain('当事人：张某某，身份证号码：[身份证号已隐去]，住址：[住址已隐去]，联系电话：[电话已隐去]。');
    expect(result.documentText).toContain('证人[第三人姓名已隐去]、[第三人姓名已隐去]证实上述事实');
    expect(result.documentText).toContain('张某某的另一联系方式为[电话已隐去]。');
  });

  it('keeps everything else of the served text as it was', () => {
    expect(result.documentText).toContain('宿市监处罚〔2026〕15号');
    expect(result.documentText).toContain('依据《中华人民共和国食品安全法》第一百二十四条，决定罚款人民币5000元。');
    expect(result.documentText).toContain('经查，2026年1月，张某某在其经营场所销售超过保质期的食品');
  });

  it('applies the same known values to another published field', () => {
    expect(result.redactOther('张三丰销售过期食品，李小龙举报，电话13912345678')).toBe('张某某销售过期食品，[第三人姓名已隐去]举报，电话[电话已隐去]');
    expect(result.redactOther('销售超过保质期的食品')).toBe('销售超过保质期的食品');
  });

  it('records hashes of the served and published texts in the manifest', () => {
    expect(result.manifest.servedSha256).toBe(sha256(served));
    expect(result.manifest.publishedSha256).toBe(sha256(result.documentText));
    expect(result.manifest.policyVersion).toBe(DEFAULT_REDACTION_POLICY.version);
    expect(result.manifest.createdAt).toBe('2026-03-06T01:00:00.000Z');
    expect(verifyRedactionManifest(result.manifest, served, result.documentText, { salt: SALT, policy: DEFAULT_REDACTION_POLICY })).toBe(true);
  });

  it('lists each removal by position, so the served text is the published text but for them', () => {
    for (const f of result.manifest.findings) {
      expect(served.slice(f.start, f.end).length).toBe(f.length);
      expect(result.documentText).toContain(f.replacement);
    }
    const categories = new Set(result.manifest.findings.map((f) => f.category));
    expect(categories).toEqual(new Set(['PERSON_NAME', 'ID_NUMBER', 'ADDRESS', 'PHONE', 'THIRD_PARTY_NAME']));
  });

  it('never puts a removed value or the salt in the manifest', () => {
    const json = JSON.stringify(result.manifest);
    for (const value of [...removed, '19800101', SALT]) expect(json).not.toContain(value);
  });

  it('keeps personal data out of the manifest and the published text for any phone number and third-party name', () => {
    const mobile = fc.tuple(fc.constantFrom(...'3456789'), fc.stringMatching(/^\d{9}$/)).map(([second, rest]) => `1${second}${rest}`);
    const hanName = fc.array(fc.constantFrom(...'赵钱孙周吴郑冯陈褚卫蒋沈韩杨'), { minLength: 2, maxLength: 3 }).map((a) => a.join(''));
    fc.assert(
      fc.property(mobile, hanName, (phone, witness) => {
        const text = `当事人张三丰，电话${phone}，证人${witness}在场。罚款人民币100元。`;
        const r = redactDecision({ party: { ...person, phone }, documentText: text, thirdPartyNames: [witness], salt: SALT });
        const json = JSON.stringify(r.manifest);
        for (const value of [phone, witness, '张三丰']) {
          expect(r.documentText).not.toContain(value);
          expect(json).not.toContain(value);
        }
        expect(r.documentText).toContain('罚款人民币100元。');
        expect(r.manifest.publishedSha256).toBe(sha256(r.documentText));
      }),
    );
  });
});

describe('redactDecision for an organisation', () => {
  const org: RedactableParty = {
    kind: 'ORG',
    name: '宿迁市某某食品有限公司',
    creditCode: CREDIT_CODE,
    legalRepresentative: '王大锤',
    idNumber: REP_ID_NUMBER,
    address: '宿迁市宿城区工业园区8号',
  };
  const served = [
    `当事人：宿迁市某某食品有限公司，统一社会信用代码：${CREDIT_CODE}，住所：宿迁市宿城区工业园区8号，`,
    `法定代表人：王大锤，身份证号码：${REP_ID_NUMBER}。证人赵六证实上述事实。`,
  ].join('');
  const result = redactDecision({ party: org, documentText: served, thirdPartyNames: ['赵六'], salt: SALT });

  it('publishes the name, credit code, registered address and legal representative as they are', () => {
    expect(result.partyName).toBe('宿迁市某某食品有限公司');
    expect(result.documentText).toContain(`当事人：宿迁市某某食品有限公司，统一社会信用代码：${CREDIT_CODE}，住所：宿迁市宿城区工业园区8号，`);
    expect(result.documentText).toContain('法定代表人：王大锤，');
    expect(result.redactOther('宿迁市某某食品有限公司（法定代表人王大锤）销售过期食品')).toBe('宿迁市某某食品有限公司（法定代表人王大锤）销售过期食品');
  });

  it("still removes the representative's ID number and third parties' names", () => {
    expect(result.documentText).not.toContain(REP_ID_NUMBER);
    expect(result.documentText).not.toContain('赵六');
    expect(result.documentText).toContain('身份证号码：[身份证号已隐去]。证人[第三人姓名已隐去]证实上述事实。');
    expect(JSON.stringify(result.manifest)).not.toContain(REP_ID_NUMBER);
    expect(result.manifest.servedSha256).toBe(sha256(served));
    expect(result.manifest.publishedSha256).toBe(sha256(result.documentText));
  });
});

describe('redactDecision for an individual business', () => {
  it("masks the operator's name, also inside the business name", () => {
    const business: RedactableParty = {
      kind: 'INDIVIDUAL_BUSINESS',
      name: '宿城区张三水果店',
      creditCode: '92321302MA1MXKQ8L' + creditCodeCheckChar('92321302MA1MXKQ8L'),
      legalRepresentative: '张三',
      phone: '13812345678',
    };
    const served = '当事人：宿城区张三水果店，经营者：张三，联系电话：13812345678。';
    const result = redactDecision({ party: business, documentText: served, salt: SALT });
    expect(result.partyName).toBe('宿城区张某水果店');
    expect(result.documentText).toBe('当事人：宿城区张某水果店，经营者：张某，联系电话：[电话已隐去]。');
  });
});

describe('redactDecision: what people actually type (issue 11, point 4)', () => {
  const party: RedactableParty = {
    kind: 'PERSON',
    name: '欧阳娜娜',
    idNumber: REP_ID_NUMBER,
    phone: '13800138000',
    address: '宿迁市宿城区幸福路88号',
    bankAccounts: ['4012888888881881'],
  };
  const fullWidth = (s: string): string => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  /** Width, spaces and separators ignored, as a reader would. */
  const anyForm = (s: string): string => s.normalize('NFKC').replace(/[\s\-./·・。]/g, '').toUpperCase();

  it.each([
    ['the ID number in full-width digits', fullWidth(REP_ID_NUMBER), '[身份证号已隐去]'],
    ['the phone in full-width digits', fullWidth('13800138000'), '[电话已隐去]'],
    ['the phone with dots', '138.0013.8000', '[电话已隐去]'],
    ['the card with slashes', '4012/8888/8888/1881', '[银行账号已隐去]'],
    ['the card split by one space', '4012888 888881881', '[银行账号已隐去]'],
    ['the address with one space', '宿迁市宿城区 幸福路88号', '[住址已隐去]'],
    ['the name with a space', '欧阳 娜娜', '欧阳某某'],
  ])('removes %s and keeps the rest of the document as served', (_label, written, mark) => {
    const before = '宿市监处罚〔2026〕12号 经查，2026-03-01，';
    const after = '，罚款50000.00元，依据《中华人民共和国食品安全法》第一百二十四条。';
    const served = `${before}${written}${after}`;

    const r = redactDecision({ party, documentText: served, salt: SALT });

    expect(r.documentText).toBe(`${before}${mark}${after}`);
    for (const value of ['欧阳娜娜', REP_ID_NUMBER, '13800138000', '宿迁市宿城区幸福路88号', '4012888888881881']) {
      expect(anyForm(r.documentText)).not.toContain(value);
      expect(anyForm(JSON.stringify(r.manifest))).not.toContain(value);
    }
    expect(r.manifest.findings).toEqual([expect.objectContaining({ start: before.length, end: before.length + written.length })]);
    expect(verifyRedactionManifest(r.manifest, served, r.documentText, { salt: SALT, policy: DEFAULT_REDACTION_POLICY })).toBe(true);
  });

  it('applies the same matching to the other published fields and to the party name', () => {
    const r = redactDecision({ party: { ...party, name: '欧阳 娜娜' }, documentText: '当事人欧阳娜娜。', salt: SALT });

    expect(r.partyName).toBe('欧阳某某');
    expect(r.documentText).toBe('当事人欧阳某某。');
    expect(r.redactOther('欧阳 娜娜经营过期食品（电话１３８ ００１３ ８０００）')).toBe('欧阳某某经营过期食品（电话[电话已隐去]）');
  });
});
