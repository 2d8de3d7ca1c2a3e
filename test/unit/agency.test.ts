/** Enforcement subjects (执法主体, D1): hierarchy rules and request validation. */
import { describe, expect, it } from 'vitest';
import { createAgencyBody, hierarchyProblem, toPublicAgency, type AgencyLevel } from '../../shared/domain/agency.ts';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';

const at = (level: AgencyLevel) => ({ level });

describe('hierarchyProblem', () => {
  it.each([
    ['CITY', undefined],
    ['COUNTY', 'CITY'],
    ['DISTRICT', 'CITY'],
    ['DEVELOPMENT_ZONE', 'CITY'],
    ['DEVELOPMENT_ZONE', 'COUNTY'],
    ['DEVELOPMENT_ZONE', 'DISTRICT'],
  ] as const)('accepts %s under %s', (level, parent) => {
    expect(hierarchyProblem(level, parent ? at(parent) : undefined)).toBeUndefined();
  });

  it.each([
    ['CITY', 'CITY', '市级执法主体不能有上级机构'],
    ['COUNTY', undefined, '县、区、开发区执法主体必须指定上级机构'],
    ['DEVELOPMENT_ZONE', undefined, '县、区、开发区执法主体必须指定上级机构'],
    ['COUNTY', 'COUNTY', '上级机构层级不符'],
    ['DISTRICT', 'COUNTY', '上级机构层级不符'],
    ['COUNTY', 'DEVELOPMENT_ZONE', '上级机构层级不符'],
    ['DEVELOPMENT_ZONE', 'DEVELOPMENT_ZONE', '上级机构层级不符'],
  ] as const)('refuses %s under %s', (level, parent, message) => {
    expect(hierarchyProblem(level, parent ? at(parent) : undefined)).toBe(message);
  });
});

describe('createAgencyBody', () => {
  const valid = { id: 'sq-suyu', name: '宿豫区市场监督管理局', level: 'DISTRICT', region: '宿豫区', parentId: 'sq-city' };

  it('accepts a valid agency with a valid credit code', () => {
    const first17 = '11321300MB1234567';

    const result = createAgencyBody.safeParse({ ...valid, creditCode: first17 + creditCodeCheckChar(first17) });

    expect(result.success).toBe(true);
  });

  it('refuses a credit code with a wrong check character, in Chinese', () => {
    const first17 = '11321300MB1234567';
    const wrong = creditCodeCheckChar(first17) === '0' ? '1' : '0';

    const result = createAgencyBody.safeParse({ ...valid, creditCode: first17 + wrong });

    expect(result.error?.issues).toMatchObject([{ path: ['creditCode'], message: '统一社会信用代码无效（校验位不符）' }]);
  });

  it.each(['A', 'SQ-CITY', '-city', 'sq_city', 'x'.repeat(41)])('refuses the agency id %j', (id) => {
    const result = createAgencyBody.safeParse({ ...valid, id });

    expect(result.error?.issues).toMatchObject([{ path: ['id'], message: '机构编号只能包含小写字母、数字和连字符，长度 2–40' }]);
  });

  it('the public view has only public fields', () => {
    const view = toPublicAgency({ id: 'sq-city', name: '宿迁市市场监督管理局', level: 'CITY', region: '宿迁市', parentId: null });

    expect(view).toEqual({ id: 'sq-city', name: '宿迁市市场监督管理局', level: 'CITY', region: '宿迁市', parentId: null });
  });
});
