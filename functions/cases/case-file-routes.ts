/**
 * The electronic case file (电子案卷, issue 15 point 8, P8): the one PDF and the zip of originals with
 * the signed manifest. pdfkit, pdf-lib, fflate and the font load with the first export, never at cold start.
 */
import * as z from '#domain/z.ts';
import { RawResult, route } from '#http/router.ts';
import { requireCaseAccess } from '#services/cases.ts';
import type { Identity } from '#domain/identity.ts';

const caseFile = () => import('#services/case-file.ts');
const idParam = z.strictObject({ id: z.uuid({ message: '案件编号格式无效' }) });
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });

function answer(file: { body: Buffer; url?: string; fileName: string; sha256: string; pages: number; closed: boolean }, contentType: string, ascii: string): RawResult {
  // Larger than a Lambda answer may carry: stored, and the client follows a 5-minute link.
  if (file.url) {
    return new RawResult(303, '', { 'content-type': 'text/plain; charset=utf-8', location: file.url, 'cache-control': 'private, no-store', 'x-content-sha256': file.sha256, 'x-case-file-pages': String(file.pages), 'x-case-closed': String(file.closed) });
  }
  return new RawResult(200, file.body, {
    'content-type': contentType,
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    'cache-control': 'private, no-store',
    'x-content-sha256': file.sha256,
    'x-case-file-pages': String(file.pages),
    'x-case-closed': String(file.closed),
  });
}

export const caseFileRoutes = [
  route({
    method: 'GET',
    path: '/cases/{id}/file.pdf',
    auth: 'case.read',
    summary: '电子案卷 PDF（P8）：案卷封面、卷内文件目录、全部文书、证据清单、案件过程记录、备考表；未结案的案件注明「未结案」（API Gateway 上请以 Accept: application/pdf 请求）',
    params: idParam,
    handle: async (r) => {
      const c = await requireCaseAccess(r.identity, r.params.id, 'case.read');
      return answer(await (await caseFile()).exportCaseFilePdf(ctx(r), c), 'application/pdf', `case-file-${c.id}.pdf`);
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/file.zip',
    auth: 'case.read',
    summary: '电子案卷原件包（P8）：各文书原件、电子案卷 PDF、manifest.json（各文件 SHA-256 与大小、证据对象键、版本和哈希）及其签名 manifest.sig（API Gateway 上请以 Accept: application/zip 请求）',
    params: idParam,
    handle: async (r) => {
      const c = await requireCaseAccess(r.identity, r.params.id, 'case.read');
      return answer(await (await caseFile()).exportCaseFileZip(ctx(r), c), 'application/zip', `case-file-${c.id}.zip`);
    },
  }),
];
