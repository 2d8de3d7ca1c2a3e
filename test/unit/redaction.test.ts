/**
 * Redaction before publication (D9, N2): the policy, name masking, the free-text detectors, the
 * findings (which must never re-leak what they removed) and the manifest that proves the published
 * text equals the served text except for the listed redactions.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_REDACTION_POLICY,
  MIN_SALT_LENGTH,
  applyRedactions,
  buildRedactionManifest,
  collectKnownValues,
  hashRedactedValue,
  knownValuesForParty,
  maskName,
  normalisedView,
  passesLuhn,
  publicPartyView,
  redactText,
  redactionPolicy,
  verifyRedaction,
  verifyRedactionManifest,
} from '../../shared/domain/redaction.ts';
import type { KnownValue, RedactionFinding, RedactionPolicy } from '../../shared/domain/redaction.ts';
import { creditCodeCheckChar, idNumberCheckChar, isValidCreditCode, isValidIdNumber } from '../../shared/domain/identifiers.ts';
import { BusinessRuleError, ValidationError } from '../../shared/domain/errors.ts';
import { sha256Hex } from '../../shared/domain/audit.ts';
import type { Party } from '../../shared/domain/case.ts';

const SALT = 'case-2026-0015-secret-salt';
const ctx = (knownValues: KnownValue[] = []) => ({ knownValues, salt: SALT });
const redact = (text: string, knownValues: KnownValue[] = [], policy?: RedactionPolicy) =>
  redactText(text, ctx(knownValues), policy);

const ID = '11010519491231002X'; // the example in GB 11643
const luhnDigit = (body: string): string => {
  for (let d = 0; d <= 9; d++) if (passesLuhn(body + d)) return String(d);
  throw new Error('unreachable');
};
/** A Luhn-valid 19-digit card number (Chinese debit cards are 16–19 digits). */
const CARD = `622202123456789012${luhnDigit('622202123456789012')}`;

/** Phrases a decision contains that are not personal data and must come out unchanged. */
const SAFE_PHRASES = [
  '依据《中华人民共和国食品安全法》第一百二十二条',
  '《中华人民共和国行政处罚法》第五十七条第一款第（一）项',
  '罚款人民币50000元',
  '没收违法所得3250.50元',
  '2026年3月5日',
  '宿市监处罚〔2026〕15号',
  '宿市监案字〔2026〕0123号',
  '统一社会信用代码：91350100M000100Y43',
  '如不服本处罚决定，可以在收到本决定书之日起六十日内向宿迁市人民政府申请行政复议',
  '联系电话：0527-84361234',
  '邮政编码223800',
  '共计3项违法行为',
  '当事人应当自收到本决定书之日起十五日内缴纳罚款',
];

