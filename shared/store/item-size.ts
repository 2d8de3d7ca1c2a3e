/**
 * What DynamoDB would refuse, refused before anything is sent (S3, issue 10 point 6).
 *
 * DynamoDB answers an item above 400 KB, a transaction above 4 MB, an oversize key or a number outside
 * its range with a ValidationException, which would surface as a 500 after the request was judged
 * valid (a long decision text published with its redacted copy and manifest; a review collecting
 * opinions). The writers call this module first so that such a request gets a typed 413 naming the
 * entity and the limit, and nothing of the transaction is written.
 *
 * Sizes follow AWS's documented rules (DynamoDB developer guide, "Item sizes and formats"):
 * attribute names and string values count their UTF-8 bytes; a number is about 1 byte per two
 * significant digits plus 1; binary counts its raw bytes; null and booleans 1 byte; a list or map
 * 3 bytes plus 1 byte per element, plus its elements (map keys count like attribute names); a set
 * the sum of its elements. The estimate is exact for everything but numbers, and the guard keeps a
 * safety margin below the hard limit for those and for any overhead the guide does not spell out.
 */
import { PayloadTooLargeError, ValidationError } from '../domain/errors.ts';
import type { Write } from './transact.ts';

/** DynamoDB's hard limit for one item. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;
/** What the guard allows: the hard limit less a 16 KB safety margin. */
export const MAX_ITEM_BYTES = DYNAMODB_ITEM_LIMIT_BYTES - 16 * 1024;
/** DynamoDB's limit for the aggregate size of one TransactWriteItems. */
export const DYNAMODB_TRANSACTION_LIMIT_BYTES = 4 * 1024 * 1024;
export const MAX_TRANSACTION_BYTES = DYNAMODB_TRANSACTION_LIMIT_BYTES - 64 * 1024;
/** Key attribute values (table and index keys). */
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

/** DynamoDB numbers: 38 significant digits, magnitude 1e-130 to below 1e126. */
const MIN_MAGNITUDE = 1e-130;
const MAX_MAGNITUDE = 1e126;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Significant digits of a number as the SDK sends it (its shortest round-trip decimal form). */
function significantDigits(n: number | bigint): number {
  const text = String(n).toLowerCase().replace(/^-/, '');
  const mantissa = text.split('e')[0] ?? '';
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length;
}

/** Size of a number value: 1 byte per two significant digits, plus 1. */
export function numberSize(n: number | bigint): number {
  return Math.ceil(significantDigits(n) / 2) + 1;
}

/** A problem DynamoDB would refuse in a value (not about size), with where it is. */
class BadValue extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function checkNumber(n: number, path: string): void {
  if (!Number.isFinite(n)) throw new BadValue(path, '数值无效（NaN 或无穷大）');
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < MIN_MAGNITUDE || abs >= MAX_MAGNITUDE)) {
    throw new BadValue(path, '数值超出可存储的范围（绝对值 1e-130 至 1e126）');
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Size in bytes of one value as lib-dynamodb marshals it (undefined values are left out: 0). */
export function valueSize(value: unknown, path = ''): number {
  if (value === undefined) return 0;
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new BadValue(path, '包含无效的 Unicode 字符（不成对的代理项）');
    return utf8(value);
  }
  if (typeof value === 'number') {
    checkNumber(value, path);
    return numberSize(value);
  }
  if (typeof value === 'bigint') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (value instanceof Set) {
    let total = 0;
    for (const v of value as Set<unknown>) total += valueSize(v, path);
    return total;
  }
  if (Array.isArray(value)) {
    let total = 3;
    value.forEach((v, i) => {
      if (v !== undefined) total += 1 + valueSize(v, `${path}[${i}]`);
    });
    return total;
  }
  if (typeof value === 'object') {
    let total = 3;
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) total += 1 + utf8(k) + valueSize(v, path ? `${path}.${k}` : k);
    }
    return total;
  }
  // Functions and symbols cannot be marshalled at all; the SDK refuses them before sending.
  return 0;
}

/** Size in bytes of a whole item: attribute names plus values (top-level attributes carry no overhead). */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) total += utf8(name) + valueSize(value, name);
  }
  return total;
}

/** Names users read for the entities of the store (`entity` attribute), for the 413 message. */
const ENTITY_LABELS: Readonly<Record<string, string>> = {
  Case: '案件',
  Act: '执法行为',
  Event: '案件时间线记录',
  Decision: '执法决定',
  Review: '法制审核',
  PendingStep: '法制审核',
  RedactionManifest: '公示隐去记录',
  PublicDecision: '公示决定',
  PublicDecisionVersion: '公示决定版本',
  PublicDecisionIndex: '公示决定索引',
  CatalogVersion: '清单事项',
  Evidence: '证据',
  RecordingException: '音像记录情况说明',
  Agency: '执法主体',
  Officer: '执法人员',
  Device: '执法设备',
  AnnualReport: '年度报告',
  AnnualReportVersion: '年度报告版本',
  PublishedAnnualReport: '已公开的年度报告',
  Idempotency: '幂等记录',
};

