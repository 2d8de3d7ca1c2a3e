/**
 * The penalty-procedure documents (P7) without the PDF: the template files, filling them, their
 * plain text (the served text redaction compares against), and document numbers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documentPlainText, fillDocument, MissingDocumentFieldsError, chineseDate } from '../../shared/documents/fill.ts';
import { DEFAULT_DOCUMENT_NO_FORMAT, documentNoFormatProblem, formatDocumentNo } from '../../shared/documents/number.ts';
import { SAMPLE_FIELDS } from '../../shared/documents/samples.ts';
import {
  documentTemplateSchema,
  requiredFields,
  TEMPLATE_FIELDS,
  TEMPLATE_SOURCES,
  templateOf,
  templateVersions,
  UnknownTemplateError,
  type DocumentTemplate,
} from '../../shared/documents/templates.ts';
import { DOCUMENT_TYPE_LABELS, DOCUMENT_TYPES, type DocumentFields, type DocumentType } from '../../shared/documents/types.ts';

const TEMPLATE_DIR = fileURLToPath(new URL('../../shared/documents/templates/', import.meta.url));
const DOCUMENTS_DIR = fileURLToPath(new URL('../../shared/documents/', import.meta.url));

const text = (type: DocumentType, fields: DocumentFields = SAMPLE_FIELDS[type], no = '宿城市监处罚〔2026〕12号'): string =>
  documentPlainText(fillDocument(templateOf(type), fields), no, '2026-12-20');

const without = (fields: DocumentFields, ...names: string[]): DocumentFields =>
  Object.fromEntries(Object.entries(fields).filter(([name]) => !names.includes(name)));

describe('template files', () => {
  const files = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json'));

  it('every file in templates/ validates against the schema and is registered', () => {
    expect(files.length).toBeGreaterThanOrEqual(DOCUMENT_TYPES.length);
    for (const file of files) {
      const data: unknown = JSON.parse(readFileSync(`${TEMPLATE_DIR}${file}`, 'utf8'));
      const parsed = documentTemplateSchema.safeParse(data);
      expect(parsed.error?.issues ?? [], file).toEqual([]);
      expect(file).toMatch(new RegExp(`\\.v${parsed.data?.version}\\.json$`));
      expect(TEMPLATE_SOURCES[file], `${file} is not imported in templates.ts`).toEqual(data);
    }
    expect(Object.keys(TEMPLATE_SOURCES).sort()).toEqual([...files].sort());
  });

  it('there is a template for every type, titled with its label', () => {
    for (const type of DOCUMENT_TYPES) {
      const template = templateOf(type);
      expect(template.type).toBe(type);
      expect(template.title).toBe(DOCUMENT_TYPE_LABELS[type]);
      expect(templateVersions(type)).toContain(template.version);
    }
  });

  it('the schema rejects an undocumented field, {{item}} outside a list and a broken placeholder', () => {
    const base = structuredClone(TEMPLATE_SOURCES['service-receipt.v1.json']) as DocumentTemplate;
    const messages = (t: unknown): string[] => documentTemplateSchema.safeParse(t).error?.issues.map((i) => i.message) ?? [];
    expect(messages({ ...base, blocks: [...base.blocks, { kind: 'paragraph', text: '{{undocumented}}' }] })).toContain('字段 undocumented 未在 fields 中说明');
    expect(messages({ ...base, blocks: [...base.blocks, { kind: 'paragraph', text: '第{{index}}项' }] })).toContain('{{index}} 只能用在列表块的 item 中');
    expect(messages({ ...base, blocks: [...base.blocks, { kind: 'paragraph', text: '{{ partyName' }] }).join()).toContain('占位符写法有误');
    expect(messages({ ...base, fields: { ...base.fields, unused: '没用到' } })).toContain('字段 unused 未被任何块使用');
    expect(messages({ ...base, blocks: [{ kind: 'picture', text: 'x' }] }).length).toBeGreaterThan(0);
  });

  it('templateOf gives the latest version without one, that version with one, and throws for an unknown one', () => {
    expect(templateOf('PENALTY_DECISION').version).toBe(Math.max(...templateVersions('PENALTY_DECISION')));
    expect(templateOf('PENALTY_DECISION', 1).version).toBe(1);
    expect(() => templateOf('PENALTY_DECISION', 99)).toThrow(UnknownTemplateError);
    expect(() => templateOf('PENALTY_DECISION', 99)).toThrow('没有第 99 版模板');
  });

  it('required fields come from the placeholders: conditional and defaulted ones are not required', () => {
    const notice = requiredFields(templateOf('PENALTY_NOTICE'));
    expect(notice).toEqual(expect.arrayContaining(['partyName', 'facts', 'evidence', 'legalBasis', 'proposedPenalty']));
    expect(notice).not.toContain('hearingDays'); // only in the hearing paragraph, and defaulted
    expect(notice).not.toContain('hearingOffered'); // a condition
    expect(notice).not.toContain('statementDays'); // defaulted to 5
    expect(TEMPLATE_FIELDS.PENALTY_NOTICE).toEqual(expect.arrayContaining(['hearingOffered', 'hearingDays', 'statementDays']));
    for (const type of DOCUMENT_TYPES) expect([...TEMPLATE_FIELDS[type]].sort()).toEqual(Object.keys(templateOf(type).fields).sort());
  });
});

describe('filling', () => {
  it('each type fills with a realistic field set; its text has the title, number and every value given', () => {
    for (const type of DOCUMENT_TYPES) {
      const filled = fillDocument(templateOf(type), SAMPLE_FIELDS[type]);
      expect(filled).toMatchObject({ type, templateVersion: 1, title: DOCUMENT_TYPE_LABELS[type] });
      const plain = documentPlainText(filled, 'X〔2026〕1号');
      expect(plain.split('\n').slice(0, 2)).toEqual([DOCUMENT_TYPE_LABELS[type], 'X〔2026〕1号']);
      for (const name of TEMPLATE_FIELDS[type]) {
        const value = SAMPLE_FIELDS[type][name];
        if (value === undefined || name === 'hearingOffered') continue;
        for (const v of typeof value === 'string' ? [value] : value) expect(plain, `${type}.${name}`).toContain(v);
      }
    }
  });

  it('the decision states payment, the late surcharge, reconsideration, litigation and publication', () => {
    const plain = text('PENALTY_DECISION');
    expect(plain).toContain('罚款金额：人民币5,000.00元（大写：伍仟元整）。');
    expect(plain).toContain(
      '当事人应当自收到本决定书之日起15日内，持本决定书到指定银行中国农业银行宿迁分行营业部（账号：1048 0101 0400 00000）缴纳罚款，缴款时注明缴款识别码3213022612000088。',
    );
    expect(plain).toContain('本局及执法人员不直接收取罚款');
    expect(plain).toContain('每日按罚款数额的3%加处罚款，加处罚款的数额不超出罚款的数额');
    expect(plain).toContain('可以在收到本决定书之日起60日内向宿迁市宿城区人民政府申请行政复议');
    expect(plain).toContain('6个月内直接向宿迁市宿城区人民法院提起行政诉讼');
    expect(plain).toContain('第四十八条');
    expect(plain).toContain('依法向社会公开');
    expect(plain).toContain('1. 当事人的营业执照、食品经营许可证复印件\n2. 2026年11月2日现场检查笔录及现场照片');
    expect(plain.endsWith('宿迁市宿城区市场监督管理局\n2026年12月20日')).toBe(true);
  });

  it('a decision without a fine has no payment paragraphs; without a statement it says none was made', () => {
    const plain = text('PENALTY_DECISION', without(SAMPLE_FIELDS.PENALTY_DECISION, 'fine', 'fineInWords', 'paymentBank', 'paymentAccount', 'paymentReference', 'statementSummary', 'statementResponse'));
    expect(plain).not.toContain('缴纳罚款');
    expect(plain).not.toContain('加处罚款');
    expect(plain).toContain('当事人在规定期限内未提出陈述、申辩意见。');
    expect(plain).not.toContain('本局复核意见');
    expect(plain).toContain('申请行政复议');
    // A fine without its amount in words: the shorter sentence.
    expect(text('PENALTY_DECISION', without(SAMPLE_FIELDS.PENALTY_DECISION, 'fineInWords'))).toContain('罚款金额：人民币5,000.00元。');
  });

  it('the notice states the proposed penalty and the right to state and defend; the hearing right only when offered', () => {
    const offered = text('PENALTY_NOTICE');
    expect(offered).toContain('本局拟对你（单位）作出如下行政处罚：1. 没收超过保质期的牛奶12盒；2. 没收违法所得人民币18元；3. 罚款人民币5,000元。');
    expect(offered).toContain('你（单位）可以在收到本告知书之日起5个工作日内向本局提出陈述、申辩意见');
    expect(offered).toContain('你（单位）有权要求听证。如要求听证，应当在收到本告知书之日起5个工作日内向本局提出');
    for (const fields of [without(SAMPLE_FIELDS.PENALTY_NOTICE, 'hearingOffered'), { ...SAMPLE_FIELDS.PENALTY_NOTICE, hearingOffered: 'false' }, { ...SAMPLE_FIELDS.PENALTY_NOTICE, hearingOffered: '' }]) {
      const plain = text('PENALTY_NOTICE', fields);
      expect(plain).not.toContain('要求听证');
      expect(plain).toContain('陈述、申辩意见');
    }
    // A period given by the caller wins over the default.
    expect(text('PENALTY_NOTICE', { ...SAMPLE_FIELDS.PENALTY_NOTICE, statementDays: '3' })).toContain('之日起3个工作日内向本局提出陈述');
  });

  it('conditional table rows: the summary shows the credit code of a business and leaves it out for a person', () => {
    expect(text('PENALTY_SUMMARY')).toContain('统一社会信用代码：92321302MA1XXXXX0Q');
    const person = text('PENALTY_SUMMARY', without(SAMPLE_FIELDS.PENALTY_SUMMARY, 'creditCode', 'legalRepresentative', 'fine'));
    expect(person).not.toContain('统一社会信用代码');
    expect(person).not.toContain('法定代表人');
    expect(person).not.toContain('罚款金额（元）');
  });

  it('a missing field is named, and every missing field is listed', () => {
    const fields = { ...without(SAMPLE_FIELDS.PENALTY_DECISION, 'partyName', 'court', 'evidence', 'paymentBank'), facts: '   ' };
    let error: unknown;
    try {
      fillDocument(templateOf('PENALTY_DECISION'), fields);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingDocumentFieldsError);
    expect((error as MissingDocumentFieldsError).fields.sort()).toEqual(['court', 'evidence', 'facts', 'partyName', 'paymentBank']);
    expect((error as Error).message).toContain('行政处罚决定书缺少字段');
    expect((error as Error).message).toContain('court');
    // A field used only by a hidden block is not missing.
    expect(() => fillDocument(templateOf('PENALTY_DECISION'), without(SAMPLE_FIELDS.PENALTY_DECISION, 'fine', 'paymentBank'))).not.toThrow();
    expect(() => fillDocument(templateOf('PENALTY_NOTICE'), { ...SAMPLE_FIELDS.PENALTY_NOTICE, evidence: [] })).toThrow(/evidence/);
  });

  it('values are inserted literally: {{x}} and $& inside a value are not expanded', () => {
    const fields = { ...SAMPLE_FIELDS.PENALTY_DECISION, partyName: '{{court}}商行$&$1', facts: '发现{{ fine }}与{{unknown}}字样。' };
    const plain = text('PENALTY_DECISION', fields);
    expect(plain).toContain('当事人：{{court}}商行$&$1');
    expect(plain).toContain('经查，发现{{ fine }}与{{unknown}}字样。');
    expect(plain.match(/宿迁市宿城区人民法院/g)).toHaveLength(1);
  });

  it('the plain text is the same for the same input and has no leftover placeholder', () => {
    for (const type of DOCUMENT_TYPES) {
      expect(text(type)).toBe(text(type));
      expect(text(type)).not.toMatch(/\{\{|\}\}/);
    }
    expect(documentPlainText(fillDocument(templateOf('FILING_APPROVAL'), SAMPLE_FIELDS.FILING_APPROVAL), '').split('\n')[1]).toBe('案件编号：宿城市监立〔2026〕88号');
  });

  it('list items are numbered in order; an array in a placeholder is joined with 、', () => {
    const plain = text('PENALTY_NOTICE', { ...SAMPLE_FIELDS.PENALTY_NOTICE, evidence: ['甲', '', '乙'], handlingOfficers: ['张某', '李某'] });
    expect(plain).toContain('\n1. 甲\n2. 乙\n');
    expect(plain).toContain('联系人：张某、李某');
  });

  it('dates in the Chinese form', () => {
    expect(chineseDate('2026-12-02')).toBe('2026年12月2日');
    expect(chineseDate('2027-01-31')).toBe('2027年1月31日');
    expect(() => chineseDate('2026/12/02')).toThrow();
  });

  it('nothing but the two renderers (a document, the case file) loads pdfkit: callers load them lazily', () => {
    const renderers = ['render.ts', 'case-file.ts'];
    for (const file of readdirSync(DOCUMENTS_DIR).filter((f) => f.endsWith('.ts') && !renderers.includes(f))) {
      const source = readFileSync(`${DOCUMENTS_DIR}${file}`, 'utf8');
      expect(source, file).not.toMatch(/from ['"]pdfkit['"]|render\.ts['"]|report\/font\.ts/);
    }
  });
});

describe('document numbers', () => {
  it('formats with the default format, without padding unless asked', () => {
    expect(formatDocumentNo(DEFAULT_DOCUMENT_NO_FORMAT, { prefix: '宿市监', word: '处罚', year: 2026, seq: 12 })).toBe('宿市监处罚〔2026〕12号');
    expect(formatDocumentNo(DEFAULT_DOCUMENT_NO_FORMAT, { prefix: '沭市监', word: '罚告', year: 2027, seq: 1 })).toBe('沭市监罚告〔2027〕1号');
    expect(formatDocumentNo('{prefix}{word}〔{year}〕{seq:3}号', { prefix: '宿市监', word: '处罚', year: 2026, seq: 12 })).toBe('宿市监处罚〔2026〕012号');
    expect(formatDocumentNo('{prefix}{word}〔{year}〕{seq:3}号', { prefix: '宿市监', word: '处罚', year: 2026, seq: 1234 })).toBe('宿市监处罚〔2026〕1234号');
    expect(formatDocumentNo('{year}-{word}-{seq:4}', { prefix: '', word: '听通', year: 2026, seq: 7 })).toBe('2026-听通-0007');
    expect(() => formatDocumentNo(DEFAULT_DOCUMENT_NO_FORMAT, { prefix: '宿市监', word: '处罚', year: 2026, seq: 0 })).toThrow('序号');
  });

  it('explains what is wrong with a format, in Chinese', () => {
    expect(documentNoFormatProblem(DEFAULT_DOCUMENT_NO_FORMAT)).toBeUndefined();
    expect(documentNoFormatProblem('{prefix}{word}〔{year}〕{seq:3}号')).toBeUndefined();
    expect(documentNoFormatProblem('{prefix}{word}〔{year}〕号')).toContain('必须包含序号 {seq}');
    expect(documentNoFormatProblem('{prefix}{word}{seq}号')).toContain('必须包含年份 {year}');
    expect(documentNoFormatProblem('{prefix}{word}〔{year}〕{seq}号{month}')).toBe(
      '文号格式含有不认识的占位符：{month}（可用 {prefix}、{word}、{year}、{seq}、{seq:3}）',
    );
    expect(documentNoFormatProblem('{prefix}〔{year}〕{seq}号{')).toContain('花括号不成对');
    expect(documentNoFormatProblem('{year}{seq}{seq:3}')).toContain('只能包含一个序号');
    expect(() => formatDocumentNo('{prefix}{seq}', { prefix: 'a', word: 'b', year: 2026, seq: 1 })).toThrow('年份');
  });
});

describe('document numbers never collide across types (P7)', () => {
  it('every type has its own number word, so the same agency, year and sequence give different numbers', () => {
    const words = DOCUMENT_TYPES.map((t) => templateOf(t).numberWord);
    expect(new Set(words).size).toBe(DOCUMENT_TYPES.length);
    const numbers = DOCUMENT_TYPES.map((t) => formatDocumentNo(DEFAULT_DOCUMENT_NO_FORMAT, { prefix: '宿市监', word: templateOf(t).numberWord, year: 2026, seq: 12 }));
    expect(new Set(numbers).size).toBe(DOCUMENT_TYPES.length);
    expect(numbers[DOCUMENT_TYPES.indexOf('PENALTY_DECISION')]).toBe('宿市监处罚〔2026〕12号');
  });
});