describe('redaction policy', () => {
  it('the default policy is valid configuration', () => {
    expect(redactionPolicy.parse(DEFAULT_REDACTION_POLICY)).toEqual(DEFAULT_REDACTION_POLICY);
  });

  it('removes natural persons’ ID number, contact details, home address, bank accounts and health data (N2)', () => {
    for (const kind of ['PERSON', 'INDIVIDUAL_BUSINESS'] as const) {
      expect(DEFAULT_REDACTION_POLICY.parties[kind].remove).toEqual(
        expect.arrayContaining(['idNumber', 'phone', 'address', 'bankAccounts', 'healthData']),
      );
      expect(DEFAULT_REDACTION_POLICY.parties[kind].personName).toBe('SURNAME_ONLY');
    }
  });

  it('removes organisations’ bank accounts but publishes their registered data', () => {
    expect(DEFAULT_REDACTION_POLICY.parties.ORG.remove).toContain('bankAccounts');
    expect(DEFAULT_REDACTION_POLICY.parties.ORG.remove).not.toContain('address');
    expect(DEFAULT_REDACTION_POLICY.parties.ORG.personName).toBe('FULL');
  });

  it('refuses unknown fields, unknown name handling and an empty mark, in Chinese', () => {
    const bad = {
      ...DEFAULT_REDACTION_POLICY,
      parties: { ...DEFAULT_REDACTION_POLICY.parties, PERSON: { remove: ['idNumber', 'shoeSize'], personName: 'INITIALS' } },
      marks: { ...DEFAULT_REDACTION_POLICY.marks, PHONE: '' },
    };
    const result = redactionPolicy.safeParse(bad);

    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['parties.PERSON.remove.1', 'parties.PERSON.personName', 'marks.PHONE']));
    expect(result.error!.issues[0]!.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('third parties’ names cannot be configured to be published', () => {
    expect(redactionPolicy.safeParse({ ...DEFAULT_REDACTION_POLICY, thirdPartyNames: 'FULL' }).success).toBe(false);
  });
});

describe('name masking', () => {
  it.each([
    ['张三', '张某'],
    ['张三丰', '张某某'],
    ['王小明明', '王某某'],
    ['欧阳娜娜', '欧阳某某'],
    ['欧阳娜', '欧阳某'],
    ['司马相如', '司马某某'],
    ['诸葛亮', '诸葛某'],
    ['上官婉儿', '上官某某'],
    ['司马', '司某'], // two characters are surname + given name, never a bare compound surname
    ['阿依古丽·买买提', '阿某某'],
    [' 李 四 ', '李某'],
    ['𠀀三', '𠀀某'], // a surrogate-pair character is one character
  ])('SURNAME_ONLY: %s → %s', (name, masked) => {
    expect(maskName(name, 'SURNAME_ONLY')).toBe(masked);
  });

  it('FULL keeps the name, REMOVE replaces it with the mark', () => {
    expect(maskName('张三', 'FULL')).toBe('张三');
    expect(maskName('张三', 'REMOVE')).toBe('[姓名已隐去]');
  });

  it('the compound surnames are configuration', () => {
    const policy = { ...DEFAULT_REDACTION_POLICY, compoundSurnames: [] };

    expect(maskName('欧阳娜娜', 'SURNAME_ONLY', policy)).toBe('欧某某');
  });
});

describe('structured party data', () => {
  const person: Party = { kind: 'PERSON', name: '张三', idNumber: ID, phone: '13912345678', address: '宿迁市宿城区幸福路88号' };
  const business: Party = {
    kind: 'INDIVIDUAL_BUSINESS',
    name: '宿城区张三水果店',
    creditCode: '92321302MA1XY01237',
    legalRepresentative: '张三',
    idNumber: ID,
    phone: '13912345678',
    address: '宿迁市宿城区幸福路88号',
  };
  const org: Party = {
    kind: 'ORG',
    name: '宿迁某某食品有限公司',
    creditCode: '91350100M000100Y43',
    legalRepresentative: '李四',
    phone: '0527-84361234',
    address: '宿迁市宿城区发展大道1号',
  };

  it('a natural person is published with the surname only and without personal fields', () => {
    expect(publicPartyView(person)).toEqual({ kind: 'PERSON', name: '张某' });
  });

  it('an individual business keeps its name and credit code; its operator is masked, also inside the name', () => {
    expect(publicPartyView(business)).toEqual({
      kind: 'INDIVIDUAL_BUSINESS',
      name: '宿城区张某水果店',
      creditCode: '92321302MA1XY01237',
      legalRepresentative: '张某',
    });
  });

  it('the operator’s name is masked inside the business name also when written with a space', () => {
    expect(publicPartyView({ ...business, name: '宿城区欧阳 娜娜水果店', legalRepresentative: '欧阳娜娜' })).toMatchObject({
      name: '宿城区欧阳某某水果店',
      legalRepresentative: '欧阳某某',
    });
  });

  it('an organisation keeps its registered data; bank accounts are removed', () => {
    expect(publicPartyView({ ...org, bankAccounts: ['6222021234567890'] })).toEqual(org);
  });

  it('lists the removed fields, the masked name and the credit code (as PUBLIC) as known values', () => {
    expect(knownValuesForParty(person)).toEqual([
      { value: ID, category: 'ID_NUMBER', field: 'idNumber' },
      { value: '13912345678', category: 'PHONE', field: 'phone' },
      { value: '宿迁市宿城区幸福路88号', category: 'ADDRESS', field: 'address' },
      { value: '张三', category: 'PERSON_NAME', field: 'name', replacement: '张某' },
    ]);
    expect(knownValuesForParty(org)).toEqual([{ value: '91350100M000100Y43', category: 'PUBLIC', field: 'creditCode' }]);
  });

  it('third parties are always listed', () => {
    expect(collectKnownValues({ parties: [org], thirdPartyNames: ['王五', ' '] })).toContainEqual({
      value: '王五',
      category: 'THIRD_PARTY_NAME',
      field: 'thirdPartyName',
    });
  });
});

describe('redactText: a penalty decision', () => {
  const served = [
    '宿迁市市场监督管理局',
    '行政处罚决定书',
    '宿市监处罚〔2026〕15号',
    '当事人：张三，身份证号码：11010519491231002x，住址：宿迁市宿城区幸福路88号，联系电话：139-1234-5678。',
    '经查，张三于2026年1月在其经营场所销售超过保质期的食品，证人王五证实了上述事实。当事人患有糖尿病，',
    `其银行账户${CARD}。当事人电子邮箱zhangsan_1990@qq.com。`,
    '依据《中华人民共和国食品安全法》第一百二十四条，决定罚款人民币50000元。',
    '2026年3月5日',
  ].join('\n');
  const knownValues = collectKnownValues({
    parties: [
      { kind: 'PERSON', name: '张三', idNumber: ID, phone: '13912345678', address: '宿迁市宿城区幸福路88号', healthData: ['糖尿病'] },
    ],
    thirdPartyNames: ['王五'],
  });

  it('removes every listed item and leaves everything else as served', () => {
    const { text } = redact(served, knownValues);

    expect(text).toBe(
      [
        '宿迁市市场监督管理局',
        '行政处罚决定书',
        '宿市监处罚〔2026〕15号',
        '当事人：张某，身份证号码：[身份证号已隐去]，住址：[住址已隐去]，联系电话：[电话已隐去]。',
        '经查，张某于2026年1月在其经营场所销售超过保质期的食品，证人[第三人姓名已隐去]证实了上述事实。当事人患有[健康信息已隐去]，',
        '其银行账户[银行账号已隐去]。当事人电子邮箱[电子邮箱已隐去]。',
        '依据《中华人民共和国食品安全法》第一百二十四条，决定罚款人民币50000元。',
        '2026年3月5日',
      ].join('\n'),
    );
  });

  it('reports each redaction with offsets into the served text, in order', () => {
    const { findings } = redact(served, knownValues);

    expect(findings.map((f) => [f.category, f.detector, served.slice(f.start, f.end)])).toEqual([
      ['PERSON_NAME', 'known', '张三'],
      ['ID_NUMBER', 'known', '11010519491231002x'],
      ['ADDRESS', 'known', '宿迁市宿城区幸福路88号'],
      ['PHONE', 'known', '139-1234-5678'],
      ['PERSON_NAME', 'known', '张三'],
      ['THIRD_PARTY_NAME', 'known', '王五'],
      ['HEALTH', 'known', '糖尿病'],
      ['BANK_ACCOUNT', 'bank-card', CARD],
      ['EMAIL', 'email', 'zhangsan_1990@qq.com'],
    ]);
    for (const f of findings) {
      expect(f.length).toBe(f.end - f.start);
      expect(f.valueHash).toBe(hashRedactedValue(served.slice(f.start, f.end), SALT));
    }
    expect(findings.find((f) => f.category === 'ID_NUMBER')?.field).toBe('idNumber');
  });

  it('the findings hold no removed value, and the published text passes verification (N2)', () => {
    const { text, findings } = redact(served, knownValues);
    const json = JSON.stringify(findings);

    for (const secret of ['张三', ID, '11010519491231002x', '13912345678', '幸福路88号', '王五', '糖尿病', CARD, 'zhangsan_1990']) {
      expect(json).not.toContain(secret);
      expect(text).not.toContain(secret);
    }
    expect(verifyRedaction(served, text, findings)).toBe(true);
    expect(verifyRedaction(served, text, findings, { salt: SALT, policy: DEFAULT_REDACTION_POLICY })).toBe(true);
  });

  it('needs a salt of at least 16 characters', () => {
    expect(() => redactText(served, { knownValues, salt: 'short' })).toThrow(ValidationError);
    expect(() => redactText(served, { knownValues, salt: 'x'.repeat(MIN_SALT_LENGTH) })).not.toThrow();
  });

  it('the same value hashes differently under another salt (the manifest cannot be brute-forced without it)', () => {
    const a = redactText('电话13912345678', { knownValues: [], salt: SALT });
    const b = redactText('电话13912345678', { knownValues: [], salt: `${SALT}-other` });

    expect(a.findings[0]!.valueHash).not.toBe(b.findings[0]!.valueHash);
    expect(a.findings[0]!.valueHash).not.toBe(sha256Hex('13912345678'));
  });
});

describe('free-text detectors', () => {
  it.each([
    ['upper-case X', `身份证${ID}。`],
    ['lower-case x', `身份证${ID.toLowerCase()}。`],
    ['glued to letters', `ID${ID}号`],
  ])('finds a valid ID number (%s)', (_label, text) => {
    const { text: out, findings } = redact(text);

    expect(out).toContain('[身份证号已隐去]');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ category: 'ID_NUMBER', detector: 'id-number' });
  });

  it('18 digits that fail the ID check (and Luhn) are not an ID number', () => {
    const text = '编号110105194912310021。';

    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(passesLuhn('110105194912310021')).toBe(false);
    expect(redact(text).text).toBe(text);
  });

  it('18 random digits are removed only when they pass the ID check or Luhn (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{18}$/), (digits) => {
        const text = `编号${digits}。`;
        const expected = isValidIdNumber(digits) || passesLuhn(digits);

        expect(redact(text).text !== text).toBe(expected);
      }),
    );
  });

  it('an ID number that also passes Luhn is one ID-number finding, not two', () => {
    let id = '';
    for (let seq = 0; seq < 1000 && !id; seq++) {
      const first17 = `32010219900101${String(seq).padStart(3, '0')}`;
      const candidate = first17 + idNumberCheckChar(first17);
      if (passesLuhn(candidate)) id = candidate;
    }
    const { text, findings } = redact(`号码${id}`);

    expect(text).toBe('号码[身份证号已隐去]');
    expect(findings).toEqual([expect.objectContaining({ category: 'ID_NUMBER', detector: 'id-number', start: 2, end: 20 })]);
  });

  it.each([
    ['plain', '手机13912345678。', '手机[电话已隐去]。'],
    ['hyphenated', '手机139-1234-5678。', '手机[电话已隐去]。'],
    ['spaced', '手机139 1234 5678。', '手机[电话已隐去]。'],
    ['with +86', '手机+86 13912345678。', '手机[电话已隐去]。'],
    ['with 86', '手机8613912345678。', '手机[电话已隐去]。'],
    ['at the start and end', '13912345678', '[电话已隐去]'],
  ])('finds a mobile number (%s)', (_label, text, expected) => {
    expect(redact(text).text).toBe(expected);
  });

  it.each([
    ['inside a longer digit run', '编号313912345678。'],
    ['followed by a digit', '编号139123456789。'],
    ['second digit 2', '编号12912345678。'],
    ['inside a code with letters', '编号MA13912345678。'],
    ['a landline', '电话0527-84361234。'],
    ['ten digits', '编号1391234567。'],
  ])('leaves what is not a mobile number (%s)', (_label, text) => {
    expect(redact(text).text).toBe(text);
  });

  it.each([
    ['19 digits', `账号${CARD}。`],
    ['16 digits', '卡号4111111111111111。'],
    ['grouped by four', `卡号${CARD.replace(/(\d{4})(?=\d)/g, '$1 ')}。`],
    ['hyphenated groups', '卡号4111-1111-1111-1111。'],
  ])('finds a Luhn-valid bank card number (%s)', (_label, text) => {
    const { text: out, findings } = redact(text);

    expect(out).toMatch(/^..\[银行账号已隐去\]。$/);
    expect(findings).toEqual([expect.objectContaining({ category: 'BANK_ACCOUNT', detector: 'bank-card' })]);
  });

  it.each([
    ['failing Luhn', '卡号4111111111111112。'],
    ['12 digits', '编号411111111116。'],
    ['inside a 20-digit run', `编号1${CARD}。`],
    ['glued to letters', '编号A4111111111111111。'],
  ])('leaves what is not a bank card number (%s)', (_label, text) => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(redact(text).text).toBe(text);
  });

  it.each([
    ['zhang.san@qq.com'],
    ['li_si+case@mail.example.com.cn'],
    ['13912345678@163.com'],
  ])('finds an e-mail address %s as one finding', (email) => {
    const { text, findings } = redact(`邮箱${email}。`);

    expect(text).toBe('邮箱[电子邮箱已隐去]。');
    expect(findings).toEqual([expect.objectContaining({ category: 'EMAIL', detector: 'email', start: 2, end: 2 + email.length })]);
  });

  it('each detector can be switched off', () => {
    const text = `${ID} 13912345678 ${CARD} a@b.cn`;
    const off = { ...DEFAULT_REDACTION_POLICY, detectors: { idNumber: false, mobile: false, bankCard: false, email: false } };

    expect(redact(text, [], off).text).toBe(text);
  });

  it.each(SAFE_PHRASES)('leaves %s unchanged', (phrase) => {
    expect(redact(phrase).text).toBe(phrase);
  });
});

