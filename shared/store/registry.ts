/**
 * Agencies and officers in the Officers table. The only code that builds their keys.
 *
 *   AGENCY#<id>    / AGENCY         gsi1: AGENCIES / <name>#<id>
 *   OFFICER#<id>   / OFFICER        gsi1: OFFICERS / <name>#<id>   gsi2: AGENCY#<id>#OFFICERS / <name>#<id>
 *                                  gsi3 (while the status is VALID): DUE#CERT_EXPIRY / <validUntil>#<id>
 *   CERT#<number>  / CERT           guard that makes certificate numbers unique; maps number → officer
 */
import { GetCommand } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import { PUBLIC_OFFICER_ATTRIBUTES } from '../manifest.ts';
import type { Agency } from '../domain/agency.ts';
import type { Officer } from '../domain/officer.ts';
import type { Device } from '../domain/device.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { queryAll, queryPage } from './query.ts';
import type { Page, PageRequest } from './query.ts';
import { versionedPut } from './transact.ts';
import type { Write } from './transact.ts';
import { fromItem, withoutKeys } from './items.ts';

const T = 'Officers' as const;
const KEY_ATTRS = ['pk', 'sk'];

export const agencyKey = (id: string) => ({ pk: `AGENCY#${id}`, sk: 'AGENCY' });
export const officerKey = (id: string) => ({ pk: `OFFICER#${id}`, sk: 'OFFICER' });
export const certificateKey = (no: string) => ({ pk: `CERT#${no}`, sk: 'CERT' });

const nameSort = (name: string, id: string) => `${name}#${id}`;

// ---------- agencies ----------

export function agencyItem(a: Agency): Record<string, unknown> {
  return { ...agencyKey(a.id), entity: 'Agency', gsi1pk: 'AGENCIES', gsi1sk: nameSort(a.name, a.id), ...a };
}

export async function getAgency(id: string, consistent = false): Promise<Agency | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: agencyKey(id), ConsistentRead: consistent }));
  return fromItem<Agency>(res.Item);
}

export async function requireAgency(id: string): Promise<Agency> {
  const a = await getAgency(id, true);
  if (!a) throw new NotFoundError(`执法主体 ${id} 不存在`, 'AGENCY_NOT_FOUND');
  return a;
}

export function putNewAgency(a: Agency): Write {
  return {
    kind: 'put',
    table: T,
    item: agencyItem(a),
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () => new ConflictError('ALREADY_EXISTS', `执法主体编号 ${a.id} 已存在`),
  };
}

export function replaceAgency(a: Agency, expectedVersion: number): Write {
  return versionedPut(T, agencyItem(a), expectedVersion, '执法主体');
}

// The public function's IAM policy allows only PUBLIC_OFFICER_ATTRIBUTES: the type keeps these within it.
type PublicAttribute = (typeof PUBLIC_OFFICER_ATTRIBUTES)[number];
const AGENCY_PUBLIC: readonly PublicAttribute[] = ['id', 'name', 'level', 'region', 'parentId'];
const OFFICER_PUBLIC_FIELDS: readonly PublicAttribute[] = [
  'id',
  'name',
  'agencyId',
  'certificateNo',
  'categories',
  'region',
  'certificateStatus',
  'validUntil',
];

export async function listAgencies(page: PageRequest, publicOnly = false): Promise<Page<Agency>> {
  const res = await queryPage(
    {
      table: T,
      index: 'gsi1',
      keyAttributes: [...KEY_ATTRS, 'gsi1pk', 'gsi1sk'],
      partition: { name: 'gsi1pk', value: 'AGENCIES' },
      fingerprint: {},
      ...(publicOnly ? { projection: AGENCY_PUBLIC } : {}),
    },
    page,
  );
  return { items: res.items.map((i) => withoutKeys<Agency>(i)), nextCursor: res.nextCursor };
}

// ---------- officers ----------

export function officerItem(o: Officer): Record<string, unknown> {
  return {
    ...officerKey(o.id),
    entity: 'Officer',
    gsi1pk: 'OFFICERS',
    gsi1sk: nameSort(o.name, o.id),
    gsi2pk: `AGENCY#${o.agencyId}#OFFICERS`,
    gsi2sk: nameSort(o.name, o.id),
    // Only certificates that can still run out (not suspended or revoked) wait in the expiry queue.
    ...(o.certificateStatus === 'VALID' ? { gsi3pk: CERT_EXPIRY_QUEUE, gsi3sk: `${o.validUntil}#${o.id}` } : {}),
    ...o,
  };
}

export const CERT_EXPIRY_QUEUE = 'DUE#CERT_EXPIRY';

/** Officers whose (valid-status) certificate runs out in [from, to]: read from the sparse queue only. */
export async function certificatesExpiring(from: string, to: string): Promise<Officer[]> {
  const items = await queryAll({
    table: T,
    index: 'gsi3',
    partition: { name: 'gsi3pk', value: CERT_EXPIRY_QUEUE },
    sortCondition: '#sk BETWEEN :from AND :to',
    names: { '#sk': 'gsi3sk' },
    values: { ':from': `${from}#`, ':to': `${to}#~` },
  });
  return items.map((i) => withoutKeys<Officer>(i));
}

