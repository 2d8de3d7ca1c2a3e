/**
 * Issue 13 point 3: the API stack's dashboard charts every business metric by agency (a SEARCH over
 * the `agency` dimension, so new agencies appear without a deployment) and every operational alarm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_METRICS, METRICS_NAMESPACE } from '../../shared/metric-names.ts';
import { logicalId, SKIP_BUNDLING, synthesise } from './fixture.ts';
import type { SynthesisedApp } from './fixture.ts';

interface Widget {
  type: string;
  properties: { metrics?: unknown[][]; alarms?: string[]; annotations?: { alarms?: string[] } };
}

let built: SynthesisedApp;
let widgets: Widget[];

/** The dashboard body with each reference written as `REF:<logical id>` (the parts are inside JSON strings). */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  const [, parts] = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const ref = (p as { Ref?: string }).Ref ?? (p as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0];
      return `REF:${ref ?? JSON.stringify(p).replace(/"/g, '')}`;
    })
    .join('');
}

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING });
  const dashboards = Object.values(built.apiTemplate.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  widgets = (JSON.parse(bodyText(dashboards[0]?.Properties.DashboardBody)) as { widgets: Widget[] }).widgets;
});

describe('the operations dashboard', () => {
  it('charts each business metric summed per agency', () => {
    const expressions = widgets.flatMap((w) => w.properties.metrics ?? []).map((m) => (m[0] as { expression?: string }).expression);
    for (const metric of BUSINESS_METRICS) {
      expect(expressions).toContain(`SEARCH('{${METRICS_NAMESPACE},agency,service} MetricName="${metric}"', 'Sum', 3600)`);
    }
  });

  it('shows the state of every operational alarm', () => {
    const a = built.api.alarms;
    const alarms = [a.apiServerErrors, ...Object.values(a.functionErrors), ...Object.values(a.functionThrottles), ...Object.values(a.workflowExecutions).flatMap((w) => Object.values(w))];
    const shown = widgets.find((w) => w.type === 'alarm')?.properties.alarms ?? [];
    expect(shown).toHaveLength(alarms.length);
    for (const alarm of alarms) expect(shown).toContain(`REF:${logicalId(alarm)}`);
  });
});