describe('credit codes (N1 publishes them)', () => {
  /**
   * An all-digit credit code that passes both the GB 32100 and the GB 11643 checks: region 321319
   * and organisation code 900101… put "19900101" where an ID number holds its birth date.
   */
  const ambiguous = (() => {
    for (let n = 0; n < 1000; n++) {
      const first17 = `91321319900101${String(n).padStart(3, '0')}`;
      const check = creditCodeCheckChar(first17);
      if (/\d/.test(check) && idNumberCheckChar(first17) === check) return first17 + check;
    }
    throw new Error('no ambiguous code found');
  })();

  it('the sample code really is both', () => {
    expect(isValidCreditCode(ambiguous)).toBe(true);
    expect(isValidIdNumber(ambiguous)).toBe(true);
  });

  it('is kept when it is the organisation’s code in the structured record (PUBLIC known value)', () => {
    const knownValues = knownValuesForParty({ kind: 'ORG', name: '宿迁某某公司', creditCode: ambiguous });
    const text = `当事人宿迁某某公司（${ambiguous}）`;

    expect(redact(text, knownValues).text).toBe(text);
  });

  it('is kept after the label 统一社会信用代码 / 信用代码', () => {
    for (const text of [`统一社会信用代码：${ambiguous}`, `信用代码为 ${ambiguous}`, `统一社会信用代码（注册号）：${ambiguous}`]) {
      expect(redact(text).text).toBe(text);
    }
  });

  it('is removed as an ID number when neither known nor labelled (privacy first), or when the label rule is off', () => {
    expect(redact(`号码${ambiguous}`).text).toBe('号码[身份证号已隐去]');
    const off = { ...DEFAULT_REDACTION_POLICY, labelledCreditCodesArePublic: false };
    expect(redact(`统一社会信用代码：${ambiguous}`, [], off).text).toBe('统一社会信用代码：[身份证号已隐去]');
  });

  it('a label does not protect a real ID number (it fails the credit-code check)', () => {
    expect(isValidCreditCode(ID)).toBe(false);
    expect(redact(`统一社会信用代码：${ID}`).text).toBe('统一社会信用代码：[身份证号已隐去]');
  });

  it('a declared personal value is removed even when it is also listed as PUBLIC', () => {
    const text = `号码${ambiguous}`;
    const knownValues: KnownValue[] = [
      { value: ambiguous, category: 'PUBLIC' },
      { value: ambiguous, category: 'ID_NUMBER', field: 'idNumber' },
    ];

    expect(redact(text, knownValues).text).toBe('号码[身份证号已隐去]');
  });

  it('codes with letters are never touched (property)', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const codeArb = fc
      .tuple(
        fc.constantFrom(...'159'),
        fc.constantFrom(...'123'),
        fc.stringMatching(/^\d{6}$/),
        fc.array(fc.constantFrom(...alphabet), { minLength: 9, maxLength: 9 }).map((a) => a.join('')),
      )
      .map(([a, b, region, org]) => `${a}${b}${region}${org}`)
      .filter((first17) => /[A-Z]/.test(first17))
      .map((first17) => first17 + creditCodeCheckChar(first17));
    fc.assert(
      fc.property(codeArb, (code) => {
        const text = `代码${code}。`;

        expect(redact(text).text).toBe(text);
      }),
    );
  });
});

