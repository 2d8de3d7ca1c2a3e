/**
 * Use cases for agencies and officers (D1, D4, D5, S1, S2): read, check, change, and commit the
 * change with its audit event in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { diffForAudit } from '../domain/audit.ts';
import { hierarchyProblem } from '../domain/agency.ts';
import type { Agency, CreateAgencyBody, UpdateAgencyBody } from '../domain/agency.ts';
import { BusinessRuleError, ConflictError, NotFoundError, VersionConflictError } from '../domain/errors.ts';
import type { Device, RegisterDeviceBody } from '../domain/device.ts';
import type {
  CertificateStatusBody,
  CreateOfficerBody,
  Officer,
  TrainingBody,
  UpdateOfficerBody,
} from '../domain/officer.ts';
import type { DeviceCredentials } from '../aws/device-clients.ts';

// Cognito is loaded by the device routes that create or delete app clients, not at every cold start.
const deviceClients = () => import('../aws/device-clients.ts');
const createDeviceCredentials = async (id: string, serial: string): Promise<DeviceCredentials> => (await deviceClients()).createDeviceCredentials(id, serial);
const deleteDeviceCredentials = async (clientId: string): Promise<void> => (await deviceClients()).deleteDeviceCredentials(clientId);
import * as store from '../store/registry.ts';
import { commit } from '../store/transact.ts';
import type { Write } from '../store/transact.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';

const checkVersion = (entity: string, expected: number, current: number) => {
  if (expected !== current) throw new VersionConflictError(entity, expected, current);
};

/** Derive a readable id from the name when the admin gives none. */
const newAgencyId = () => `agency-${randomUUID().slice(0, 8)}`;

async function checkHierarchy(level: Agency['level'], parentId: string | null | undefined, selfId?: string) {
  const parent = parentId ? await store.requireAgency(parentId) : undefined;
  if (parentId && parentId === selfId) throw new BusinessRuleError('INVALID_HIERARCHY', '机构不能以自身为上级');
  const problem = hierarchyProblem(level, parent);
  if (problem) throw new BusinessRuleError('INVALID_HIERARCHY', problem);
}

export async function createAgency(ctx: ActionContext, body: CreateAgencyBody): Promise<Agency> {
  await checkHierarchy(body.level, body.parentId);
  const now = (ctx.now ?? new Date()).toISOString();
  const { id, ...fields } = body;
  const agency: Agency = { ...fields, id: id ?? newAgencyId(), parentId: body.parentId ?? null, version: 1, createdAt: now, updatedAt: now };
  await commit(commitContext(ctx), [store.putNewAgency(agency)], [
    { action: 'agency.create', entityType: 'Agency', entityId: agency.id, change: { after: agency } },
  ]);
  return agency;
}

export async function updateAgency(ctx: ActionContext, id: string, body: UpdateAgencyBody): Promise<Agency> {
  const current = await store.requireAgency(id);
  const { version, ...patch } = body;
  checkVersion('执法主体', version, current.version);
  const next: Agency = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    version: current.version + 1,
    updatedAt: (ctx.now ?? new Date()).toISOString(),
  };
  if (patch.level !== undefined || patch.parentId !== undefined) await checkHierarchy(next.level, next.parentId, id);
  await commit(commitContext(ctx), [store.replaceAgency(next, current.version)], [
    { action: 'agency.update', entityType: 'Agency', entityId: id, change: diffForAudit(current, next, ['updatedAt']) },
  ]);
  return next;
}

export async function createOfficer(
  ctx: ActionContext,
  body: CreateOfficerBody,
  training: Officer['training'] = [],
): Promise<Officer> {
  await store.requireAgency(body.agencyId);
  const now = (ctx.now ?? new Date()).toISOString();
  const officer: Officer = {
    ...body,
    id: randomUUID(),
    training,
    certificateHistory: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await commit(
    commitContext(ctx),
    [store.putNewOfficer(officer), store.claimCertificate(officer.certificateNo, officer.id)],
    [{ action: 'officer.create', entityType: 'Officer', entityId: officer.id, change: diffForAudit(undefined, officer, ['createdAt', 'updatedAt']) }],
  );
  return officer;
}

async function replaceOfficerWithAudit(
  ctx: ActionContext,
  current: Officer,
  next: Officer,
  action: string,
  extraWrites: Write[] = [],
  extraChange: Record<string, unknown> = {},
): Promise<Officer> {
  await commit(commitContext(ctx), [store.replaceOfficer(next, current.version), ...extraWrites], [
    {
      action,
      entityType: 'Officer',
      entityId: current.id,
      change: { ...diffForAudit(current, next, ['updatedAt', 'version', 'training', 'certificateHistory']), ...extraChange },
    },
  ]);
  return next;
}

export async function updateOfficer(ctx: ActionContext, id: string, body: UpdateOfficerBody): Promise<Officer> {
  const current = await store.requireOfficer(id);
  const { version, ...patch } = body;
  checkVersion('执法人员信息', version, current.version);
  if (patch.agencyId !== undefined && patch.agencyId !== current.agencyId) await store.requireAgency(patch.agencyId);
  const next: Officer = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    version: current.version + 1,
    updatedAt: (ctx.now ?? new Date()).toISOString(),
  };
  const writes: Write[] = [];
  if (next.certificateNo !== current.certificateNo) {
    // A new certificate number: claim it, and retire the old one so it no longer verifies.
    writes.push(store.claimCertificate(next.certificateNo, id), store.releaseCertificate(current.certificateNo, id));
  }
  return replaceOfficerWithAudit(ctx, current, next, 'officer.update', writes);
}

