/** Business metrics: one EMF line per call with the agency as a dimension; silent outside Lambda. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countBusiness } from '../../shared/aws/metrics.ts';

/** Runs `fn` with stdout captured; returns the JSON lines printed meanwhile. */
function captureStdout(fn: () => void): Record<string, unknown>[] {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => vi.unstubAllEnvs());

describe('countBusiness', () => {
  it('prints an EMF line with the namespace, the metric and the agency dimension when enabled', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const lines = captureStdout(() => countBusiness('DecisionsIssued', 'sq-city'));
    expect(lines).toHaveLength(1);
    const emf = lines[0] as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } } & Record<string, unknown>;
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe('ThreeSystems');
    expect(directive?.Metrics).toEqual([{ Name: 'DecisionsIssued', Unit: 'Count' }]);
    expect(directive?.Dimensions[0]).toContain('agency');
    expect(emf).toMatchObject({ agency: 'sq-city', DecisionsIssued: 1 });
  });

  it('a dimension per call: two agencies give two lines', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const lines = captureStdout(() => {
      countBusiness('DeadlineItemsDue', 'sq-city', 3);
      countBusiness('DeadlineItemsDue', 'sq-county', 2);
    });
    expect(lines.map((l) => [l.agency, l.DeadlineItemsDue])).toEqual([
      ['sq-city', 3],
      ['sq-county', 2],
    ]);
  });

  it('prints nothing outside Lambda, in local mode, or when Powertools is told to stay off', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', undefined);
    expect(captureStdout(() => countBusiness('DecisionsIssued', 'sq-city'))).toEqual([]);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'registry');
    vi.stubEnv('LOCAL_MODE', 'true');
    expect(captureStdout(() => countBusiness('DecisionsIssued', 'sq-city'))).toEqual([]);
    vi.stubEnv('LOCAL_MODE', undefined);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    expect(captureStdout(() => countBusiness('DecisionsIssued', 'sq-city'))).toEqual([]);
  });

  it('in Lambda it prints without any switch', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
    vi.stubEnv('LOCAL_MODE', undefined);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'registry');
    expect(captureStdout(() => countBusiness('EvidenceSealed', 'sq-city'))).toHaveLength(1);
  });
});
