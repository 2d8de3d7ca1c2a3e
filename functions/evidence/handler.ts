/**
 * Evidence (R3–R7, N7). Field devices start, resume and complete uploads that go straight to S3; staff
 * list and inspect evidence, fetch it through short-lived links that go on the chain of custody, and
 * admins set legal holds and record explained exceptions to the recording rules.
 */
import * as z from '#domain/z.ts';
import {
  completeUploadBody,
  downloadUrlBody,
  legalHoldBody,
  partsRequestBody,
  deviceStartUploadBody,
} from '#domain/evidence.ts';
import type { Evidence } from '#domain/evidence.ts';
import type { Identity } from '#domain/identity.ts';
import { recordingExceptionBody } from '#domain/recording-rules.ts';
import { createHttpHandler, HttpResult, route } from '#http/router.ts';
import { pageQuery } from '#http/schemas.ts';
import { requireCaseAccess } from '#services/cases.ts';
import { requireAccess } from '#services/access.ts';
import type { Permission } from '#domain/access.ts';
import * as evidence from '#services/evidence.ts';
import * as recording from '#services/recording.ts';


const idParam = z.strictObject({ id: z.uuid({ message: '编号格式无效' }) });
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });

/** Evidence is reached with the same rights as its case's agency (the policy in shared/domain/access.ts). */
async function accessible(identity: Identity, id: string, permission: Permission): Promise<Evidence> {
  const e = await evidence.requireEvidence(id);
  await requireAccess(identity, permission, e.agencyId);
  return e;
}

export const handler = createHttpHandler([
  // ---------- field devices ----------
  route({
    method: 'POST',
    path: '/evidence/uploads',
    auth: 'device',
    summary: '发起证据上传（R4 五要素），返回直传存储的预签名地址',
    body: deviceStartUploadBody,
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => evidence.startUpload(r.identity, r.requestId, r.body),
  }),
  route({
    method: 'POST',
    path: '/evidence/uploads/{id}/parts',
    auth: 'device',
    summary: '续传：列出已上传的分片，为缺少的分片签发新地址',
    params: idParam,
    body: partsRequestBody,
    handle: async (r) => evidence.resumeUpload(r.identity, r.params.id, r.body.partNumbers),
  }),
  route({
    method: 'POST',
    path: '/evidence/uploads/{id}/complete',
    auth: 'device',
    summary: '完成上传：核对各分片 ETag，合并后校验 SHA-256 并封存',
    params: idParam,
    body: completeUploadBody,
    handle: async (r) => {
      const e = await evidence.completeUpload(r.identity, r.requestId, r.params.id, r.body);
      // 202 while the hash is being checked; the device polls GET /evidence/uploads/{id}.
      return new HttpResult(e.status === 'VERIFYING' ? 202 : 200, e);
    },
  }),
  route({
    method: 'GET',
    path: '/evidence/uploads/{id}',
    auth: 'device',
    summary: '本设备某次上传的状态',
    params: idParam,
    handle: async (r) => evidence.uploadStatus(r.identity, r.params.id),
  }),

  // ---------- staff ----------
  route({
    method: 'GET',
    path: '/cases/{id}/evidence',
    auth: 'evidence.read',
    summary: '案件的证据（音像记录、照片、文档）',
    params: idParam,
    query: z.strictObject({ ...pageQuery }),
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'evidence.read');
      return evidence.listEvidence(r.params.id, { cursor: r.query.cursor, limit: r.query.limit });
    },
  }),
  route({
    method: 'GET',
    path: '/evidence/{id}',
    auth: 'evidence.read',
    summary: '证据详情：元数据、签名清单，以及签名与文件是否核验一致',
    params: idParam,
    query: z.strictObject({
      verifyHash: z
        .enum(['true', 'false'])
        .optional()
        .meta({ description: 'true：重新读取整个文件计算 SHA-256（大文件较慢）' }),
    }),
    handle: async (r) => {
      const e = await accessible(r.identity, r.params.id, 'evidence.read');
      return { ...e, verification: await evidence.verification(e, r.query.verifyHash === 'true') };
    },
  }),
  route({
    method: 'POST',
    path: '/evidence/{id}/download-url',
    auth: 'evidence.read',
    summary: '调取证据：返回短时有效的下载地址，并记入证据保管链（谁、何时、为何）',
    params: idParam,
    body: downloadUrlBody,
    handle: async (r) => evidence.downloadUrl(ctx(r), await accessible(r.identity, r.params.id, 'evidence.read'), r.body.reason),
  }),
  route({
    method: 'POST',
    path: '/evidence/{id}/legal-hold',
    auth: 'evidence.manage',
    summary: '设置或解除法律保全（S3 Legal Hold）',
    params: idParam,
    body: legalHoldBody,
    handle: async (r) => evidence.setLegalHold(ctx(r), await accessible(r.identity, r.params.id, 'evidence.manage'), r.body.on, r.body.reason),
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/recording-gaps',
    auth: 'evidence.read',
    summary: '缺少必需音像记录的执法行为（R3 R5 N7）',
    params: idParam,
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'evidence.read');
      return recording.recordingReport(r.params.id);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/recording-exceptions',
    auth: 'evidence.manage',
    summary: '记录未能音像记录的情况说明（例外）',
    params: idParam,
    body: recordingExceptionBody,
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'evidence.manage');
      return recording.addRecordingException(ctx(r), r.params.id, r.body);
    },
  }),
]);
