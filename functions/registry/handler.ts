/**
 * Agencies and officers for internal users (D1, D4, D5, S1, S2). Admins change them; every
 * signed-in user may read them, but only admins see officers' personal data.
 */
import * as z from '#domain/z.ts';
import { singleLineText } from '#domain/text.ts';
import { isAdmin } from '#domain/access.ts';
import { requireAccess } from '#services/access.ts';
import { agencyId, createAgencyBody, updateAgencyBody } from '#domain/agency.ts';
import {
  certificateStatusBody,
  createOfficerBody,
  officerInternalView,
  officerView,
  trainingBody,
  updateOfficerBody,
} from '#domain/officer.ts';
import type { Officer } from '#domain/officer.ts';
import type { Identity } from '#domain/identity.ts';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.ts';
import { config } from '#domain/config.ts';
import { qrPng, qrSvg } from '#domain/qr.ts';
import { registerDeviceBody, revokeDeviceBody } from '#domain/device.ts';
import { createHttpHandler, HttpResult, RawResult, route } from '#http/router.ts';
import { pageQuery } from '#http/schemas.ts';
import * as store from '#store/registry.ts';
import * as registry from '#services/registry.ts';


const idParam = z.strictObject({ id: z.string().min(1).max(64) });
const agencyParam = z.strictObject({ id: agencyId });

/** The outline of an OpenAPI 3.1 document: what a client generator needs first (issue 16). */
const openApiDocument = z
  .looseObject({
    openapi: z.literal('3.1.0'),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
  })
  .meta({ id: 'OpenApiDocument' });

// Officers' personal data (phone, ...) is for the legal division only.
const viewFor = (identity: Identity, o: Officer) => (isAdmin(identity) ? officerView(o) : officerInternalView(o));
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });

/**
 * Issue 14: the portal's certificate check of an officer, `${PORTAL_URL}/verify/{certificateNo}`, for the
 * QR code printed on the certificate. Read as GET /officers/{id} reads the officer (same permission).
 */
async function certificateQr(id: string, kind: 'svg' | 'png'): Promise<RawResult> {
  const o = await store.getOfficer(id);
  if (!o) throw new NotFoundError(`执法人员 ${id} 不存在`);
  if (!o.certificateNo) throw new ConflictError('NO_CERTIFICATE', `执法人员 ${id} 尚无执法证件编号，无法生成核验二维码`);
  const url = `${config().PORTAL_URL}/verify/${encodeURIComponent(o.certificateNo)}`;
  // A number with a province's abbreviation (苏…) also gets its UTF-8 name (RFC 6266).
  const ascii = o.certificateNo.replace(/[^0-9A-Za-z._-]/g, '_');
  const utf8 = ascii === o.certificateNo ? '' : `; filename*=UTF-8''${encodeURIComponent(`${o.certificateNo}.${kind}`)}`;
  const headers = {
    'content-disposition': `inline; filename="${ascii}.${kind}"${utf8}`,
    'cache-control': 'private, max-age=300',
  };
  return kind === 'svg'
    ? new RawResult(200, qrSvg(url), { 'content-type': 'image/svg+xml', ...headers })
    : new RawResult(200, qrPng(url, 8), { 'content-type': 'image/png', ...headers });
}