export async function getOfficer(id: string, consistent = false): Promise<Officer | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: officerKey(id), ConsistentRead: consistent }));
  return fromItem<Officer>(res.Item);
}

export async function requireOfficer(id: string): Promise<Officer> {
  const o = await getOfficer(id, true);
  if (!o) throw new NotFoundError(`执法人员 ${id} 不存在`, 'OFFICER_NOT_FOUND');
  return o;
}

const duplicateCertificate = (no: string) => () =>
  new ConflictError('DUPLICATE_CERTIFICATE', `执法证件编号 ${no} 已被登记`, [{ path: 'body.certificateNo', message: '证件编号必须唯一' }]);

/** Claim a certificate number for an officer (fails if any officer holds it or held it). */
export function claimCertificate(no: string, officerId: string): Write {
  return {
    kind: 'put',
    table: T,
    item: { ...certificateKey(no), entity: 'Certificate', certificateNo: no, officerId },
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: duplicateCertificate(no),
  };
}

/**
 * A replaced certificate number stays reserved (no one else may take it) but no longer points to
 * the officer, so the public check answers NOT_FOUND for it.
 */
export function releaseCertificate(no: string, officerId: string): Write {
  return {
    kind: 'update',
    table: T,
    key: certificateKey(no),
    update: 'REMOVE officerId SET replacedFor = :id',
    condition: 'officerId = :id',
    values: { ':id': officerId },
    onConditionFailed: () => new ConflictError('CONFLICT', '证件编号状态已变化，请重试'),
  };
}

export function putNewOfficer(o: Officer): Write {
  return {
    kind: 'put',
    table: T,
    item: officerItem(o),
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () => new ConflictError('ALREADY_EXISTS', `执法人员 ${o.id} 已存在`),
  };
}

export function replaceOfficer(o: Officer, expectedVersion: number): Write {
  return versionedPut(T, officerItem(o), expectedVersion, '执法人员信息');
}

export interface OfficerFilter {
  readonly agencyId?: string | undefined;
  readonly name?: string | undefined;
  readonly category?: string | undefined;
}

/** Officers by name, optionally of one agency, with a name prefix and a category. */
export async function listOfficers(filter: OfficerFilter, page: PageRequest, publicOnly: boolean): Promise<Page<Officer>> {
  const byAgency = filter.agencyId !== undefined;
  const index = byAgency ? 'gsi2' : 'gsi1';
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let sortCondition: string | undefined;
  if (filter.name) {
    names['#sk'] = `${index}sk`;
    values[':name'] = filter.name;
    sortCondition = 'begins_with(#sk, :name)';
  }
  let filterExpr: string | undefined;
  if (filter.category) {
    names['#cat'] = 'categories';
    values[':cat'] = filter.category;
    filterExpr = 'contains(#cat, :cat)';
  }
  const res = await queryPage(
    {
      table: T,
      index,
      keyAttributes: [...KEY_ATTRS, `${index}pk`, `${index}sk`],
      partition: { name: `${index}pk`, value: byAgency ? `AGENCY#${filter.agencyId}#OFFICERS` : 'OFFICERS' },
      ...(sortCondition ? { sortCondition } : {}),
      ...(filterExpr ? { filter: filterExpr } : {}),
      names,
      values,
      fingerprint: { n: filter.name ?? '', c: filter.category ?? '' },
      ...(publicOnly ? { projection: OFFICER_PUBLIC_FIELDS } : {}),
    },
    page,
  );
  return { items: res.items.map((i) => withoutKeys<Officer>(i)), nextCursor: res.nextCursor };
}

/** One item, reading only the given (public) attributes. */
async function getProjected<T>(key: Record<string, string>, fields: readonly PublicAttribute[]): Promise<T | undefined> {
  const names = Object.fromEntries(fields.map((f, i) => [`#f${i}`, f]));
  const res = await documentClient().send(
    new GetCommand({ TableName: tableName(T), Key: key, ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names }),
  );
  return res.Item as T | undefined;
}

type PublicOfficerFields = Pick<Officer, 'id' | 'name' | 'agencyId' | 'certificateNo' | 'categories' | 'region' | 'certificateStatus' | 'validUntil'>;

/** The public projection of an officer by certificate number (never reads personal data). */
export async function getPublicOfficerByCertificate(no: string): Promise<PublicOfficerFields | undefined> {
  const guard = await getProjected<{ officerId?: string }>(certificateKey(no), ['officerId']);
  if (typeof guard?.officerId !== 'string') return undefined;
  return getProjected<PublicOfficerFields>(officerKey(guard.officerId), OFFICER_PUBLIC_FIELDS);
}

export async function getPublicAgency(id: string): Promise<Pick<Agency, 'id' | 'name' | 'level' | 'region' | 'parentId'> | undefined> {
  return getProjected(agencyKey(id), AGENCY_PUBLIC);
}

// ---------- seed marker ----------

const SEED_KEY = (name: string) => ({ pk: `SEED#${name}`, sk: 'SEED' });

