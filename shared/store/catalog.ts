/**
 * Versioned catalogue items (power list, random-inspection items) in the Catalog table.
 *
 *   ITEM#<kind>#<code> / V#<000001>   one item per version
 *   gsi1: <KIND>S / <code>#<000001>              all versions of one kind, by code
 *   gsi2: <KIND>S#<type> / <code>#<000001>       the same per power type
 */
import type { CatalogKind, CatalogVersion } from '../domain/catalog.ts';
import { ConflictError, VersionConflictError } from '../domain/errors.ts';
import { queryAll, queryPage } from './query.ts';
import type { Page, PageRequest } from './query.ts';
import type { Write } from './transact.ts';

const T = 'Catalog' as const;
const pad = (n: number) => String(n).padStart(6, '0');

export const itemPk = (kind: CatalogKind, code: string) => `ITEM#${kind}#${code}`;
export const versionKey = (kind: CatalogKind, code: string, versionNo: number) => ({ pk: itemPk(kind, code), sk: `V#${pad(versionNo)}` });
const listPk = (kind: CatalogKind) => `${kind}S`;

function versionItem<C>(v: CatalogVersion<C>): Record<string, unknown> {
  const type = (v.content as { type?: string }).type;
  return {
    ...versionKey(v.kind, v.code, v.versionNo),
    entity: 'CatalogVersion',
    gsi1pk: listPk(v.kind),
    gsi1sk: `${v.code}#${pad(v.versionNo)}`,
    ...(type ? { gsi2pk: `${listPk(v.kind)}#${type}`, gsi2sk: `${v.code}#${pad(v.versionNo)}` } : {}),
    ...v,
    // Flattened copies for filter expressions (agency, name search).
    agencyId: (v.content as { agencyId?: string }).agencyId,
    name: (v.content as { name?: string }).name,
  };
}

function fromItem<C>(item: Record<string, unknown>): CatalogVersion<C> {
  const { kind, code, versionNo, effectiveFrom, effectiveTo, content, changeNote, repealReason, createdAt, createdBy } = item as unknown as CatalogVersion<C>;
  return {
    kind,
    code,
    versionNo,
    effectiveFrom,
    ...(effectiveTo ? { effectiveTo } : {}),
    content,
    ...(changeNote ? { changeNote } : {}),
    ...(repealReason ? { repealReason } : {}),
    createdAt,
    createdBy,
  };
}

/** All versions of one item, oldest first. */
export async function getVersions<C>(kind: CatalogKind, code: string, consistent = false): Promise<CatalogVersion<C>[]> {
  const items = await queryAll({
    table: T,
    partition: { name: 'pk', value: itemPk(kind, code) },
    sortCondition: 'begins_with(#sk, :v)',
    names: { '#sk': 'sk' },
    values: { ':v': 'V#' },
    consistent,
  });
  return items.map((i) => fromItem<C>(i));
}

/** The first version of a new item; fails if the code exists. */
export function putFirstVersion<C>(v: CatalogVersion<C>, label: string): Write {
  return {
    kind: 'put',
    table: T,
    item: versionItem(v),
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () => new ConflictError('ALREADY_EXISTS', `${label}编码 ${v.code} 已存在`),
  };
}

/**
 * A following version. Writing version n+1 only if it does not exist yet makes exactly one of
 * several concurrent updates of version n win.
 */
export function putNextVersion<C>(v: CatalogVersion<C>, label: string): Write {
  return {
    kind: 'put',
    table: T,
    item: versionItem(v),
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () => new VersionConflictError(label, v.versionNo - 1),
  };
}

/** Close a version on a date, provided nobody changed its end in the meantime. */
export function closeVersion(kind: CatalogKind, code: string, versionNo: number, effectiveTo: string, previousEnd: string | undefined, extra: Record<string, unknown> = {}): Write {
  const sets = ['#to = :to', ...Object.keys(extra).map((k, i) => `#x${i} = :x${i}`)];
  return {
    kind: 'update',
    table: T,
    key: versionKey(kind, code, versionNo),
    update: `SET ${sets.join(', ')}`,
    condition: previousEnd === undefined ? 'attribute_not_exists(#to)' : '#to = :prev',
    names: { '#to': 'effectiveTo', ...Object.fromEntries(Object.keys(extra).map((k, i) => [`#x${i}`, k])) },
    values: {
      ':to': effectiveTo,
      ...(previousEnd === undefined ? {} : { ':prev': previousEnd }),
      ...Object.fromEntries(Object.values(extra).map((v, i) => [`:x${i}`, v])),
    },
    onConditionFailed: () => new VersionConflictError('事项', versionNo),
  };
}

/** Guard used by a repeal: no later version may have appeared since it was read. */
export function noLaterVersion(kind: CatalogKind, code: string, versionNo: number): Write {
  return {
    kind: 'check',
    table: T,
    key: versionKey(kind, code, versionNo + 1),
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () => new VersionConflictError('事项', versionNo),
  };
}

export interface CatalogFilter {
  readonly asOf: string;
  readonly type?: string | undefined;
  readonly agencyId?: string | undefined;
  /** Matches a code prefix or a part of the name. */
  readonly q?: string | undefined;
}

/** Versions in force on `asOf` (one per item), by code. */
export async function listInForce<C>(kind: CatalogKind, filter: CatalogFilter, page: PageRequest): Promise<Page<CatalogVersion<C>>> {
  const index = filter.type ? 'gsi2' : 'gsi1';
  const names: Record<string, string> = { '#from': 'effectiveFrom', '#to': 'effectiveTo' };
  const values: Record<string, unknown> = { ':asOf': filter.asOf };
  const conditions = ['#from <= :asOf', '(attribute_not_exists(#to) OR #to > :asOf)'];
  if (filter.agencyId) {
    names['#agency'] = 'agencyId';
    values[':agency'] = filter.agencyId;
    conditions.push('#agency = :agency');
  }
  if (filter.q) {
    names['#name'] = 'name';
    names['#code'] = 'code';
    values[':q'] = filter.q;
    conditions.push('(contains(#name, :q) OR begins_with(#code, :q))');
  }
  const res = await queryPage(
    {
      table: T,
      index,
      keyAttributes: ['pk', 'sk', `${index}pk`, `${index}sk`],
      partition: { name: `${index}pk`, value: filter.type ? `${listPk(kind)}#${filter.type}` : listPk(kind) },
      filter: conditions.join(' AND '),
      names,
      values,
      fingerprint: { a: filter.asOf, g: filter.agencyId ?? '', q: filter.q ?? '' },
    },
    page,
  );
  return { items: res.items.map((i) => fromItem<C>(i)), nextCursor: res.nextCursor };
}
