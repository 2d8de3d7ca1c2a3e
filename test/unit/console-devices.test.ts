/** 执法记录设备's pure logic (console/src/lib/devices.ts; issue 16, point 5; R3, R4). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEVICE_KINDS as API_KINDS, DEVICE_KIND_LABELS as API_LABELS, registerDeviceBody, revokeDeviceBody } from '../../shared/domain/device.ts';
import {
  DEVICE_KINDS,
  DEVICE_KIND_LABELS,
  REGISTER_FIELDS,
  confirmationText,
  credentialsText,
  deviceChanges,
  deviceFormErrors,
  emptyRegister,
  kindLabel,
  reasonBody,
  registerBody,
  shanghaiTime,
  sortDevices,
  withFieldPath,
} from '../../console/src/lib/devices.ts';
import type { ApiError } from '../../console/src/lib/errors.ts';

const apiError = (over: Partial<ApiError>): ApiError => ({ status: 400, code: 'VALIDATION_ERROR', message: '请求参数有误', details: [], ...over });

describe('the kinds offered', () => {
  it('are exactly the API’s, with its words', () => {
    expect(DEVICE_KINDS).toEqual(API_KINDS);
    expect(DEVICE_KIND_LABELS).toEqual(API_LABELS);
    expect(kindLabel('PHONE')).toBe('执法手机');
    expect(kindLabel('NEW_KIND')).toBe('NEW_KIND');
  });
});

describe('registering a device', () => {
  it('sends the serial as the API keeps it and no officer when none is chosen; the API accepts the body', () => {
    const body = registerBody({ ...emptyRegister(), serial: '  cam-2027-01 ', model: ' DSJ-X1 ' }, 'sq-city');
    expect(body).toEqual({ serial: 'CAM-2027-01', model: 'DSJ-X1', kind: 'BODY_CAMERA', agencyId: 'sq-city' });
    expect(registerDeviceBody.parse(body)).toEqual(body);
    expect(registerBody({ ...emptyRegister(), serial: 'A123', model: 'XY', assignedOfficerId: 'o-1' }, 'a').assignedOfficerId).toBe('o-1');
  });

  it('shows a serial already registered beside the serial, and the API’s field problems beside their fields', () => {
    const dup = deviceFormErrors(withFieldPath(apiError({ status: 409, code: 'DUPLICATE_DEVICE', message: '设备序列号 CAM-1 已登记' })), REGISTER_FIELDS);
    expect(dup.general).toEqual([]);
    expect(deviceFormErrors(withFieldPath(apiError({ status: 422, code: 'OFFICER_OF_OTHER_AGENCY', message: '张三 不属于执法主体 a' })), REGISTER_FIELDS).byField.assignedOfficerId).toEqual(['张三 不属于执法主体 a']);
    expect(dup.byField.serial).toEqual(['设备序列号 CAM-1 已登记']);
    const bad = deviceFormErrors(apiError({ details: [{ path: 'body.serial', message: '设备序列号应为 4–64 位字母、数字或连字符' }, { path: 'body.model', message: '过短' }, { message: '其他' }] }), REGISTER_FIELDS);
    expect(bad.byField).toEqual({ serial: ['设备序列号应为 4–64 位字母、数字或连字符'], model: ['过短'] });
    expect(bad.general).toEqual(['其他']);
  });
});

describe('rotating and revoking', () => {
  it('sends the version read and the trimmed reason, which the API accepts', () => {
    const body = reasonBody({ reason: ' 设备遗失 ' }, 4);
    expect(body).toEqual({ version: 4, reason: '设备遗失' });
    expect(revokeDeviceBody.parse(body)).toEqual(body);
  });

  it('says what each confirmation does to the device', () => {
    expect(confirmationText('revoke', 'CAM-1')).toContain('上传一律拒绝');
    expect(confirmationText('rotate', 'CAM-1')).toContain('旧凭证立即作废');
    expect(confirmationText('rotate', 'CAM-1')).toContain('只显示这一次');
  });
});

describe('the list', () => {
  it('puts the devices in use first, each group by serial', () => {
    const list = sortDevices([
      { serial: 'B', status: 'REVOKED' as const },
      { serial: 'C', status: 'ACTIVE' as const },
      { serial: 'A', status: 'REVOKED' as const },
      { serial: 'B', status: 'ACTIVE' as const },
    ]);
    expect(list.map((d) => `${d.status}:${d.serial}`)).toEqual(['ACTIVE:B', 'ACTIVE:C', 'REVOKED:A', 'REVOKED:B']);
  });

  it('shows instants in Beijing time', () => {
    expect(shanghaiTime('2026-12-02T17:30:00.000Z')).toBe('2026-12-03 01:30');
    expect(shanghaiTime(undefined)).toBe('');
  });
});

describe('the credentials shown once', () => {
  it('are given as the environment the device tool reads', () => {
    const text = credentialsText({ clientId: 'local-device-1', clientSecret: 's3cret', tokenUrl: 'http://x/oauth2/token', scope: 'evidence/upload' });
    expect(text).toContain('DEVICE_CLIENT_ID=local-device-1');
    expect(text).toContain('DEVICE_CLIENT_SECRET=s3cret');
    expect(text).toContain('http://x/oauth2/token');
    const tool = readFileSync(new URL('../../local/cli/device.ts', import.meta.url), 'utf8');
    expect(tool).toContain('DEVICE_CLIENT_ID');
    expect(tool).toContain('DEVICE_CLIENT_SECRET');
  });
});

describe('after a 409', () => {
  it('says what happened to the device meanwhile', () => {
    const d = { id: 'd', serial: 'CAM-1', model: 'M1', kind: 'PHONE', agencyId: 'a', status: 'ACTIVE' as const, clientId: 'c1', registeredBy: '甲', version: 1, createdAt: '2026-12-01T00:00:00Z', updatedAt: '2026-12-01T00:00:00Z' };
    expect(deviceChanges(d, { ...d, version: 2, clientId: 'c2' })).toEqual(['设备凭证已被重新签发']);
    expect(deviceChanges(d, { ...d, version: 2, status: 'REVOKED', revokedAt: '2026-12-02T02:00:00Z', revokeReason: '遗失' })).toEqual(['设备已于 2026-12-02 10:00 停用：遗失']);
    expect(deviceChanges(d, d)).toEqual([]);
  });
});
