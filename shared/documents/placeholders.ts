/** The placeholder syntax of the templates, apart from the schema so that fill.ts does not pull zod. */

/** `{{name}}`, with optional spaces inside the braces. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
/** Names that only a list block's `item` may use: the element and its 1-based number. */
export const LIST_ITEM_NAMES: ReadonlySet<string> = new Set(['item', 'index']);
