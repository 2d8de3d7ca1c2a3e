/**
 * The registered templates: one JSON file per template and version under ./templates/, imported as
 * JSON modules (bundled by esbuild, read by tsx and vitest alike) and parsed through the schema once,
 * when this module is loaded. A new version of a template is a new file added to SOURCES.
 */
import { documentTemplateSchema, LIST_ITEM_NAMES, PLACEHOLDER, type DocumentTemplate, type TemplateBlock } from './template-schema.ts';
import { DOCUMENT_TYPES, type DocumentType } from './types.ts';
import closingApprovalV1 from './templates/closing-approval.v1.json' with { type: 'json' };
import filingApprovalV1 from './templates/filing-approval.v1.json' with { type: 'json' };
import hearingNoticeV1 from './templates/hearing-notice.v1.json' with { type: 'json' };
import hearingRecordV1 from './templates/hearing-record.v1.json' with { type: 'json' };
import penaltyDecisionV1 from './templates/penalty-decision.v1.json' with { type: 'json' };
import penaltyNoticeV1 from './templates/penalty-notice.v1.json' with { type: 'json' };
import penaltySummaryV1 from './templates/penalty-summary.v1.json' with { type: 'json' };
import serviceReceiptV1 from './templates/service-receipt.v1.json' with { type: 'json' };

export type { DocumentTemplate, TemplateBlock } from './template-schema.ts';
export { documentTemplateSchema } from './template-schema.ts';

/** Every template file, by its file name under ./templates/ (the unit tests check none is left out). */
export const TEMPLATE_SOURCES: Readonly<Record<string, unknown>> = {
  'filing-approval.v1.json': filingApprovalV1,
  'penalty-notice.v1.json': penaltyNoticeV1,
  'hearing-notice.v1.json': hearingNoticeV1,
  'hearing-record.v1.json': hearingRecordV1,
  'penalty-decision.v1.json': penaltyDecisionV1,
  'service-receipt.v1.json': serviceReceiptV1,
  'closing-approval.v1.json': closingApprovalV1,
  'penalty-summary.v1.json': penaltySummaryV1,
};

export class UnknownTemplateError extends Error {
  constructor(
    readonly type: string,
    readonly version: number | undefined,
  ) {
    super(version === undefined ? `没有文书类型 ${type} 的模板` : `文书类型 ${type} 没有第 ${version} 版模板`);
    this.name = 'UnknownTemplateError';
  }
}

function register(): ReadonlyMap<DocumentType, readonly DocumentTemplate[]> {
  const byType = new Map<DocumentType, DocumentTemplate[]>();
  for (const [file, data] of Object.entries(TEMPLATE_SOURCES)) {
    const parsed = documentTemplateSchema.safeParse(data);
    if (!parsed.success) throw new Error(`文书模板 ${file} 不合格：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
    const template = parsed.data;
    const expected = `.v${template.version}.json`;
    if (!file.endsWith(expected)) throw new Error(`文书模板 ${file} 的版本号 ${template.version} 与文件名不符`);
    const list = byType.get(template.type) ?? [];
    if (list.some((t) => t.version === template.version)) throw new Error(`文书模板 ${template.type} 第 ${template.version} 版重复`);
    list.push(template);
    byType.set(template.type, list);
  }
  for (const type of DOCUMENT_TYPES) {
    const list = byType.get(type);
    if (!list) throw new Error(`缺少文书类型 ${type} 的模板`);
    list.sort((a, b) => a.version - b.version);
  }
  return byType;
}

const TEMPLATES = register();

/** The template of a type: the given version, or the latest. An unknown type or version throws UnknownTemplateError. */
export function templateOf(type: DocumentType, version?: number): DocumentTemplate {
  const list = TEMPLATES.get(type);
  const template = version === undefined ? list?.at(-1) : list?.find((t) => t.version === version);
  if (!template) throw new UnknownTemplateError(type, version);
  return template;
}

/** The versions there are of a type's template, oldest first. */
export const templateVersions = (type: DocumentType): readonly number[] => (TEMPLATES.get(type) ?? []).map((t) => t.version);

const asList = (c: string | readonly string[] | undefined): readonly string[] => (c === undefined ? [] : typeof c === 'string' ? [c] : c);

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((n) => !LIST_ITEM_NAMES.has(n));
}

/** The fields a block puts into the text (not those that only decide whether it is shown). */
function blockFields(block: TemplateBlock): { always: string[]; conditional: string[] } {
  const always: string[] = [];
  const conditional: string[] = [];
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
    case 'seal':
      always.push(...placeholders(block.text));
      break;
    case 'list':
      always.push(block.field);
      break;
    case 'table':
    case 'signature':
      for (const r of block.kind === 'table' ? block.rows : block.lines) {
        const names = [...placeholders(r.label), ...placeholders(r.value)];
        (r.when === undefined && r.unless === undefined ? always : conditional).push(...names);
      }
      break;
  }
  return { always, conditional };
}

/**
 * The fields a caller must give for the template to fill whatever the conditions: those used by
 * blocks and rows without `when`/`unless`, less those the template has a default for. Sorted.
 */
export function requiredFields(template: DocumentTemplate): readonly string[] {
  const names = new Set<string>(placeholders(template.title));
  for (const block of template.blocks) {
    if (block.when !== undefined || block.unless !== undefined) continue;
    for (const name of blockFields(block).always) names.add(name);
  }
  return [...names].filter((n) => !(n in template.defaults)).sort();
}

/** Every field the template can use (placeholders, lists and conditions), sorted: its `fields` map's keys. */
export function templateFields(template: DocumentTemplate): readonly string[] {
  const names = new Set<string>(placeholders(template.title));
  for (const block of template.blocks) {
    for (const name of [...asList(block.when), ...asList(block.unless)]) names.add(name);
    const { always, conditional } = blockFields(block);
    for (const name of [...always, ...conditional]) names.add(name);
    if (block.kind === 'table' || block.kind === 'signature') {
      for (const r of block.kind === 'table' ? block.rows : block.lines) for (const name of [...asList(r.when), ...asList(r.unless)]) names.add(name);
    }
  }
  return [...names].sort();
}

/** Every field the latest template of each type can use (see templateFields; requiredFields for those always needed). */
export const TEMPLATE_FIELDS: Readonly<Record<DocumentType, readonly string[]>> = Object.fromEntries(
  DOCUMENT_TYPES.map((type) => [type, templateFields(templateOf(type))]),
) as Record<DocumentType, readonly string[]>;
