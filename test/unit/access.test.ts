import { describe, expect, it } from 'vitest';
import { authorize, permits, POLICY, requireRole } from '../../shared/domain/access.ts';
import type { Permission, Target } from '../../shared/domain/access.ts';
import type { Group, Identity } from '../../shared/domain/identity.ts';
import { ForbiddenError } from '../../shared/domain/errors.ts';

const person = (groups: Group[], agencyId?: string, officerId?: string): Identity => ({
  sub: `u-${groups.join('-')}-${agencyId ?? 'none'}`,
  name: '测试',
  groups,
  ...(agencyId ? { agencyId } : {}),
  ...(officerId ? { officerId } : {}),
});

// sq-shuyang and sq-siyang are county bureaus under the city bureau sq-city.
const shuyangCase: Target = { agencies: ['sq-shuyang', 'sq-city'] };
const cityCase: Target = { agencies: ['sq-city'] };

const refusal = (fn: () => void): ForbiddenError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ForbiddenError) return e;
    throw e;
  }
  throw new Error('expected a 403');
};

describe('the authorisation policy', () => {
  it("lets an agency's staff act on their own agency's entities", () => {
    expect(permits(person(['officer'], 'sq-shuyang'), 'case.write', shuyangCase)).toBe(true);
    expect(permits(person(['leader'], 'sq-shuyang'), 'review.approve', shuyangCase)).toBe(true);
  });

  it('lets the city bureau reach the bureaus below it, never a county the city or a sibling', () => {
    expect(permits(person(['leader'], 'sq-city'), 'review.approve', shuyangCase)).toBe(true);
    expect(permits(person(['leader'], 'sq-siyang'), 'review.approve', shuyangCase)).toBe(false);
    expect(permits(person(['leader'], 'sq-siyang'), 'review.discuss', shuyangCase)).toBe(false);
    expect(permits(person(['officer'], 'sq-shuyang'), 'case.read', cityCase)).toBe(false);
  });

  it("keeps devices with their own agency: not even the city bureau above sees a county's devices", () => {
    expect(permits(person(['officer'], 'sq-shuyang'), 'device.read', shuyangCase)).toBe(true);
    expect(permits(person(['officer', 'leader'], 'sq-city'), 'device.read', shuyangCase)).toBe(false);
    expect(permits(person(['admin']), 'device.read', shuyangCase)).toBe(true);
    expect(refusal(() => authorize(person(['leader'], 'sq-city'), 'device.read', shuyangCase)).message).toContain('只能处理本机构的事项');
  });

  it('refuses every non-admin without an agency, whatever the permission (fail closed)', () => {
    for (const permission of Object.keys(POLICY) as Permission[]) {
      for (const group of ['officer', 'reviewer', 'leader'] as const) {
        expect(permits(person([group]), permission, shuyangCase), `${group} ${permission}`).toBe(false);
      }
    }
    const e = refusal(() => authorize(person(['officer']), 'case.read', shuyangCase));
    expect(e.code).toBe('AGENCY_REQUIRED');
  });

  it('lets admin (the legal division) act without an agency, on any agency', () => {
    expect(permits(person(['admin']), 'case.read', shuyangCase)).toBe(true);
    expect(permits(person(['admin'], 'sq-city'), 'review.reassign', shuyangCase)).toBe(true);
  });

  it('refuses a token with no group, and a device, on every permission', () => {
    for (const permission of Object.keys(POLICY) as Permission[]) {
      expect(permits(person([], 'sq-shuyang'), permission, shuyangCase)).toBe(false);
      expect(permits({ sub: 'c-1', name: '设备', groups: [], deviceClientId: 'c-1' }, permission, shuyangCase)).toBe(false);
    }
    expect(refusal(() => requireRole(person([], 'sq-city'), 'registry.read')).code).toBe('NO_ROLE');
  });

  it('refuses an agency-scoped permission when the target is unknown', () => {
    expect(permits(person(['officer'], 'sq-city'), 'case.read')).toBe(false);
    expect(permits(person(['officer'], 'sq-city'), 'case.read', { agencies: [] })).toBe(false);
  });

  it('checks the role before the agency, and names the roles needed', () => {
    const e = refusal(() => authorize(person(['officer'], 'sq-shuyang'), 'decision.issue', shuyangCase));
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toContain('leader');
    const other = refusal(() => authorize(person(['leader'], 'sq-siyang'), 'decision.issue', shuyangCase));
    expect(other.code).toBe('AGENCY_FORBIDDEN');
  });

  it('lets the assigned reviewer, from any unit, read and answer that review only', () => {
    const assigned: Target = { agencies: ['sq-shuyang', 'sq-city'], assigneeOfficerIds: ['o-7'] };
    const reviewer = person(['reviewer'], 'sq-siyang', 'o-7');
    const another = person(['reviewer'], 'sq-shuyang', 'o-8');

    expect(permits(reviewer, 'review.read', assigned)).toBe(true);
    expect(permits(reviewer, 'review.opinion', assigned)).toBe(true);
    expect(permits(reviewer, 'responsibility.read', assigned)).toBe(true);
    expect(permits(reviewer, 'responsibility.read', shuyangCase)).toBe(false);
    // Same agency but not assigned: may read, may not answer.
    expect(permits(another, 'review.read', assigned)).toBe(true);
    expect(permits(another, 'review.opinion', assigned)).toBe(false);
    // An officer id alone is no reviewer.
    expect(permits(person(['officer'], 'sq-siyang', 'o-7'), 'review.read', assigned)).toBe(false);
  });
});
