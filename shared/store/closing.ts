/**
 * What closing a case writes in its item collection besides the case (P8, P7):
 *
 *   CASE#<id> / ONDEMAND#<type>      marks that the one on-demand document of a type was made (its DOC# item holds it)
 */
import { ConflictError } from '../domain/errors.ts';
import type { Write } from './transact.ts';

const T = 'Cases' as const;

/** One on-demand document of `type` per case: a second request fails, also when two race. */
export function markOnDemandDocument(caseId: string, type: string, documentId: string, documentNo: string): Write {
  return {
    kind: 'put',
    table: T,
    item: { pk: `CASE#${caseId}`, sk: `ONDEMAND#${type}`, entity: 'OnDemandDocument', caseId, type, documentId, documentNo },
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () => new ConflictError('DOCUMENT_EXISTS', `本案已制作该文书，请查看 GET /cases/${caseId}/documents`),
  };
}