export async function changeCertificateStatus(ctx: ActionContext, id: string, body: CertificateStatusBody): Promise<Officer> {
  const current = await store.requireOfficer(id);
  checkVersion('执法人员信息', body.version, current.version);
  if (body.status === current.certificateStatus && body.validUntil === undefined) {
    throw new ConflictError('NO_CHANGE', `证件状态已是 ${body.status}`);
  }
  const at = (ctx.now ?? new Date()).toISOString();
  const next: Officer = {
    ...current,
    certificateStatus: body.status,
    ...(body.validUntil ? { validUntil: body.validUntil } : {}),
    certificateHistory: [
      ...current.certificateHistory,
      { at, from: current.certificateStatus, to: body.status, reason: body.reason, by: ctx.identity.name },
    ],
    version: current.version + 1,
    updatedAt: at,
  };
  return replaceOfficerWithAudit(ctx, current, next, 'officer.certificate-status', [], { reason: body.reason });
}

export async function addTraining(ctx: ActionContext, id: string, body: TrainingBody): Promise<Officer> {
  const current = await store.requireOfficer(id);
  checkVersion('执法人员信息', body.version, current.version);
  const { version: _v, ...record } = body;
  const next: Officer = {
    ...current,
    training: [...current.training, record],
    version: current.version + 1,
    updatedAt: (ctx.now ?? new Date()).toISOString(),
  };
  return replaceOfficerWithAudit(ctx, current, next, 'officer.training.add', [], { training: { added: record } });
}

// ---------- field devices (R3, R4) ----------

export async function registerDevice(ctx: ActionContext, body: RegisterDeviceBody): Promise<Device & { credentials: DeviceCredentials }> {
  await store.requireAgency(body.agencyId);
  if (body.assignedOfficerId) {
    const officer = await store.requireOfficer(body.assignedOfficerId);
    if (officer.agencyId !== body.agencyId) throw new BusinessRuleError('OFFICER_OF_OTHER_AGENCY', `${officer.name} 不属于执法主体 ${body.agencyId}`);
  }
  const at = (ctx.now ?? new Date()).toISOString();
  const id = randomUUID();
  // The serial guard is checked again in the transaction; this early check keeps a duplicate from
  // leaving an unused OAuth client behind.
  if (await store.deviceSerialTaken(body.serial)) throw new ConflictError('DUPLICATE_DEVICE', `设备序列号 ${body.serial} 已登记`);
  const credentials = await createDeviceCredentials(id, body.serial);
  const device: Device = { ...body, id, clientId: credentials.clientId, status: 'ACTIVE', registeredBy: ctx.identity.name, version: 1, createdAt: at, updatedAt: at };
  try {
    await commit(commitContext(ctx), store.putNewDevice(device), [
      { action: 'device.register', entityType: 'Device', entityId: device.id, change: { serial: device.serial, model: device.model, kind: device.kind, agencyId: device.agencyId, assignedOfficerId: device.assignedOfficerId ?? null, clientId: credentials.clientId } },
    ]);
  } catch (error) {
    await deleteDeviceCredentials(credentials.clientId);
    throw error;
  }
  // The secret is shown this once and stored nowhere by us (R4).
  return { ...device, credentials };
}

export async function revokeDevice(ctx: ActionContext, id: string, body: { version: number; reason: string }): Promise<Device> {
  const current = await store.getDevice(id);
  if (!current) throw new NotFoundError(`设备 ${id} 不存在`, 'DEVICE_NOT_FOUND');
  checkVersion('设备', body.version, current.version);
  if (current.status === 'REVOKED') throw new ConflictError('INVALID_STATE', `设备已于 ${current.revokedAt} 停用`);
  const at = (ctx.now ?? new Date()).toISOString();
  const next: Device = { ...current, status: 'REVOKED', revokedAt: at, revokeReason: body.reason, version: current.version + 1, updatedAt: at };
  await commit(commitContext(ctx), [store.replaceDevice(next, current.version)], [
    { action: 'device.revoke', entityType: 'Device', entityId: id, change: { reason: body.reason } },
  ]);
  if (current.clientId !== undefined) await deleteDeviceCredentials(current.clientId);
  return next;
}

/**
 * New credentials for an active device whose secret was lost or exposed: a new OAuth client, the old
 * one deleted (its tokens are refused at once, since a device token must name the current client).
 */
export async function rotateDeviceCredentials(ctx: ActionContext, id: string, body: { version: number; reason: string }): Promise<Device & { credentials: DeviceCredentials }> {
  const current = await store.getDevice(id);
  if (!current) throw new NotFoundError(`设备 ${id} 不存在`, 'DEVICE_NOT_FOUND');
  checkVersion('设备', body.version, current.version);
  if (current.status !== 'ACTIVE') throw new ConflictError('INVALID_STATE', '设备已停用，不能重新签发凭证');
  const credentials = await createDeviceCredentials(id, current.serial);
  const at = (ctx.now ?? new Date()).toISOString();
  const next: Device = { ...current, clientId: credentials.clientId, version: current.version + 1, updatedAt: at };
  try {
    await commit(commitContext(ctx), store.replaceDeviceClient(next, current.version), [
      { action: 'device.credentials.rotate', entityType: 'Device', entityId: id, change: { reason: body.reason, clientId: credentials.clientId, previousClientId: current.clientId ?? null } },
    ]);
  } catch (error) {
    await deleteDeviceCredentials(credentials.clientId);
    throw error;
  }
  if (current.clientId !== undefined) await deleteDeviceCredentials(current.clientId);
  return { ...next, credentials };
}
