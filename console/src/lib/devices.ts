/**
 * 执法记录设备 (issue 16, point 5; R3, R4): the pure parts of the legal division's device page — the
 * register and reason forms' bodies, labels, the order of the list, and the credentials as a device
 * takes them (the environment `npm run device` reads). The secret itself is never put in a draft.
 */
import { fieldErrors, type ApiError, type FormErrors } from './errors.ts';

export const DEVICE_KINDS = ['BODY_CAMERA', 'RECORDER', 'PHONE', 'OTHER'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

// The same words as shared/domain/device.ts, which imports zod (kept out of the console's bundle).
export const DEVICE_KIND_LABELS: Record<DeviceKind, string> = {
  BODY_CAMERA: '执法记录仪',
  RECORDER: '录音录像设备',
  PHONE: '执法手机',
  OTHER: '其他设备',
};

export const DEVICE_STATUS_LABELS: Record<string, string> = { ACTIVE: '在用', REVOKED: '已停用' };

export interface DeviceView {
  readonly id: string;
  readonly serial: string;
  readonly model: string;
  readonly kind: string;
  readonly agencyId: string;
  readonly assignedOfficerId?: string;
  readonly status: 'ACTIVE' | 'REVOKED';
  readonly revokedAt?: string;
  readonly revokeReason?: string;
  readonly clientId?: string;
  readonly registeredBy: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DeviceCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenUrl: string;
  readonly scope: string;
}

export type DeviceWithCredentials = DeviceView & { readonly credentials: DeviceCredentials };

export const kindLabel = (kind: string): string => DEVICE_KIND_LABELS[kind as DeviceKind] ?? kind;

/** Devices in use first, then by serial: the ones an administrator acts on are at the top. */
export function sortDevices<T extends Pick<DeviceView, 'status' | 'serial'>>(devices: readonly T[]): T[] {
  return [...devices].sort((a, b) => (a.status === b.status ? a.serial.localeCompare(b.serial) : a.status === 'ACTIVE' ? -1 : 1));
}

export interface RegisterDraft {
  readonly serial: string;
  readonly model: string;
  readonly kind: string;
  readonly assignedOfficerId: string;
}

export const emptyRegister = (): RegisterDraft => ({ serial: '', model: '', kind: 'BODY_CAMERA', assignedOfficerId: '' });

export const REGISTER_FIELDS = ['serial', 'model', 'kind', 'assignedOfficerId', 'agencyId'] as const;

/** POST /devices: the serial as the API keeps it (trimmed, upper case), no officer when none is chosen. */
export function registerBody(d: RegisterDraft, agencyId: string) {
  return {
    serial: d.serial.trim().toUpperCase(),
    model: d.model.trim(),
    kind: d.kind as DeviceKind,
    agencyId,
    ...(d.assignedOfficerId ? { assignedOfficerId: d.assignedOfficerId } : {}),
  };
}

export interface ReasonDraft {
  readonly reason: string;
}

export const emptyReason = (): ReasonDraft => ({ reason: '' });
export const REASON_FIELDS = ['reason', 'version'] as const;

/** POST /devices/{id}/revoke and /credentials: the version read and the reason. */
export const reasonBody = (d: ReasonDraft, version: number) => ({ version, reason: d.reason.trim() });

/**
 * The register form's refusals without a path that concern one field (a serial already registered, an
 * officer of another agency) given that field's path, so they sit beside it and FormAlert points there.
 */
export function withFieldPath(error: ApiError): ApiError {
  const field = error.code === 'DUPLICATE_DEVICE' ? 'body.serial' : error.code === 'OFFICER_OF_OTHER_AGENCY' ? 'body.assignedOfficerId' : undefined;
  return field !== undefined && error.details.length === 0 ? { ...error, details: [{ path: field, message: error.message }] } : error;
}

/** The API's details by field, the rest above the form. */
export const deviceFormErrors = (error: ApiError, fields: readonly string[]): FormErrors => fieldErrors(error, fields);

/** What the device is given: the environment `npm run device` (local/cli/device.ts) reads. */
export function credentialsText(c: DeviceCredentials): string {
  return [`DEVICE_CLIENT_ID=${c.clientId}`, `DEVICE_CLIENT_SECRET=${c.clientSecret}`, `# 令牌地址（OAuth 2.0 client credentials）：${c.tokenUrl}`, `# scope：${c.scope}`].join('\n');
}

export type DeviceAction = 'revoke' | 'rotate';

export function confirmationText(action: DeviceAction, serial: string): string {
  return action === 'revoke'
    ? `停用后，设备 ${serial} 的凭证立即作废，此后它的上传一律拒绝；停用不可撤回。`
    : `重新签发后，设备 ${serial} 的旧凭证立即作废，新的密钥只显示这一次，须当场配置到设备上。`;
}

/** An instant as Beijing time, to the minute. */
export const shanghaiTime = (iso: string | undefined): string => (iso && !Number.isNaN(Date.parse(iso)) ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '');

/** What changed in a device between the copy on screen and the one reloaded after a 409. */
export function deviceChanges(before: DeviceView, after: DeviceView): string[] {
  const out: string[] = [];
  if (before.status !== after.status) out.push(after.status === 'REVOKED' ? `设备已于 ${shanghaiTime(after.revokedAt)} 停用：${after.revokeReason ?? ''}` : '设备已恢复在用');
  if (before.clientId !== after.clientId && after.status === 'ACTIVE') out.push('设备凭证已被重新签发');
  return out;
}
