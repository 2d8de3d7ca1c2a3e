/**
 * Annual reports in the Disclosures table (their published version is public). The only code that
 * builds their keys.
 *
 *   REPORT#<year> / V#<version>   every version as built (stage DRAFT → DELIVERED → PUBLISHED)
 *   REPORT#<year> / CURRENT       the version being worked on or last published
 *   REPORT#<year> / PUBLISHED     what the public sees: the published version, with earlier ones listed
 */
import { GetCommand } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { AnnualReport } from '../domain/annual-report.ts';
import { versionedPut } from './transact.ts';
import type { Write } from './transact.ts';

const T = 'Disclosures' as const;

export interface StoredReport {
  readonly report: AnnualReport;
  readonly files: { readonly pdf: string; readonly xlsx: string };
  readonly deliveredAt?: string;
  readonly publishedAt?: string;
  /** Optimistic locking of the CURRENT item. */
  readonly version: number;
}

export interface PublishedReport extends StoredReport {
  readonly history: readonly { version: number; publishedAt: string; correction?: { reason: string; previousVersion: number } }[];
}

const key = (year: number, sk: string) => ({ pk: `REPORT#${year}`, sk });
const pad = (n: number) => String(n).padStart(4, '0');

async function get<T>(year: number, sk: string): Promise<T | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: key(year, sk), ConsistentRead: true }));
  return res.Item?.value as T | undefined;
}

export const currentReport = (year: number) => get<StoredReport>(year, 'CURRENT');
export const publishedReport = (year: number) => get<PublishedReport>(year, 'PUBLISHED');

/** The CURRENT item and the version item, together. `expected` 0: no CURRENT yet. */
export function putReport(year: number, stored: StoredReport, expected: number): Write[] {
  return [
    versionedPut(T, { ...key(year, 'CURRENT'), entity: 'AnnualReport', version: stored.version, value: stored }, expected, '年度报告'),
    { kind: 'put', table: T, item: { ...key(year, `V#${pad(stored.report.version)}`), entity: 'AnnualReportVersion', value: stored } },
  ];
}

export function putPublished(year: number, published: PublishedReport): Write {
  return { kind: 'put', table: T, item: { ...key(year, 'PUBLISHED'), entity: 'PublishedAnnualReport', value: published } };
}