describe('known values and overlaps', () => {
  it('replaces every occurrence, also written with separators', () => {
    const knownValues: KnownValue[] = [{ value: '13912345678', category: 'PHONE', field: 'phone' }];
    const { text, findings } = redact('电话13912345678，又称139-1234-5678。', knownValues);

    expect(text).toBe('电话[电话已隐去]，又称[电话已隐去]。');
    expect(findings.map((f) => [f.detector, f.field])).toEqual([
      ['known', 'phone'],
      ['known', 'phone'],
    ]);
  });

  it('a name inside a longer known value goes with it (longest wins)', () => {
    const knownValues: KnownValue[] = [
      { value: '王伟', category: 'THIRD_PARTY_NAME' },
      { value: '宿迁市王伟路9号', category: 'ADDRESS' },
    ];
    const { text, findings } = redact('住宿迁市王伟路9号，证人王伟。', knownValues);

    expect(text).toBe('住[住址已隐去]，证人[第三人姓名已隐去]。');
    expect(findings).toHaveLength(2);
  });

  it('partly overlapping matches are removed as their union, with the winner’s mark', () => {
    const knownValues: KnownValue[] = [
      { value: '宿城区幸福路', category: 'ADDRESS' },
      { value: '幸福路88号101室', category: 'HEALTH' },
    ];
    const { text, findings } = redact('住宿城区幸福路88号101室。', knownValues);

    expect(text).toBe('住[健康信息已隐去]。');
    expect(findings).toEqual([expect.objectContaining({ start: 1, end: 14, category: 'HEALTH' })]);
  });

  it('a person who is also named as a third party is masked as the person', () => {
    const knownValues: KnownValue[] = [
      { value: '张三', category: 'THIRD_PARTY_NAME' },
      { value: '张三', category: 'PERSON_NAME', replacement: '张某' },
    ];

    expect(redact('张三', knownValues).text).toBe('张某');
  });

  it('third parties can be shown as surname + 某', () => {
    const policy = { ...DEFAULT_REDACTION_POLICY, thirdPartyNames: 'SURNAME_ONLY' as const };

    expect(redact('证人欧阳娜娜', [{ value: '欧阳娜娜', category: 'THIRD_PARTY_NAME' }], policy).text).toBe('证人欧阳某某');
  });

  it('a PERSON_NAME without its own replacement follows the policy', () => {
    const remove = { ...DEFAULT_REDACTION_POLICY, parties: { ...DEFAULT_REDACTION_POLICY.parties, PERSON: { remove: [], personName: 'REMOVE' as const } } };

    expect(redact('当事人张三', [{ value: '张三', category: 'PERSON_NAME' }]).text).toBe('当事人张某');
    expect(redact('当事人张三', [{ value: '张三', category: 'PERSON_NAME' }], remove).text).toBe('当事人[姓名已隐去]');
  });

  it('blank known values are ignored', () => {
    expect(redact('文本', [{ value: '', category: 'ADDRESS' }, { value: '  ', category: 'PHONE' }]).text).toBe('文本');
  });
});

