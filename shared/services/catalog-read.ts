/**
 * Reading a versioned list item (D2, D3) as of a date: what the catalog function's read routes need,
 * apart from the changes of catalog.ts (transactions, audit events, agency checks), which it loads
 * on the first change only (issue 13). catalog.ts re-exports it.
 */
import { CATALOG_KINDS, versionAsOf } from '../domain/catalog.ts';
import type { CatalogKind, CatalogVersion } from '../domain/catalog.ts';
import { NotFoundError } from '../domain/errors.ts';
import * as store from '../store/catalog.ts';

export interface ItemView<C> {
  readonly code: string;
  /** Latest version number: the value to send back as `version` when changing the item. */
  readonly version: number;
  /** The version in force on `asOf`, if any. */
  readonly current: CatalogVersion<C> | null;
  readonly asOf: string;
  readonly versions: readonly CatalogVersion<C>[];
}

export async function getItem<C>(kind: CatalogKind, code: string, asOf: string): Promise<ItemView<C>> {
  const versions = await store.getVersions<C>(kind, code);
  if (versions.length === 0) throw new NotFoundError(`${CATALOG_KINDS[kind].label} ${code} 不存在`);
  return { code, version: versions.at(-1)?.versionNo ?? 0, current: versionAsOf(versions, asOf) ?? null, asOf, versions };
}