const TABLE_LABELS: Readonly<Record<string, string>> = { Audit: '审计记录' };

/** The user-facing name of what an item is: its entity, else its table. */
export function entityLabel(item: Readonly<Record<string, unknown>> | undefined, table: string): string {
  const entity = typeof item?.entity === 'string' ? item.entity : undefined;
  return (entity && ENTITY_LABELS[entity]) ?? TABLE_LABELS[table] ?? entity ?? table;
}

const KB = (bytes: number): string => `${Math.ceil(bytes / 1024)} KB`;

function keyProblem(name: string, value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^(pk|gsi\d+pk)$/.test(name)) return utf8(value) > MAX_PARTITION_KEY_BYTES ? MAX_PARTITION_KEY_BYTES : undefined;
  if (/^(sk|gsi\d+sk)$/.test(name)) return utf8(value) > MAX_SORT_KEY_BYTES ? MAX_SORT_KEY_BYTES : undefined;
  return undefined;
}

function withPath<T>(label: string, run: () => T): T {
  try {
    return run();
  } catch (err: unknown) {
    if (err instanceof BadValue) {
      throw new ValidationError(`无法保存${label}：字段 ${err.path} ${err.reason}`, [{ path: err.path, message: err.reason }], 'UNSTORABLE_VALUE');
    }
    throw err;
  }
}

/**
 * The size of an item that is about to be put, or a 413 PayloadTooLargeError (ITEM_TOO_LARGE,
 * KEY_TOO_LARGE) naming the entity and the limit; a 400 (UNSTORABLE_VALUE) for a number or string the
 * store cannot hold.
 */
export function assertItemFits(table: string, item: Readonly<Record<string, unknown>>): number {
  const label = entityLabel(item, table);
  const size = withPath(label, () => itemSize(item));
  for (const [name, value] of Object.entries(item)) {
    const limit = keyProblem(name, value);
    if (limit !== undefined) {
      throw new PayloadTooLargeError(`${label}的键值过长（超过 ${limit} 字节），无法保存`, [{ path: name, message: `键值不能超过 ${limit} 字节`, entity: label, limitBytes: limit }], 'KEY_TOO_LARGE');
    }
  }
  if (size > MAX_ITEM_BYTES) {
    throw new PayloadTooLargeError(
      `${label}的内容过大：约 ${KB(size)}，超过单条记录 ${KB(MAX_ITEM_BYTES)} 的存储上限（DynamoDB 每条记录不超过 400 KB），未保存任何内容。请精简文字后重试`,
      [{ path: label, message: `约 ${KB(size)}，上限 ${KB(MAX_ITEM_BYTES)}`, entity: label, table, estimatedBytes: size, limitBytes: MAX_ITEM_BYTES }],
    );
  }
  return size;
}

/** What one transaction item puts or sets, as far as it can be known before sending. */
export interface SizedWrite {
  readonly table: string;
  /** A whole item (Put). */
  readonly item?: Readonly<Record<string, unknown>>;
  /** Values an update sets or adds; the item's final size is unknown, each value must fit. */
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * Every item of a transaction within the item limit and the whole within the transaction limit;
 * throws before anything is sent. Returns the estimated aggregate size.
 */
export function assertTransactionFits(writes: readonly SizedWrite[]): number {
  let total = 0;
  for (const w of writes) {
    if (w.item) total += assertItemFits(w.table, w.item);
    // An update's final item is unknown here; what it sets must fit on its own at least.
    if (w.values) total += assertItemFits(w.table, w.values);
  }
  if (total > MAX_TRANSACTION_BYTES) {
    throw new PayloadTooLargeError(
      `本次修改的数据合计约 ${KB(total)}，超过单次事务 ${KB(MAX_TRANSACTION_BYTES)} 的存储上限（DynamoDB 每次事务不超过 4 MB），未保存任何内容`,
      [{ message: `约 ${KB(total)}，上限 ${KB(MAX_TRANSACTION_BYTES)}`, estimatedBytes: total, limitBytes: MAX_TRANSACTION_BYTES }],
      'TRANSACTION_TOO_LARGE',
    );
  }
  return total;
}

/** The writes of a `commit` (and its audit items) as sized writes, for assertTransactionFits. */
export function sizedWrites(writes: readonly Write[], auditItems: readonly Readonly<Record<string, unknown>>[]): SizedWrite[] {
  return [
    ...writes.map((w): SizedWrite => (w.kind === 'put' ? { table: w.table, item: w.item } : w.kind === 'update' ? { table: w.table, ...(w.values ? { values: w.values } : {}) } : { table: w.table })),
    ...auditItems.map((item): SizedWrite => ({ table: 'Audit', item })),
  ];
}
