/**
 * The demo bureau's people for the console's local sign-in page (issue 16, point 1), served by
 * `GET /local/people` (local mode only, like `/local/token`). Officers and reviewers are officer records
 * of the registry as seeded, read through the store, so their `officerId` is the one cases and reviews
 * name; leaders and the legal division's administrator have no officer record (Cognito users only).
 *
 * Each entry is exactly what `POST /local/token` takes (sub, name, groups, agencyId, officerId), plus
 * the agency's name and the role to list it under.
 */
import type { Agency } from '#domain/agency.ts';
import type { Group } from '#domain/identity.ts';
import { effectiveCertificateStatus, type Officer } from '#domain/officer.ts';
import { shanghaiToday } from '#domain/dates.ts';
import { allAgencies, allOfficers } from '#store/registry.ts';

export interface DemoPerson {
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly Group[];
  readonly agencyId: string;
  readonly agencyName: string;
  /** The role the sign-in page lists the person under. */
  readonly role: Group;
  readonly officerId?: string;
  readonly certificateNo?: string;
}

/** Officers listed per agency: enough to act as a pair (N6) without listing the whole registry. */
const OFFICERS_PER_AGENCY = 2;

/** City first, then its counties by name: the order people see the bureau in. */
function byLevel(agencies: readonly Agency[]): Agency[] {
  return [...agencies].sort((a, b) => (a.parentId === null ? 0 : 1) - (b.parentId === null ? 0 : 1) || a.id.localeCompare(b.id));
}

/** The sign-in page's people, from agencies and officers as stored (pure: tested without a store). */
export function peopleOf(agencies: readonly Agency[], officers: readonly Officer[], today: string): DemoPerson[] {
  const ordered = byLevel(agencies);
  // Only people who may act today: a suspended, revoked or expired certificate signs in to nothing useful.
  const valid = officers
    .filter((o) => effectiveCertificateStatus(o, today) === 'VALID')
    .sort((a, b) => a.certificateNo.localeCompare(b.certificateNo));
  const asPerson = (o: Officer, agency: Agency, role: 'officer' | 'reviewer'): DemoPerson => ({
    sub: `officer:${o.id}`,
    name: o.name,
    groups: [role],
    agencyId: agency.id,
    agencyName: agency.name,
    role,
    officerId: o.id,
    certificateNo: o.certificateNo,
  });
  const people: DemoPerson[] = [];
  for (const agency of ordered) {
    const own = valid.filter((o) => o.agencyId === agency.id);
    people.push(...own.filter((o) => !o.reviewer).slice(0, OFFICERS_PER_AGENCY).map((o) => asPerson(o, agency, 'officer')));
  }
  for (const agency of ordered) {
    people.push(...valid.filter((o) => o.agencyId === agency.id && o.reviewer).map((o) => asPerson(o, agency, 'reviewer')));
  }
  for (const agency of ordered) {
    people.push({ sub: `leader:${agency.id}`, name: `${agency.name}负责人`, groups: ['leader'], agencyId: agency.id, agencyName: agency.name, role: 'leader' });
  }
  const city = ordered.find((a) => a.parentId === null);
  if (city) {
    // As the README's walk-through signs in: the city's legal division (法规处).
    people.push({ sub: 'admin-1', name: '法规处管理员', groups: ['admin'], agencyId: city.id, agencyName: city.name, role: 'admin' });
  }
  return people;
}

export async function demoPeople(): Promise<DemoPerson[]> {
  const [agencies, officers] = await Promise.all([allAgencies(), allOfficers()]);
  return peopleOf(agencies, officers, shanghaiToday());
}