describe('verifyRedaction and the manifest (N2)', () => {
  const served = '当事人张三，电话13912345678，罚款人民币50000元。';
  const knownValues: KnownValue[] = [{ value: '张三', category: 'PERSON_NAME', field: 'name', replacement: '张某' }];
  const { text: published, findings } = redact(served, knownValues);

  it('holds for the published text', () => {
    expect(published).toBe('当事人张某，电话[电话已隐去]，罚款人民币50000元。');
    expect(verifyRedaction(served, published, findings)).toBe(true);
    expect(verifyRedaction(served, published, [...findings].reverse())).toBe(true);
  });

  it('fails when anything outside the listed redactions changed', () => {
    expect(verifyRedaction(served, published.replace('50000', '5000'), findings)).toBe(false);
    expect(verifyRedaction(served, published.replace('[电话已隐去]', '[住址已隐去]'), findings)).toBe(false);
    expect(verifyRedaction(served, published, findings.slice(1))).toBe(false);
  });

  it.each([
    ['out of range', (f: RedactionFinding) => ({ ...f, end: 999, length: 999 - f.start })],
    ['inconsistent length', (f: RedactionFinding) => ({ ...f, length: f.length + 1 })],
    ['empty span', (f: RedactionFinding) => ({ ...f, end: f.start, length: 0 })],
    ['negative start', (f: RedactionFinding) => ({ ...f, start: -1, length: f.end + 1 })],
  ])('fails on a malformed finding (%s)', (_label, spoil) => {
    expect(verifyRedaction(served, published, [spoil(findings[0]!), ...findings.slice(1)])).toBe(false);
  });

  it('fails on overlapping findings, and applyRedactions refuses them', () => {
    const overlapping = [...findings, { ...findings[1]!, start: findings[1]!.start + 1, end: findings[1]!.end + 1 }];

    expect(verifyRedaction(served, published, overlapping)).toBe(false);
    expect(() => applyRedactions(served, overlapping)).toThrow(ValidationError);
  });

  it('with the salt, checks what each finding removed', () => {
    const forged = findings.map((f, i) => (i === 0 ? { ...f, valueHash: hashRedactedValue('李四', SALT) } : f));

    expect(verifyRedaction(served, published, findings, { salt: SALT })).toBe(true);
    expect(verifyRedaction(served, published, forged)).toBe(true);
    expect(verifyRedaction(served, published, forged, { salt: SALT })).toBe(false);
    expect(verifyRedaction(served, published, findings, { salt: `${SALT}x` })).toBe(false);
  });

  it('with the policy, refuses a replacement that adds text', () => {
    const smuggled = findings.map((f) => (f.category === 'PHONE' ? { ...f, replacement: '罚款人民币0元' } : f));
    const publishedSmuggled = applyRedactions(served, smuggled);

    expect(verifyRedaction(served, publishedSmuggled, smuggled)).toBe(true);
    expect(verifyRedaction(served, publishedSmuggled, smuggled, { policy: DEFAULT_REDACTION_POLICY })).toBe(false);
    expect(verifyRedaction(served, published, findings, { policy: DEFAULT_REDACTION_POLICY })).toBe(true);
  });

  it('builds a manifest of hashes, policy version and findings', () => {
    const manifest = buildRedactionManifest({ servedText: served, publishedText: published, findings, policyVersion: '2026-1', createdAt: '2026-03-06T01:02:03.000Z' });

    expect(manifest).toEqual({
      servedSha256: sha256Hex(served),
      publishedSha256: sha256Hex(published),
      policyVersion: '2026-1',
      findings,
      createdAt: '2026-03-06T01:02:03.000Z',
    });
    expect(verifyRedactionManifest(manifest, served, published, { salt: SALT, policy: DEFAULT_REDACTION_POLICY })).toBe(true);
    expect(verifyRedactionManifest(manifest, `${served} `, published)).toBe(false);
    expect(verifyRedactionManifest(manifest, served, `${published} `)).toBe(false);
  });

  it('is pure: no createdAt unless given, and the same input gives the same manifest', () => {
    const input = { servedText: served, publishedText: published, findings, policyVersion: '2026-1' };

    expect(buildRedactionManifest(input)).not.toHaveProperty('createdAt');
    expect(buildRedactionManifest(input)).toEqual(buildRedactionManifest(input));
  });

  it('copies only the finding fields, so nothing a caller attached leaks into it', () => {
    const leaky = findings.map((f) => ({ ...f, value: '13912345678' }));
    const manifest = buildRedactionManifest({ servedText: served, publishedText: published, findings: leaky, policyVersion: '2026-1' });

    expect(JSON.stringify(manifest)).not.toContain('13912345678');
  });

  it('refuses findings that do not turn the served text into the published one', () => {
    expect(() =>
      buildRedactionManifest({ servedText: served, publishedText: `${published}另有改动`, findings, policyVersion: '2026-1' }),
    ).toThrow(BusinessRuleError);
  });
});

// ---------------------------------------------------------------- what people actually type

/** Full-width (全角) digits and letters, as a Chinese input method types them. */
const fullWidth = (s: string): string => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
/**
 * The text as a reader sees it with width, separators and spaces ignored: a value is in the text "in
 * some form" when it is in this. Written independently of the code under test.
 */
const anyForm = (s: string): string => s.normalize('NFKC').replace(/[\s\-./·・。]/g, '').toUpperCase();