/** Whether a named data seed (local demo data) has completed. */
export async function seedDone(name: string): Promise<boolean> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: SEED_KEY(name), ConsistentRead: true }));
  return res.Item !== undefined;
}

export function markSeedDone(name: string, at: string): Write {
  return { kind: 'put', table: T, item: { ...SEED_KEY(name), entity: 'Seed', at } };
}

/** Every agency (a city bureau and its counties: tens), public attributes only when asked. */
export async function allAgencies(publicOnly = false): Promise<Agency[]> {
  const items = await queryAll({ table: T, index: 'gsi1', partition: { name: 'gsi1pk', value: 'AGENCIES' }, ...(publicOnly ? { projection: AGENCY_PUBLIC } : {}) });
  return items.map((i) => withoutKeys<Agency>(i));
}

/** Every officer (bounded: a city bureau and its counties); for assignment and staffing, not request paths' lists. */
export async function allOfficers(): Promise<Officer[]> {
  const items = await queryAll({ table: T, index: 'gsi1', partition: { name: 'gsi1pk', value: 'OFFICERS' } });
  return items.map((i) => withoutKeys<Officer>(i));
}

// ---------- field devices ----------
//   DEVICE#<id> / DEVICE          gsi1: AGENCY#<a>#DEVICES / <serial>
//   DEVICESERIAL#<serial> / SERIAL   guard that makes serial numbers unique
//   DEVICECLIENT#<clientId> / CLIENT the device an OAuth client (its credentials) belongs to

export const deviceKey = (id: string) => ({ pk: `DEVICE#${id}`, sk: 'DEVICE' });

function deviceItem(d: Device): Record<string, unknown> {
  return { ...deviceKey(d.id), entity: 'Device', gsi1pk: `AGENCY#${d.agencyId}#DEVICES`, gsi1sk: d.serial, ...d };
}

export function putNewDevice(d: Device): Write[] {
  return [
    { kind: 'put', table: T, item: deviceItem(d), condition: 'attribute_not_exists(pk)' },
    {
      kind: 'put',
      table: T,
      item: { pk: `DEVICESERIAL#${d.serial}`, sk: 'SERIAL', entity: 'DeviceSerial', deviceId: d.id },
      condition: 'attribute_not_exists(pk)',
      onConditionFailed: () => new ConflictError('DUPLICATE_DEVICE', `设备序列号 ${d.serial} 已登记`),
    },
    ...(d.clientId !== undefined
      ? [{ kind: 'put' as const, table: T, item: { pk: `DEVICECLIENT#${d.clientId}`, sk: 'CLIENT', entity: 'DeviceClient', deviceId: d.id }, condition: 'attribute_not_exists(pk)' }]
      : []),
  ];
}

async function deviceIdOfSerial(serial: string): Promise<string | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: { pk: `DEVICESERIAL#${serial}`, sk: 'SERIAL' }, ConsistentRead: true }));
  return typeof res.Item?.deviceId === 'string' ? res.Item.deviceId : undefined;
}

export async function deviceSerialTaken(serial: string): Promise<boolean> {
  return (await deviceIdOfSerial(serial)) !== undefined;
}

export async function getDeviceBySerial(serial: string): Promise<Device | undefined> {
  const id = await deviceIdOfSerial(serial);
  return id === undefined ? undefined : getDevice(id);
}

/** The device whose OAuth client id a device token carries. */
export async function getDeviceByClient(clientId: string): Promise<Device | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: { pk: `DEVICECLIENT#${clientId}`, sk: 'CLIENT' }, ConsistentRead: true }));
  const deviceId = res.Item?.deviceId;
  const device = typeof deviceId === 'string' ? await getDevice(deviceId) : undefined;
  // After a rotation the old client's lookup item remains: only the device's current client counts.
  return device?.clientId === clientId ? device : undefined;
}

/** The device with new credentials: its current client replaced (versioned) and the new client's lookup added. */
export function replaceDeviceClient(d: Device, expectedVersion: number): Write[] {
  return [
    replaceDevice(d, expectedVersion),
    { kind: 'put', table: T, item: { pk: `DEVICECLIENT#${d.clientId}`, sk: 'CLIENT', entity: 'DeviceClient', deviceId: d.id }, condition: 'attribute_not_exists(pk)' },
  ];
}

export function replaceDevice(d: Device, expectedVersion: number): Write {
  return versionedPut(T, deviceItem(d), expectedVersion, '设备');
}

export async function getDevice(id: string): Promise<Device | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: deviceKey(id), ConsistentRead: true }));
  return fromItem<Device>(res.Item);
}

export async function listDevices(agencyId: string, page: PageRequest): Promise<Page<Device>> {
  const res = await queryPage(
    { table: T, index: 'gsi1', keyAttributes: [...KEY_ATTRS, 'gsi1pk', 'gsi1sk'], partition: { name: 'gsi1pk', value: `AGENCY#${agencyId}#DEVICES` }, fingerprint: {} },
    page,
  );
  return { items: res.items.map((i) => withoutKeys<Device>(i)), nextCursor: res.nextCursor };
}
