/**
 * Filling a template with a case's values, and the filled document as plain text. Pure: no pdfkit
 * (render.ts draws the PDF and is loaded lazily by its callers).
 *
 * Values are inserted literally, in one pass: a value that itself contains `{{x}}` stays as typed.
 */
import { LIST_ITEM_NAMES, PLACEHOLDER } from './placeholders.ts';
import type { DocumentTemplate, TemplateBlock } from './template-schema.ts';
import type { DocumentFields, FilledBlock, FilledDocument, FilledRow } from './types.ts';

/** A field a shown block needs was missing; `fields` lists every missing name, in order of first use. */
export class MissingDocumentFieldsError extends Error {
  readonly fields: string[];
  constructor(title: string, fields: readonly string[]) {
    super(`${title}缺少字段：${fields.join('、')}`);
    this.name = 'MissingDocumentFieldsError';
    this.fields = [...fields];
  }
}

/** What a signature line without a printed value shows: room to sign by hand. */
export const SIGNATURE_BLANK = '＿＿＿＿＿＿＿＿';
/** The date to be written by hand under a signature. */
export const HANDWRITTEN_DATE = '年　　月　　日';
/** The separator of a joined array value. */
const JOIN = '、';

type Value = string | readonly string[] | undefined;

const filled = (value: Value): boolean =>
  value !== undefined && (typeof value === 'string' ? value.trim() !== '' : value.some((v) => v.trim() !== ''));

/** A `when` condition holds for a field that is present, non-empty and not 'false'. */
const holds = (value: Value): boolean => filled(value) && !(typeof value === 'string' && value.trim() === 'false');

const asList = (c: string | readonly string[] | undefined): readonly string[] => (c === undefined ? [] : typeof c === 'string' ? [c] : c);

export function fillDocument(template: DocumentTemplate, fields: DocumentFields): FilledDocument {
  const values = new Map<string, Value>();
  for (const [name, value] of Object.entries(template.defaults)) values.set(name, value);
  for (const [name, value] of Object.entries(fields)) if (filled(value)) values.set(name, value);

  const missing: string[] = [];
  const need = (name: string): void => void (missing.includes(name) ? undefined : missing.push(name));

  const shown = (c: { when?: string | string[] | undefined; unless?: string | string[] | undefined }): boolean =>
    asList(c.when).every((n) => holds(values.get(n))) && !asList(c.unless).some((n) => holds(values.get(n)));

  const expand = (text: string, local?: ReadonlyMap<string, string>): string =>
    text.replace(PLACEHOLDER, (_, name: string) => {
      if (LIST_ITEM_NAMES.has(name)) return local?.get(name) ?? '';
      const value = values.get(name);
      if (!filled(value)) {
        need(name);
        return '';
      }
      return typeof value === 'string' ? value : (value as readonly string[]).filter((v) => v.trim() !== '').join(JOIN);
    });

  const rows = (list: readonly { label: string; value: string; when?: string | string[] | undefined; unless?: string | string[] | undefined }[]): FilledRow[] =>
    list.filter(shown).map((r) => ({ label: expand(r.label), value: expand(r.value) }));

  const fillBlock = (block: TemplateBlock): FilledBlock | undefined => {
    switch (block.kind) {
      case 'heading':
        return { kind: 'heading', text: expand(block.text) };
      case 'paragraph':
        return { kind: 'paragraph', text: expand(block.text), indent: block.indent };
      case 'seal':
        return { kind: 'seal', text: expand(block.text) };
      case 'table': {
        const r = rows(block.rows);
        return r.length > 0 ? { kind: 'table', rows: r } : undefined;
      }
      case 'signature': {
        const r = rows(block.lines);
        return r.length > 0 ? { kind: 'signature', lines: r, date: block.date } : undefined;
      }
      case 'list': {
        const value = values.get(block.field);
        if (!filled(value)) {
          need(block.field);
          return undefined;
        }
        const elements = (typeof value === 'string' ? [value] : (value as readonly string[])).filter((v) => v.trim() !== '');
        const items = elements.map((item, i) =>
          expand(
            block.item,
            new Map([
              ['item', item],
              ['index', String(i + 1)],
            ]),
          ),
        );
        return { kind: 'list', ordered: block.ordered, items };
      }
    }
  };

  const title = expand(template.title);
  const blocks: FilledBlock[] = [];
  for (const block of template.blocks) {
    if (!shown(block)) continue;
    const b = fillBlock(block);
    if (b) blocks.push(b);
  }
  if (missing.length > 0) throw new MissingDocumentFieldsError(title, missing);
  return { type: template.type, templateVersion: template.version, title, blocks };
}

/** 2026-12-02 → 2026年12月2日 (the date of a Chinese official document: no leading zeros). */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`日期须为 YYYY-MM-DD：${date}`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** The lines of one block, as documentPlainText and the PDF's text order give them. */
export function blockLines(block: FilledBlock, date?: string): string[] {
  switch (block.kind) {
    case 'heading':
      return [block.text];
    case 'paragraph':
      return [block.indent ? `　　${block.text}` : block.text];
    case 'table':
      return block.rows.map((r) => `${r.label}：${r.value}`);
    case 'list':
      return block.items.map((item, i) => (block.ordered ? `${i + 1}. ${item}` : `· ${item}`));
    case 'signature':
      return [...block.lines.map((l) => `${l.label}：${l.value === '' ? SIGNATURE_BLANK : l.value}`), ...(block.date ? [HANDWRITTEN_DATE] : [])];
    case 'seal':
      return [block.text, ...(date === undefined ? [] : [chineseDate(date)])];
  }
}

/**
 * The document as plain text: the title, the number line (when `documentNo` is not empty), then every
 * block in order, one line per paragraph, table row, list item or signature line, joined with '\n'.
 * This is the served text of a decision that redaction compares the published text against, so it is
 * stable for the same input and contains every value exactly as given. `date` (YYYY-MM-DD), when
 * given, is written under the seal as in the PDF (2026年12月2日).
 */
export function documentPlainText(filled: FilledDocument, documentNo: string, date?: string): string {
  const lines = [filled.title, ...(documentNo === '' ? [] : [documentNo])];
  for (const block of filled.blocks) lines.push(...blockLines(block, date));
  return lines.join('\n');
}