describe('what people actually type (issue 11, point 4)', () => {
  const before = '经查，当事人于2026-03-01（宿市监处罚〔2026〕12号）';
  const after = '，罚款50000.00元，依据《中华人民共和国行政处罚法》第五十七条。';

  it.each([
    ['the ID number in full-width digits', '１１０１０５１９４９１２３１００２Ｘ', '[身份证号已隐去]', ID],
    ['a phone in full-width digits', '１３８００１３８０００', '[电话已隐去]', '13800138000'],
    ['a phone with dots', '138.0013.8000', '[电话已隐去]', '13800138000'],
    ['a card with slashes', '4012/8888/8888/1881', '[银行账号已隐去]', '4012888888881881'],
    ['a card split by one space', '4012888 888881881', '[银行账号已隐去]', '4012888888881881'],
  ])('the detectors find %s and redact exactly its original characters', (_label, written, mark, value) => {
    const text = `${before}${written}${after}`;
    const { text: out, findings } = redact(text);

    expect(out).toBe(`${before}${mark}${after}`);
    expect(findings).toEqual([expect.objectContaining({ start: before.length, end: before.length + written.length })]);
    expect(anyForm(out)).not.toContain(value);
    expect(verifyRedaction(text, out, findings, { salt: SALT, policy: DEFAULT_REDACTION_POLICY })).toBe(true);
  });

  it.each([
    ['the party’s own ID number in full-width digits', '１１０１０５１９４９１２３１００２Ｘ', { value: ID, category: 'ID_NUMBER' }, '[身份证号已隐去]'],
    ['the party’s phone in full-width digits with full-width hyphens', '１３８－００１３－８０００', { value: '13800138000', category: 'PHONE' }, '[电话已隐去]'],
    ['the party’s address with one space inserted', '宿迁市宿城区 幸福路88号', { value: '宿迁市宿城区幸福路88号', category: 'ADDRESS' }, '[住址已隐去]'],
    ['the party’s address in full-width digits', '宿迁市宿城区幸福路８８号', { value: '宿迁市宿城区幸福路88号', category: 'ADDRESS' }, '[住址已隐去]'],
    ['the party’s name with a space', '欧阳 娜娜', { value: '欧阳娜娜', category: 'PERSON_NAME', replacement: '欧阳某某' }, '欧阳某某'],
    ['the party’s name with an ideographic space', '欧阳\u3000娜娜', { value: '欧阳娜娜', category: 'PERSON_NAME', replacement: '欧阳某某' }, '欧阳某某'],
    ['a third party’s name with a zero-width space', '王\u200b五', { value: '王五', category: 'THIRD_PARTY_NAME' }, '[第三人姓名已隐去]'],
    ['a name with another middle dot', '阿依古丽.买买提', { value: '阿依古丽·买买提', category: 'THIRD_PARTY_NAME' }, '[第三人姓名已隐去]'],
  ] as const)('known values match %s', (_label, written, known, mark) => {
    const text = `${before}${written}${after}`;
    // The detectors are off: this is the known value's own match.
    const off = { ...DEFAULT_REDACTION_POLICY, detectors: { idNumber: false, mobile: false, bankCard: false, email: false } };
    const { text: out, findings } = redact(text, [known], off);

    expect(out).toBe(`${before}${mark}${after}`);
    expect(findings).toEqual([expect.objectContaining({ detector: 'known', start: before.length, end: before.length + written.length })]);
    expect(anyForm(out)).not.toContain(anyForm(known.value));
  });

  it('the six examples of the issue in one decision: none survives in any form, the rest is as served', () => {
    const knownValues = collectKnownValues({
      parties: [{ kind: 'PERSON', name: '欧阳娜娜', idNumber: ID, phone: '13800138000', address: '宿迁市宿城区幸福路88号', bankAccounts: ['4012888888881881'] }],
    });
    const parts: [string, string][] = [
      ['当事人：', '欧阳 娜娜'],
      ['，身份证号码：', '１１０１０５１９４９１２３１００２Ｘ'],
      ['，住址：', '宿迁市宿城区 幸福路88号'],
      ['，联系电话：', '１３８００１３８０００'],
      ['、', '138.0013.8000'],
      ['，银行卡号：', '4012/8888/8888/1881'],
      ['、', '4012888 888881881'],
      ['。2026-03-01立案，宿市监处罚〔2026〕12号，罚款50000.00元，统一社会信用代码91350100M000100Y43。', ''],
    ];
    const served = parts.map(([plain, personal]) => plain + personal).join('');
    const { text: out, findings } = redact(served, knownValues);

    expect(out).toBe(
      '当事人：欧阳某某，身份证号码：[身份证号已隐去]，住址：[住址已隐去]，联系电话：[电话已隐去]、[电话已隐去]，' +
        '银行卡号：[银行账号已隐去]、[银行账号已隐去]。2026-03-01立案，宿市监处罚〔2026〕12号，罚款50000.00元，统一社会信用代码91350100M000100Y43。',
    );
    let offset = 0;
    const expectedSpans = parts.flatMap(([plain, personal]) => {
      offset += plain.length + personal.length;
      return personal === '' ? [] : [[offset - personal.length, offset]];
    });
    expect(findings.map((f) => [f.start, f.end])).toEqual(expectedSpans);
    for (const value of ['欧阳娜娜', '娜娜', ID, '13800138000', '宿迁市宿城区幸福路88号', '4012888888881881', '888881881']) {
      expect(anyForm(out)).not.toContain(value);
    }
    expect(verifyRedaction(served, out, findings, { salt: SALT, policy: DEFAULT_REDACTION_POLICY })).toBe(true);
  });

  it('the view folds width, drops invisible characters and maps every character back to its original range', () => {
    const view = normalisedView('电话１３８\u200b0013　8000𠀀');

    expect(view.text).toBe('电话1380013 8000𠀀');
    // The zero-width space (5) has no view character; the ideographic space (10) is folded to ' '.
    expect(view.from).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(view.to).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
  });

  it('does not fold circled digits into an adjacent number (①13912345678 is an item and a phone)', () => {
    expect(redact('电话：①13912345678；②13812345678').text).toBe('电话：①[电话已隐去]；②[电话已隐去]');
  });

  it.each([
    ['+86 and hyphens', '+86 138-0013-8000'],
    ['0086 and spaces', '0086 138 0013 8000'],
    ['full-width spaces', '138　0013　8000'],
    ['full stops', '138。0013。8000'],
    ['a hyphen with spaces around it', '138 - 0013 - 8000'],
    ['zero-width spaces', '138\u200b0013\u200b8000'],
  ])('finds a phone written with %s', (_label, written) => {
    expect(redact(`电话${written}。`).text).toBe('电话[电话已隐去]。');
  });

  it.each([
    ['an ID number in groups', '110105 19491231 002X', '[身份证号已隐去]'],
    ['an ID number with hyphens, lower-case x', '110105-19491231-002x', '[身份证号已隐去]'],
    ['a card with full-width slashes', '4012／8888／8888／1881', '[银行账号已隐去]'],
    ['a card with dots', '4012.8888.8888.1881', '[银行账号已隐去]'],
    ['a card in 4-6-5', '3782 822463 10005', '[银行账号已隐去]'],
  ])('finds %s', (_label, written, mark) => {
    expect(redact(`号码${written}。`).text).toBe(`号码${mark}。`);
  });
});

describe('numbers that are not personal data are never joined into one that is (issue 11, point 4)', () => {
  it.each([
    ['a date with hyphens', '2026-03-01'],
    ['a date with dots', '2026.03.01'],
    ['a date with slashes', '2026/3/1'],
    ['a date and a time', '2026-03-01 14:30'],
    ['a date range', '2026-03-01至2026-03-15'],
    ['a decision number', '宿市监处罚〔2026〕12号'],
    ['a case number', '宿市监案字〔2026〕0123号'],
    ['an amount with decimals', '罚款50000.00元'],
    ['an amount with full-width digits', '罚款５００００元'],
    ['statute articles', '依据《中华人民共和国食品安全法》第一百二十四条第一款第（二）项、第28条第1款'],
    ['an organisation’s credit code', '统一社会信用代码：91350100M000100Y43'],
    ['a landline', '联系电话：0527-84361234'],
    ['page numbers', '第1页/共3页'],
    ['a postcode', '邮政编码223800'],
    ['a version', '规则版本1.2.3'],
  ])('leaves %s unchanged', (_label, phrase) => {
    const { text, findings } = redact(phrase);

    expect(findings).toEqual([]);
    expect(text).toBe(phrase);
  });

  // Each of these joins, separators ignored, into digits that pass a detector: only the reading
  // rules keep them whole.
  it.each([
    ['an amount whose digits read as a mobile number (one decimal point)', '罚款138000000.00元', '13800000000'],
    ['an amount in thousands grouping whose digits read as a mobile number', '罚款13 800 138 000元', '13800138000'],
    ['a compact date range whose digits pass Luhn', '检查期间20260301-20260305', '2026030120260305'],
    ['two numbers in groups of four with different separators, whose digits pass Luhn', '检查期间2026-0301 2026-0305', '2026030120260305'],
    ['a date and a number whose digits read as a mobile number', '出生于19980701 234号房', '19980701234'],
  ])('leaves %s unchanged', (_label, phrase, joined) => {
    expect(/^1[3-9]\d{9}$/.test(joined) || passesLuhn(joined)).toBe(true);
    expect(redact(phrase).text).toBe(phrase);
  });

  it('a card in groups of four followed by a year: the year stays (a card is groups of four with a shorter last one)', () => {
    // 0212 3456 7890 128 2028 also passes Luhn, but a group of three cannot stand inside a card.
    expect(CARD).toBe('6222021234567890128');
    expect(passesLuhn('021234567890128' + '2028')).toBe(true);
    expect(redact('卡号6222 0212 3456 7890 128 2028年开户').text).toBe('卡号[银行账号已隐去] 2028年开户');
  });

  it('a phone next to a date or a postcode goes; the date and the postcode stay', () => {
    // 223808 + 13800138000 passes Luhn: joined, it would read as a card.
    expect(passesLuhn('22380813800138000')).toBe(true);
    expect(redact('2026-03-01 138 0013 8000').text).toBe('2026-03-01 [电话已隐去]');
    expect(redact('邮政编码223808 13800138000').text).toBe('邮政编码223808 [电话已隐去]');
    expect(redact('罚款50000.00元，电话138.0013.8000').text).toBe('罚款50000.00元，电话[电话已隐去]');
  });
});

