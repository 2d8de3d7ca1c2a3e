/**
 * The shape of a template file (`templates/<name>.v<version>.json`). Templates are data: a new wording
 * is a new file with the next version, and documents already issued keep naming the version they were
 * filled from. Every file is parsed through `documentTemplateSchema` when templates.ts is loaded, so a
 * malformed file fails at start-up (and in the unit tests), never in the middle of issuing a document.
 *
 * Text may contain `{{fieldName}}` placeholders; in a list block's `item`, `{{item}}` is the array
 * element and `{{index}}` its 1-based number. A block (or a table row, or a signature line) with
 * `when` is shown only when every named field is present (non-empty and not 'false'); with `unless`,
 * only when none is.
 */
import * as z from '../domain/z.ts';
import { LIST_ITEM_NAMES, PLACEHOLDER } from './placeholders.ts';
import { DOCUMENT_TYPES } from './types.ts';

export { LIST_ITEM_NAMES, PLACEHOLDER } from './placeholders.ts';

const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]*$/, '字段名须为 camelCase 英文');
const condition = z.union([fieldName, z.array(fieldName).min(1)]).optional();
const text = z.string().min(1);
const conditional = { when: condition, unless: condition };

const row = z.strictObject({ label: text, value: z.string(), ...conditional });

export const templateBlockSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('heading'), text, ...conditional }),
  z.strictObject({ kind: z.literal('paragraph'), text, indent: z.boolean().default(true), ...conditional }),
  z.strictObject({ kind: z.literal('table'), rows: z.array(row).min(1), ...conditional }),
  z.strictObject({
    kind: z.literal('list'),
    field: fieldName,
    item: text.default('{{item}}'),
    ordered: z.boolean().default(true),
    ...conditional,
  }),
  z.strictObject({
    kind: z.literal('signature'),
    lines: z.array(z.strictObject({ label: text, value: z.string().default(''), ...conditional })).min(1),
    date: z.boolean().default(true),
    ...conditional,
  }),
  z.strictObject({ kind: z.literal('seal'), text: text.default('{{agencyName}}'), ...conditional }),
]);
export type TemplateBlock = z.infer<typeof templateBlockSchema>;

export const documentTemplateSchema = z
  .strictObject({
    type: z.enum(DOCUMENT_TYPES),
    version: z.number().int().min(1),
    title: text,
    /** The document's word (字) in its number, e.g. 处罚 in 宿市监处罚〔2026〕12号. */
    numberWord: text,
    description: z.string().optional(),
    /** Every field the template uses, with what it holds (documentation, and checked against the blocks). */
    fields: z.record(fieldName, text),
    /** Values used when the caller gives none (statutory periods, e.g. paymentDays 15). */
    defaults: z.record(fieldName, z.string()).default({}),
    blocks: z.array(templateBlockSchema).min(1),
  })
  .superRefine((template, ctx) => {
    const used = new Set<string>();
    const check = (value: string, path: (string | number)[], inList: boolean): void => {
      for (const m of value.matchAll(PLACEHOLDER)) {
        const name = m[1] ?? '';
        if (LIST_ITEM_NAMES.has(name)) {
          if (!inList) ctx.addIssue({ code: 'custom', path, message: `{{${name}}} 只能用在列表块的 item 中` });
        } else used.add(name);
      }
      if (value.replace(PLACEHOLDER, '').includes('{{')) ctx.addIssue({ code: 'custom', path, message: `占位符写法有误：${value}` });
    };
    const conditions = (c: string | readonly string[] | undefined): void => {
      for (const name of typeof c === 'string' ? [c] : (c ?? [])) used.add(name);
    };
    check(template.title, ['title'], false);
    template.blocks.forEach((block, i) => {
      const at = ['blocks', i];
      conditions(block.when);
      conditions(block.unless);
      if (block.kind === 'heading' || block.kind === 'paragraph' || block.kind === 'seal') check(block.text, [...at, 'text'], false);
      if (block.kind === 'list') {
        used.add(block.field);
        check(block.item, [...at, 'item'], true);
      }
      if (block.kind === 'table' || block.kind === 'signature') {
        const rows = block.kind === 'table' ? block.rows : block.lines;
        rows.forEach((r, j) => {
          conditions(r.when);
          conditions(r.unless);
          check(r.label, [...at, j, 'label'], false);
          check(r.value, [...at, j, 'value'], false);
        });
      }
    });
    for (const name of used) {
      if (!(name in template.fields)) ctx.addIssue({ code: 'custom', path: ['fields'], message: `字段 ${name} 未在 fields 中说明` });
    }
    for (const name of Object.keys(template.fields)) {
      if (!used.has(name)) ctx.addIssue({ code: 'custom', path: ['fields', name], message: `字段 ${name} 未被任何块使用` });
    }
    for (const name of Object.keys(template.defaults)) {
      if (!used.has(name)) ctx.addIssue({ code: 'custom', path: ['defaults', name], message: `默认值字段 ${name} 未被任何块使用` });
    }
  });

export type DocumentTemplate = z.infer<typeof documentTemplateSchema>;
