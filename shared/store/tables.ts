/**
 * Table definitions: the one source for both the CDK data stack and local mode's CreateTable calls.
 * Pure data, no AWS SDK import, so that infra can use it without pulling in runtime code.
 *
 * Every table uses generic key names (`pk`/`sk`, `gsiNpk`/`gsiNsk`): the repositories in
 * `shared/store` are the only code that builds them. All indexes project ALL attributes.
 */
import type { TableId } from '../manifest.ts';

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexSpec {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface TableSpec {
  readonly id: TableId;
  /** Environment variable that carries the deployed table name to the functions. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly indexes: readonly IndexSpec[];
  /** Attribute holding an epoch-seconds expiry, if items of this table expire (idempotency records). */
  readonly ttlAttribute?: string;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });
const gsi = (n: number): IndexSpec => ({
  indexName: `gsi${n}`,
  partitionKey: S(`gsi${n}pk`),
  sortKey: S(`gsi${n}sk`),
});

export const tables: readonly TableSpec[] = [
  {
    id: 'Officers',
    envVar: 'OFFICERS_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    // gsi1: lists (all agencies, all officers by name); gsi2: officers of one agency by name;
    // gsi3: sparse queue of certificates by expiry date (the daily deadline check).
    indexes: [gsi(1), gsi(2), gsi(3)],
    ttlAttribute: 'expiresAt',
  },
  {
    id: 'Catalog',
    envVar: 'CATALOG_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    // gsi1: all versions of one kind of item by code; gsi2: the same per type.
    indexes: [gsi(1), gsi(2)],
    ttlAttribute: 'expiresAt',
  },
  {
    id: 'Cases',
    envVar: 'CASES_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    // gsi1/gsi2: case lists; gsi3: sparse deadline queue keyed by due date.
    indexes: [gsi(1), gsi(2), gsi(3)],
    ttlAttribute: 'expiresAt',
  },
  {
    id: 'Disclosures',
    envVar: 'DISCLOSURES_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    // gsi1: the public searches; gsi2: sparse queue of public records by the end of their disclosure period (N5).
    indexes: [gsi(1), gsi(2)],
  },
  {
    id: 'Audit',
    envVar: 'AUDIT_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    // gsi1: the events of one entity, in time order.
    indexes: [gsi(1)],
  },
];

export function tableSpec(id: TableId): TableSpec {
  const spec = tables.find((t) => t.id === id);
  if (!spec) throw new Error(`Unknown table ${id}`);
  return spec;
}

/** Name of the evidence bucket's environment variable. */
export const EVIDENCE_BUCKET_ENV = 'EVIDENCE_BUCKET';