// ---------------------------------------------------------------- properties

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const birthArb = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const idNumberArb = fc.tuple(digits(6), birthArb, digits(3), fc.boolean()).map(([region, birth, seq, lower]) => {
  const first17 = `${region}${birth}${seq}`;
  const id = first17 + idNumberCheckChar(first17);
  return lower ? id.toLowerCase() : id;
});
const mobileArb = fc.tuple(fc.constantFrom(...'3456789'), digits(9)).map(([second, rest]) => `1${second}${rest}`);
const cardArb = fc
  .tuple(fc.constantFrom(...'3456'), fc.integer({ min: 11, max: 17 }).chain((n) => digits(n)))
  .map(([first, body]) => `${first}${body}${luhnDigit(first + body)}`);
const emailArb = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}[a-z0-9]$/),
    fc.stringMatching(/^[a-z0-9]{1,10}$/),
    fc.constantFrom('com', 'cn', 'com.cn', 'net', 'org'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/** Characters of the marks and 某 are left out: a name made of them could reappear in the output. */
const MARK_CHARS = new Set([...Object.values(DEFAULT_REDACTION_POLICY.marks).join(''), '某']);
const GIVEN_CHARS = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志宏'].filter((c) => !MARK_CHARS.has(c));
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '欧阳', '司马', '诸葛', '上官'];
const nameArb = fc
  .tuple(fc.constantFrom(...SURNAMES), fc.array(fc.constantFrom(...GIVEN_CHARS), { minLength: 1, maxLength: 2 }))
  .map(([surname, given]) => surname + given.join(''));
const addressArb = fc
  .tuple(fc.constantFrom('宿城区', '宿豫区', '沭阳县', '泗阳县'), fc.constantFrom('幸福路', '人民大道', '洪泽湖路'), fc.integer({ min: 1, max: 999 }))
  .map(([district, road, no]) => `宿迁市${district}${road}${no}号`);

const creditCodeWithLettersArb = fc
  .tuple(fc.constantFrom('91', '92', '12'), digits(6), fc.stringMatching(/^MA[0-9A-HJ-NPQRTUWXY]{7}$/))
  .map(([prefix, region, org]) => {
    const first17 = `${prefix}${region}${org}`;
    return first17 + creditCodeCheckChar(first17);
  });
const anyCreditCodeArb = fc
  .tuple(fc.constantFrom('91', '92', '12'), digits(6), fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{9}$/))
  .map(([prefix, region, org]) => {
    const first17 = `${prefix}${region}${org}`;
    return first17 + creditCodeCheckChar(first17);
  });
