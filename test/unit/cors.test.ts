/**
 * Which browser origin may read the API's answers (shared/http/cors.ts; issue 16): the portal's, where
 * the staff console runs, and no other; and the handlers add the same headers to every answer.
 */
import { describe, expect, it } from 'vitest';
import { corsHeaders, headerValue, originOf, preflightHeaders } from '../../shared/http/cors.ts';

const PORTAL = 'https://portal.sqscjg.gov.cn';

describe('CORS for the staff console', () => {
  it('lets the portal origin read answers, with the headers the console needs', () => {
    expect(corsHeaders(PORTAL, PORTAL)).toMatchObject({ 'Access-Control-Allow-Origin': PORTAL, Vary: 'Origin' });
    expect(corsHeaders(PORTAL, PORTAL)['Access-Control-Expose-Headers']).toContain('Retry-After');
  });

  it.each([['https://evil.example'], ['http://portal.sqscjg.gov.cn'], ['https://portal.sqscjg.gov.cn:8443'], ['null'], [undefined]])(
    'gives %s no CORS header (the browser keeps the answer from that page)',
    (origin) => {
      expect(corsHeaders(origin, PORTAL)).toEqual({ Vary: 'Origin' });
      expect(preflightHeaders(origin, PORTAL)).toBeUndefined();
    },
  );

  it('answers the portal origin\'s preflight with the methods and headers the API takes', () => {
    const h = preflightHeaders(PORTAL, PORTAL);
    expect(h?.['Access-Control-Allow-Methods']).toBe('GET, POST, PUT, PATCH, DELETE');
    expect(h?.['Access-Control-Allow-Headers']).toContain('Authorization');
    expect(h?.['Access-Control-Allow-Headers']).toContain('Idempotency-Key');
  });

  it('takes the origin of the configured portal URL and finds the Origin header in any case', () => {
    expect(originOf('http://localhost:3001')).toBe('http://localhost:3001');
    expect(originOf('https://portal.sqscjg.gov.cn')).toBe(PORTAL);
    expect(headerValue({ ORIGIN: PORTAL }, 'origin')).toBe(PORTAL);
    expect(headerValue(undefined, 'origin')).toBeUndefined();
  });
});
