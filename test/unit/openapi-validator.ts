/**
 * A JSON Schema 2020-12 validator (ajv) for the answers an OpenAPI 3.1 document describes: the whole
 * document is added under one id, so each response schema's `#/components/schemas/...` references
 * resolve exactly as a client generator would resolve them. Shared by the unit and integration tests.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const DOC_ID = 'urn:three-systems:openapi';

/** JSON Pointer escaping of one segment (RFC 6901), URI-encoded for use in a fragment. */
const segment = (s: string) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));

/** `validator(method, path, status)`: the compiled schema of that JSON response; throws if undocumented. */
export function responseValidator(doc: object): (method: string, path: string, status?: string) => ValidateFunction {
  // strict: OpenAPI's own keywords (paths, responses, ...) are not JSON Schema keywords.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, DOC_ID);
  return (method, path, status = '200') => {
    const pointer = ['paths', path, method.toLowerCase(), 'responses', status, 'content', 'application/json', 'schema'].map(segment).join('/');
    return ajv.compile({ $ref: `${DOC_ID}#/${pointer}` });
  };
}
