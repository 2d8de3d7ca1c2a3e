/** Items ↔ domain objects: the key and index attributes are the store's business, never the caller's. */
const STORE_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity'];

export function withoutKeys<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!STORE_ATTRIBUTES.includes(k)) out[k] = v;
  return out as T;
}

/** `withoutKeys` for a Get that may have found nothing. */
export const fromItem = <T>(item: Record<string, unknown> | undefined): T | undefined => (item ? withoutKeys<T>(item) : undefined);
