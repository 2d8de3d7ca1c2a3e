/**
 * Who is calling (I2: used conditionally): identity comes only from the Cognito claims, whose
 * `cognito:groups` arrives in several string shapes depending on the API Gateway path.
 */
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, hasAnyGroup, identityFromClaims, parseGroups } from '../../shared/domain/identity.ts';

describe('parseGroups', () => {
  it.each([
    ['JSON array string', '["admin","officer"]'],
    ['JSON array string with spaces', ' [ "admin" , "officer" ] '],
    ['bracketed, space-separated', '[admin officer]'],
    ['comma-separated', 'admin,officer'],
    ['comma and space', 'admin, officer'],
    ['bracketed, comma-separated', '[admin,officer]'],
    ['a real array', ['admin', 'officer']],
  ])('reads %s', (_label, raw) => {
    expect(parseGroups(raw)).toEqual(['admin', 'officer']);
  });

  it('reads a single group', () => {
    expect(parseGroups('reviewer')).toEqual(['reviewer']);
    expect(parseGroups('[leader]')).toEqual(['leader']);
  });

  it('drops unknown groups, wrong case and duplicates', () => {
    expect(parseGroups('["admin","superuser","Officer","admin","officer"]')).toEqual(['admin', 'officer']);
    expect(parseGroups(['root', 'leader', 42, null, 'leader'])).toEqual(['leader']);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['empty string', ''],
    ['empty brackets', '[]'],
    ['broken JSON', '["admin",'],
    ['JSON object', '{"admin":true}'],
    ['number', 7],
    ['object', { admin: true }],
  ])('gives no groups for %s', (_label, raw) => {
    expect(parseGroups(raw)).toEqual([]);
  });
});

describe('identityFromClaims', () => {
  it('builds the identity from sub, name, groups and agency', () => {
    const claims = { sub: 'u-1', name: '王法规', 'cognito:groups': '[admin reviewer]', 'custom:agencyId': 'sq-city' };

    const identity = identityFromClaims(claims);

    expect(identity).toEqual({ sub: 'u-1', name: '王法规', groups: ['admin', 'reviewer'], agencyId: 'sq-city' });
  });

  it('falls back to the user name, then to sub, when there is no name', () => {
    expect(identityFromClaims({ sub: 'u-2', 'cognito:username': 'li.zhifa' })?.name).toBe('li.zhifa');
    expect(identityFromClaims({ sub: 'u-3', name: '' })?.name).toBe('u-3');
  });

  it('leaves out an empty agency and gives no groups when the claim is missing', () => {
    const identity = identityFromClaims({ sub: 'u-4', name: '赵', 'custom:agencyId': '' });

    expect(identity).toEqual({ sub: 'u-4', name: '赵', groups: [] });
    expect(identity).not.toHaveProperty('agencyId');
  });

  it.each([
    ['no claims', undefined],
    ['null claims', null],
    ['claims without sub', { name: '王法规', 'cognito:groups': 'admin' }],
    ['empty sub', { sub: '' }],
    ['non-string sub', { sub: 123 }],
  ])('is undefined for %s', (_label, claims) => {
    expect(identityFromClaims(claims as Record<string, unknown> | undefined)).toBeUndefined();
  });

  it('hasAnyGroup is true only when one of the groups matches', () => {
    const identity = identityFromClaims({ sub: 'u-1', 'cognito:groups': 'officer' })!;

    expect(hasAnyGroup(identity, ['admin', 'officer'])).toBe(true);
    expect(hasAnyGroup(identity, ['admin'])).toBe(false);
    expect(hasAnyGroup(identity, [])).toBe(false);
    expect(hasAnyGroup(SYSTEM_ACTOR, ['admin'])).toBe(false);
  });
});
