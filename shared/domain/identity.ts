/**
 * Who is calling: read only from the Cognito claims that API Gateway's authorizer puts into the
 * request context (local mode's token issuer produces the same claims).
 */
export const GROUPS = ['officer', 'reviewer', 'leader', 'admin'] as const;
export type Group = (typeof GROUPS)[number];

export interface Identity {
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly Group[];
  readonly agencyId?: string;
  /** The officer record of this user (Cognito custom attribute `officerId`), for reviewers. */
  readonly officerId?: string;
  /**
   * Set for a field device: the app client id of its client-credentials access token (R4). A device
   * is no person: it has no groups and may call only the `device` routes.
   */
  readonly deviceClientId?: string;
  /** OAuth scopes of an access token (devices). */
  readonly scopes?: readonly string[];
}

/** The actor recorded in audit events for changes made by the system itself (seeding, jobs). */
export const SYSTEM_ACTOR: Identity = { sub: 'system', name: '系统', groups: [] };

/**
 * Cognito's REST authorizer flattens claims to strings; `cognito:groups` arrives as a JSON array,
 * as "[a b]", or comma-separated depending on the path. Accept all of them.
 */
export function parseGroups(raw: unknown): Group[] {
  let values: unknown[] = [];
  if (Array.isArray(raw)) values = raw;
  else if (typeof raw === 'string') {
    const s = raw.trim();
    if (s.startsWith('[') && s.includes('"')) {
      try {
        const parsed: unknown = JSON.parse(s);
        if (Array.isArray(parsed)) values = parsed;
      } catch {
        values = [];
      }
    } else {
      values = s.replace(/^\[|\]$/g, '').split(/[\s,]+/);
    }
  }
  return [...new Set(values.filter((v): v is Group => GROUPS.includes(v as Group)))];
}

export function identityFromClaims(claims: Record<string, unknown> | undefined | null): Identity | undefined {
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  // A client-credentials access token (a device): `client_id` and `scope`, no user, no groups.
  if (claims.token_use === 'access' && typeof claims.client_id === 'string' && claims.client_id !== '' && claims['cognito:username'] === undefined) {
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter((x) => x !== '') : [];
    return { sub: claims.client_id, name: `设备 ${claims.client_id}`, groups: [], deviceClientId: claims.client_id, scopes };
  }
  const name =
    typeof claims.name === 'string' && claims.name !== ''
      ? claims.name
      : typeof claims['cognito:username'] === 'string'
        ? claims['cognito:username']
        : claims.sub;
  const agencyId = claims['custom:agencyId'];
  const officerId = claims['custom:officerId'];
  return {
    sub: claims.sub,
    name,
    groups: parseGroups(claims['cognito:groups']),
    ...(typeof agencyId === 'string' && agencyId !== '' ? { agencyId } : {}),
    ...(typeof officerId === 'string' && officerId !== '' ? { officerId } : {}),
  };
}

export const hasAnyGroup = (identity: Identity, groups: readonly Group[]): boolean =>
  groups.some((g) => identity.groups.includes(g));
