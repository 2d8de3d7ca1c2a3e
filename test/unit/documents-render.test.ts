/**
 * The penalty-procedure documents as PDF (P7): a valid file in the report's CJK font, the same bytes
 * for the same input, long text carried on over pages with 「第 n 页 共 m 页」 at each foot. The text
 * is read back with pdf.js (unpdf), as in the annual report's test.
 */
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { fillDocument } from '../../shared/documents/fill.ts';
import { renderDocumentPdf, type DocumentPdfMeta } from '../../shared/documents/render.ts';
import { SAMPLE_FIELDS } from '../../shared/documents/samples.ts';
import { templateOf } from '../../shared/documents/templates.ts';
import { DOCUMENT_TYPE_LABELS, DOCUMENT_TYPES, type DocumentFields, type DocumentType } from '../../shared/documents/types.ts';

const META: DocumentPdfMeta = { documentNo: '宿城市监处罚〔2026〕12号', agencyName: '宿迁市宿城区市场监督管理局', date: '2026-12-02' };

const render = (type: DocumentType, fields: DocumentFields = SAMPLE_FIELDS[type], meta = META): Promise<Buffer> =>
  renderDocumentPdf(fillDocument(templateOf(type), fields), meta);

/** Page objects in the file (not the /Pages tree node). */
const pageObjects = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

/** The text of every page, whitespace removed (pdf.js splits runs of CJK text at its own places). */
async function pageTexts(pdf: Buffer): Promise<string[]> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join('').replace(/\s+/g, ''));
  }
  return pages;
}

const squash = (s: string): string => s.replace(/\s+/g, '');

// A 20,000-character statement of facts, without whitespace so that its text can be found again.
const LONG_FACTS = Array.from({ length: 700 }, (_, i) => `第${String(i + 1).padStart(3, '0')}项：当事人于某日在某处销售过期食品若干，货值金额若干元。`).join('').slice(0, 20_000);

describe('renderDocumentPdf', () => {
  it('gives a valid A4 PDF for every type, with the agency, title, number, values and the Chinese date', async () => {
    for (const type of DOCUMENT_TYPES) {
      const pdf = await render(type);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.subarray(-6).toString('latin1').trim()).toBe('%%EOF');
      expect(pageObjects(pdf)).toBeGreaterThan(0);
      expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
      const pages = await pageTexts(pdf);
      expect(pages).toHaveLength(pageObjects(pdf));
      const all = pages.join('');
      expect(all.startsWith(squash(`${META.agencyName}${DOCUMENT_TYPE_LABELS[type]}${META.documentNo}`)), type).toBe(true);
      expect(all).toContain(squash(SAMPLE_FIELDS[type].partyName as string));
      pages.forEach((page, i) => expect(page.endsWith(`第${i + 1}页共${pages.length}页`)).toBe(true));
      if (templateOf(type).blocks.some((b) => b.kind === 'seal')) expect(all).toContain('2026年12月2日');
    }
  });

  it('prints the decision\'s payment and remedy sentences', async () => {
    const all = (await pageTexts(await render('PENALTY_DECISION'))).join('');
    expect(all).toContain(squash('缴款时注明缴款识别码3213022612000088'));
    expect(all).toContain(squash('每日按罚款数额的3%加处罚款，加处罚款的数额不超出罚款的数额'));
    expect(all).toContain(squash('可以在收到本决定书之日起60日内向宿迁市宿城区人民政府申请行政复议'));
    expect(all).toContain(squash('6个月内直接向宿迁市宿城区人民法院提起行政诉讼'));
  });

  it('is byte-identical for the same input, and differs for a different one', async () => {
    const a = await render('PENALTY_DECISION');
    const b = await render('PENALTY_DECISION');
    expect(b.equals(a)).toBe(true);
    const otherParty = await render('PENALTY_DECISION', { ...SAMPLE_FIELDS.PENALTY_DECISION, partyName: '宿城区李记副食品店' });
    expect(otherParty.equals(a)).toBe(false);
    const otherDate = await render('PENALTY_DECISION', SAMPLE_FIELDS.PENALTY_DECISION, { ...META, date: '2026-12-03' });
    expect(otherDate.equals(a)).toBe(false);
    // The creation date is the document's date (midnight in Beijing), not the clock.
    expect(a.toString('latin1')).toContain('(D:20261201160000Z)');
  });

  it('carries 20,000 characters of facts over several pages, in a paragraph and in a table row', async () => {
    const decision = await render('PENALTY_DECISION', { ...SAMPLE_FIELDS.PENALTY_DECISION, facts: LONG_FACTS });
    const summary = await render('PENALTY_SUMMARY', { ...SAMPLE_FIELDS.PENALTY_SUMMARY, facts: LONG_FACTS });
    for (const pdf of [decision, summary]) {
      const pages = await pageTexts(pdf);
      expect(pages.length).toBeGreaterThanOrEqual(8);
      expect(pageObjects(pdf)).toBe(pages.length);
      pages.forEach((page, i) => expect(page.endsWith(`第${i + 1}页共${pages.length}页`)).toBe(true));
      // Every character of the facts is printed, in order (page breaks and page footers aside).
      const all = pages.map((p, i) => p.replace(`第${i + 1}页共${pages.length}页`, '')).join('');
      const printed = all.replace(/主要违法事实（续）/g, '');
      expect(LONG_FACTS.length).toBe(20_000);
      expect(printed.includes(LONG_FACTS), 'the whole facts text, in order').toBe(true);
    }
    // The table row split across pages is labelled as continued.
    expect((await pageTexts(summary))[1]).toContain('主要违法事实（续）');
  });
});