export const handler = createHttpHandler([
  route({
    method: 'GET',
    path: '/agencies',
    auth: 'registry.read',
    summary: '执法主体列表',
    query: z.strictObject({ ...pageQuery }),
    handle: async ({ query }) => store.listAgencies(query),
  }),
  route({
    method: 'POST',
    path: '/agencies',
    auth: 'registry.manage',
    summary: '新建执法主体',
    body: createAgencyBody,
    status: 201,
    idempotency: 'Officers',
    handle: async (r) => registry.createAgency(ctx(r), r.body),
  }),
  route({
    method: 'GET',
    path: '/agencies/{id}',
    auth: 'registry.read',
    summary: '执法主体详情',
    params: agencyParam,
    handle: async ({ params }) => {
      const a = await store.getAgency(params.id);
      if (!a) throw new NotFoundError(`执法主体 ${params.id} 不存在`);
      return a;
    },
  }),
  route({
    method: 'PATCH',
    path: '/agencies/{id}',
    auth: 'registry.manage',
    summary: '修改执法主体',
    params: agencyParam,
    body: updateAgencyBody,
    handle: async (r) => registry.updateAgency(ctx(r), r.params.id, r.body),
  }),
  route({
    method: 'GET',
    path: '/officers',
    auth: 'registry.read',
    summary: '执法人员列表',
    query: z.strictObject({
      agencyId: agencyId.optional(),
      name: singleLineText({ min: 1, max: 30 }).optional(),
      category: singleLineText({ min: 1, max: 30 }).optional(),
      ...pageQuery,
    }),
    handle: async (r) => {
      const { agencyId: a, name, category, ...page } = r.query;
      const res = await store.listOfficers({ agencyId: a, name, category }, page, false);
      return { items: res.items.map((o) => viewFor(r.identity, o)), nextCursor: res.nextCursor };
    },
  }),
  route({
    method: 'POST',
    path: '/officers',
    auth: 'registry.manage',
    summary: '登记执法人员',
    body: createOfficerBody,
    status: 201,
    idempotency: 'Officers',
    handle: async (r) => officerView(await registry.createOfficer(ctx(r), r.body)),
  }),
  route({
    method: 'GET',
    path: '/officers/{id}',
    auth: 'registry.read',
    summary: '执法人员详情',
    params: idParam,
    handle: async (r) => {
      const o = await store.getOfficer(r.params.id);
      if (!o) throw new NotFoundError(`执法人员 ${r.params.id} 不存在`);
      return viewFor(r.identity, o);
    },
  }),
  route({
    method: 'GET',
    path: '/officers/{id}/certificate-qr.svg',
    auth: 'registry.read',
    summary: '执法证件核验二维码（SVG，供打印在证件上；内容为公示网站的核验地址）',
    params: idParam,
    handle: async (r) => certificateQr(r.params.id, 'svg'),
  }),
  route({
    method: 'GET',
    path: '/officers/{id}/certificate-qr.png',
    auth: 'registry.read',
    summary: '执法证件核验二维码（PNG，每模块 8 像素；API Gateway 上请以 Accept: image/png 请求）',
    params: idParam,
    handle: async (r) => certificateQr(r.params.id, 'png'),
  }),
  route({
    method: 'PATCH',
    path: '/officers/{id}',
    auth: 'registry.manage',
    summary: '修改执法人员信息',
    params: idParam,
    body: updateOfficerBody,
    handle: async (r) => officerView(await registry.updateOfficer(ctx(r), r.params.id, r.body)),
  }),
  route({
    method: 'POST',
    path: '/officers/{id}/certificate-status',
    auth: 'registry.manage',
    summary: '变更执法证件状态（有效、暂扣、吊销）',
    params: idParam,
    body: certificateStatusBody,
    handle: async (r) => officerView(await registry.changeCertificateStatus(ctx(r), r.params.id, r.body)),
  }),
  route({
    method: 'POST',
    path: '/officers/{id}/training',
    auth: 'registry.manage',
    summary: '登记培训记录（S1）',
    params: idParam,
    body: trainingBody,
    status: 201,
    idempotency: 'Officers',
    handle: async (r) => new HttpResult(201, officerView(await registry.addTraining(ctx(r), r.params.id, r.body))),
  }),
  route({
    method: 'GET',
    path: '/devices',
    auth: 'device.read',
    summary: '本机构的执法记录设备',
    query: z.strictObject({ agencyId: agencyId.optional(), ...pageQuery }),
    handle: async (r) => {
      const a = r.query.agencyId ?? r.identity.agencyId;
      if (!a) throw new ValidationError('请指定 agencyId', [{ path: 'query.agencyId', message: '缺少机构编号' }]);
      await requireAccess(r.identity, 'device.read', a);
      return store.listDevices(a, { cursor: r.query.cursor, limit: r.query.limit });
    },
  }),
  route({
    method: 'POST',
    path: '/devices',
    auth: 'registry.manage',
    // No Idempotency-Key replay: the answer carries the device's client secret, which is kept nowhere.
    // A retry after a lost answer gets 409 DUPLICATE_DEVICE, never a second device.
    summary: '登记执法记录设备（R3 R4）：应答中的设备凭证（clientSecret）仅显示这一次',
    body: registerDeviceBody,
    status: 201,
    handle: async (r) => registry.registerDevice(ctx(r), r.body),
  }),
  route({
    method: 'GET',
    path: '/devices/{id}',
    auth: 'device.read',
    summary: '设备详情',
    params: idParam,
    handle: async (r) => {
      const d = await store.getDevice(r.params.id);
      if (!d) throw new NotFoundError(`设备 ${r.params.id} 不存在`, 'DEVICE_NOT_FOUND');
      await requireAccess(r.identity, 'device.read', d.agencyId);
      return d;
    },
  }),
  route({
    method: 'POST',
    path: '/devices/{id}/revoke',
    auth: 'registry.manage',
    summary: '停用设备（遗失、损坏、报废）：此后该设备的上传一律拒绝',
    params: idParam,
    body: revokeDeviceBody,
    handle: async (r) => registry.revokeDevice(ctx(r), r.params.id, r.body),
  }),
  route({
    method: 'POST',
    path: '/devices/{id}/credentials',
    auth: 'registry.manage',
    summary: '重新签发设备凭证（密钥遗失或泄露）：旧凭证立即作废，新的 clientSecret 仅显示这一次',
    params: idParam,
    body: revokeDeviceBody,
    handle: async (r) => registry.rotateDeviceCredentials(ctx(r), r.params.id, r.body),
  }),
  route({
    method: 'GET',
    path: '/openapi.json',
    auth: 'openapi.read',
    summary: '内部接口的 OpenAPI 3.1 文档（全部工作人员接口，由与校验相同的 zod 模式生成）',
    query: z.strictObject({}),
    response: openApiDocument,
    // The committed document (npm run openapi) is its own chunk, loaded by this route only: never at cold start.
    handle: async () => (await import('../../shared/openapi/internal.json', { with: { type: 'json' } })).default,
  }),
]);