/** Text with no personal data: fixed phrases plus generated amounts, dates, decision numbers, short numbers. */
const safeFragmentArb = fc.oneof(
  fc.constantFrom(...SAFE_PHRASES),
  fc.integer({ min: 1, max: 10_000_000 }).map((n) => `罚款人民币${n}元`),
  fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}年${m}月${d}日`),
  fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 999 })).map(([y, n]) => `宿市监处罚〔${y}〕${n}号`),
  fc.stringMatching(/^\d{1,10}$/).map((n) => `第${n}号`),
  creditCodeWithLettersArb.map((code) => `统一社会信用代码${code}`),
  fc.stringMatching(/^[\u4e00-\u9fa5，。、]{1,20}$/),
  // Numbers written with the separators that the number reader skips inside personal numbers.
  fc
    .tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.constantFrom('-', '.', '/'), fc.boolean())
    .map(([y, m, d, sep, pad]) => [y, m, d].map((n) => (pad ? String(n).padStart(2, '0') : String(n))).join(sep)),
  fc.tuple(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: 0, max: 99 })).map(([n, c]) => `罚款${n}.${String(c).padStart(2, '0')}元`),
  fc.integer({ min: 1, max: 999_999_999 }).map((n) => fullWidth(`罚款${n}元`)),
);
const SEPARATORS = ['，', '。', '：', '；', '\n', '、', '（', '）', ' '];
const separatorArb = fc.constantFrom(...SEPARATORS);

type Embedded = { kind: 'id' | 'mobile' | 'card' | 'email' | 'person' | 'third' | 'address'; value: string; written: string };

/** A space inserted between two characters (欧阳 娜娜), or none. */
const withSpaceArb = (v: string): fc.Arbitrary<string> => {
  const chars = Array.from(v);
  return fc.option(fc.integer({ min: 1, max: chars.length - 1 }), { nil: undefined }).map((at) =>
    at === undefined ? v : `${chars.slice(0, at).join('')}${' '}${chars.slice(at).join('')}`,
  );
};
/** A 3-4-4 phone or 6-8-4 ID number written with one separator between the groups. */
const grouped = (v: string, lengths: readonly number[], sep: string): string => {
  const parts: string[] = [];
  let at = 0;
  for (const n of lengths) {
    parts.push(v.slice(at, at + n));
    at += n;
  }
  return parts.join(sep);
};

// What people type (issue 11): full-width digits, separators inside numbers, a space inside a name.
const embeddedArb: fc.Arbitrary<Embedded> = fc.oneof(
  fc
    .tuple(idNumberArb, fc.constantFrom('plain', 'full-width', 'space', 'hyphen'))
    .map(([v, style]) => ({
      kind: 'id' as const,
      value: v,
      written: style === 'full-width' ? fullWidth(v) : style === 'space' ? grouped(v, [6, 8, 4], ' ') : style === 'hyphen' ? grouped(v, [6, 8, 4], '-') : v,
    })),
  fc
    .tuple(mobileArb, fc.constantFrom('plain', 'hyphen', 'space', '+86', 'dot', 'full-width', 'full-width-hyphen', 'ideographic-space'))
    .map(([v, style]) => {
      const written = {
        plain: v,
        hyphen: grouped(v, [3, 4, 4], '-'),
        space: grouped(v, [3, 4, 4], ' '),
        '+86': `+86${v}`,
        dot: grouped(v, [3, 4, 4], '.'),
        'full-width': fullWidth(v),
        'full-width-hyphen': fullWidth(grouped(v, [3, 4, 4], '－')),
        'ideographic-space': grouped(v, [3, 4, 4], '\u3000'),
      }[style];
      return { kind: 'mobile' as const, value: v, written };
    }),
  fc
    .tuple(cardArb, fc.constantFrom('plain', 'space', 'slash', 'full-width', 'split'), fc.nat())
    .map(([v, style, at]) => {
      const fours = v.match(/\d{1,4}/g)!;
      // Split in two anywhere from the 4th to the 4th-last digit (4012888 888881881).
      const split = 4 + (at % (v.length - 7));
      const written = {
        plain: v,
        space: fours.join(' '),
        slash: fours.join('/'),
        'full-width': fullWidth(v),
        split: `${v.slice(0, split)} ${v.slice(split)}`,
      }[style];
      return { kind: 'card' as const, value: v, written };
    }),
  emailArb.map((v) => ({ kind: 'email' as const, value: v, written: v })),
  nameArb.chain((v) => withSpaceArb(v).map((written) => ({ kind: 'person' as const, value: v, written }))),
  nameArb.chain((v) => withSpaceArb(v).map((written) => ({ kind: 'third' as const, value: v, written }))),
  addressArb.chain((v) => withSpaceArb(v).map((written) => ({ kind: 'address' as const, value: v, written }))),
);

/** A document: safe fragments and personal data, always separated (so numbers do not run together). */
const documentArb = fc
  .array(fc.oneof({ weight: 2, arbitrary: safeFragmentArb.map((s) => ({ safe: s })) }, { weight: 1, arbitrary: embeddedArb.map((e) => ({ embedded: e })) }), {
    minLength: 1,
    maxLength: 12,
  })
  .chain((parts) => fc.tuple(fc.constant(parts), fc.array(separatorArb, { minLength: parts.length, maxLength: parts.length })))
  .map(([parts, seps]) => {
    const embedded: Embedded[] = [];
    let text = '';
    parts.forEach((p, i) => {
      if ('embedded' in p) embedded.push(p.embedded);
      text += ('safe' in p ? p.safe : p.embedded.written) + seps[i];
    });
    return { text, embedded };
  });

/** Only what the structured record would hold goes into known values; numbers are left to the detectors. */
function knownValuesOf(embedded: readonly Embedded[]): KnownValue[] {
  const out: KnownValue[] = [];
  for (const e of embedded) {
    if (e.kind === 'person') out.push({ value: e.value, category: 'PERSON_NAME', field: 'name', replacement: maskName(e.value, 'SURNAME_ONLY') });
    if (e.kind === 'third') out.push({ value: e.value, category: 'THIRD_PARTY_NAME' });
    if (e.kind === 'address') out.push({ value: e.value, category: 'ADDRESS', field: 'address' });
  }
  return out;
}

/** Every way the value could appear: as written, compact, full-width, and for ID numbers in either case. */
const formsOf = (e: Embedded): string[] => [...new Set([e.value, e.written, e.value.toUpperCase(), e.value.toLowerCase(), fullWidth(e.value)])];

describe('properties', () => {
  it('no embedded personal data survives, and verifyRedaction holds', () => {
    fc.assert(
      fc.property(documentArb, ({ text, embedded }) => {
        const { text: out, findings } = redact(text, knownValuesOf(embedded));

        for (const e of embedded) {
          for (const form of formsOf(e)) expect(out).not.toContain(form);
          // Nor with width, spaces and separators ignored.
          expect(anyForm(out)).not.toContain(anyForm(e.value));
        }
        expect(verifyRedaction(text, out, findings, { salt: SALT, policy: DEFAULT_REDACTION_POLICY })).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('findings never contain a removed value', () => {
    fc.assert(
      fc.property(documentArb, ({ text, embedded }) => {
        const { findings } = redact(text, knownValuesOf(embedded));
        const json = JSON.stringify(findings);

        for (const e of embedded) for (const form of formsOf(e)) expect(json).not.toContain(form);
        for (const f of findings) expect(json).not.toContain(text.slice(f.start, f.end));
      }),
      { numRuns: 300 },
    );
  });

  it('findings are sorted, disjoint and inside the served text', () => {
    fc.assert(
      fc.property(documentArb, ({ text, embedded }) => {
        const { findings } = redact(text, knownValuesOf(embedded));
        let prevEnd = 0;
        for (const f of findings) {
          expect(f.start).toBeGreaterThanOrEqual(prevEnd);
          expect(f.end).toBeLessThanOrEqual(text.length);
          expect(f.length).toBe(f.end - f.start);
          prevEnd = f.end;
        }
      }),
    );
  });

  it('is deterministic and idempotent: redacting the published text again changes nothing', () => {
    fc.assert(
      fc.property(documentArb, ({ text, embedded }) => {
        const knownValues = knownValuesOf(embedded);
        const first = redact(text, knownValues);

        expect(redact(text, knownValues)).toEqual(first);
        expect(redact(first.text, knownValues)).toEqual({ text: first.text, findings: [] });
      }),
      { numRuns: 200 },
    );
  });

  it('full-width digits change nothing: the same spans are found as with half-width ones', () => {
    fc.assert(
      fc.property(documentArb, ({ text, embedded }) => {
        // A full-width digit is one UTF-16 unit, like the digit: offsets are comparable.
        const wide = text.replace(/\d/g, (d) => fullWidth(d));
        const spans = (t: string) => redact(t, knownValuesOf(embedded)).findings.map((f) => [f.start, f.end, f.category]);

        expect(spans(wide)).toEqual(spans(text));
      }),
      { numRuns: 200 },
    );
  });

  it('text without personal data is unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(safeFragmentArb, separatorArb), { minLength: 1, maxLength: 15 }), (parts) => {
        const text = parts.map(([s, sep]) => s + sep).join('');
        const { text: out, findings } = redact(text);

        expect(findings).toEqual([]);
        expect(out).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('any organisation’s credit code listed as PUBLIC is unchanged, even all digits', () => {
    fc.assert(
      fc.property(anyCreditCodeArb, separatorArb, (code, sep) => {
        const text = `当事人${sep}${code}${sep}罚款人民币50000元`;
        const knownValues = knownValuesForParty({ kind: 'ORG', name: '宿迁某某公司', creditCode: code });

        expect(redact(text, knownValues).text).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
