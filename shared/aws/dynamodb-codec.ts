/**
 * Plain values ⇄ DynamoDB attribute values, with the rules of @aws-sdk/util-dynamodb as the project
 * configured them (`removeUndefinedValues: true`, `convertEmptyValues: false`, `wrapNumbers: false`):
 * undefined members of maps and lists are dropped, functions skipped, class instances other than sets
 * and bytes refused, numbers outside the safe range refused rather than rounded.
 */

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type AttributeMap = Record<string, AttributeValue>;

function numberText(n: number | bigint): string {
  if (typeof n === 'number' && !Number.isFinite(n)) throw new Error(`Special numeric value ${n} is not allowed`);
  if (typeof n === 'number' && Number.isInteger(n) && !Number.isSafeInteger(n)) {
    throw new Error(`Number ${n} is greater than Number.MAX_SAFE_INTEGER. Use BigInt.`);
  }
  return String(n);
}

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

function setValue(set: Set<unknown>): AttributeValue {
  const members = [...set];
  if (members.length === 0) throw new Error('An empty set cannot be stored in DynamoDB');
  if (members.every((m) => typeof m === 'string')) return { SS: members as string[] };
  if (members.every((m) => typeof m === 'number' || typeof m === 'bigint')) return { NS: members.map((m) => numberText(m as number)) };
  if (members.every(isBytes)) return { BS: members.map(base64) };
  throw new Error('A set must hold only strings, only numbers or only bytes');
}

/** One value; `undefined` for a value that is not stored (undefined, a function). */
export function toAttribute(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'undefined':
    case 'function':
      return undefined;
    case 'string':
      return { S: value };
    case 'number':
    case 'bigint':
      return { N: numberText(value) };
    case 'boolean':
      return { BOOL: value };
    case 'object': {
      if (value === null) return { NULL: true };
      if (Array.isArray(value)) return { L: value.map(toAttribute).filter((v): v is AttributeValue => v !== undefined) };
      if (value instanceof Set) return setValue(value);
      if (isBytes(value)) return { B: base64(value) };
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new Error(`Unsupported type passed: ${String(value)}. Convert it to a plain object, string, number or array first.`);
      }
      return { M: marshall(value as Record<string, unknown>) };
    }
    default:
      throw new Error(`Unsupported type passed: ${typeof value}`);
  }
}

export function marshall(item: Record<string, unknown>): AttributeMap {
  const out: AttributeMap = {};
  for (const [key, value] of Object.entries(item)) {
    const attr = toAttribute(value);
    if (attr !== undefined) out[key] = attr;
  }
  return out;
}

function toNumber(text: string): number {
  const n = Number(text);
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) throw new Error(`Number ${text} is outside the safe integer range`);
  return n;
}

export function fromAttribute(attr: AttributeValue): unknown {
  if ('S' in attr) return attr.S;
  if ('N' in attr) return toNumber(attr.N);
  if ('BOOL' in attr) return attr.BOOL;
  if ('NULL' in attr) return null;
  if ('M' in attr) return unmarshall(attr.M);
  if ('L' in attr) return attr.L.map(fromAttribute);
  if ('SS' in attr) return new Set(attr.SS);
  if ('NS' in attr) return new Set(attr.NS.map(toNumber));
  if ('B' in attr) return new Uint8Array(Buffer.from(attr.B, 'base64'));
  if ('BS' in attr) return new Set(attr.BS.map((b) => new Uint8Array(Buffer.from(b, 'base64'))));
  throw new Error(`Unknown attribute type: ${Object.keys(attr).join(',')}`);
}

export function unmarshall(map: AttributeMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map)) out[key] = fromAttribute(value);
  return out;
}
