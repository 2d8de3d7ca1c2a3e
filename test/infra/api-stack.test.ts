import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { BUNDLE_EXTRAS, REPORT_FONT, REPORT_FONT_LICENCE, REPORT_FONT_PATH_ENV } from '../../infra/bundled-files.ts';
import { fromRoot } from '../../infra/paths.ts';
import { APPEND_ACTIONS, PUBLIC_READ_ACTIONS, READ_ACTIONS, WRITE_ACTIONS } from '../../infra/constructs/table-access.ts';
import { STAGE_NAME, USER_GROUPS } from '../../infra/stacks/api-stack.ts';
import { BINARY_MEDIA_TYPES, DEVICE_UPLOAD_SCOPE, functions, PUBLIC_OFFICER_ATTRIBUTES, routes } from '../../shared/manifest.ts';
import type { FunctionId, TableId } from '../../shared/manifest.ts';
import { tables, tableSpec } from '../../shared/store/tables.ts';
import { actionsOf, allStatements, logicalId, resourcePaths, resourcesOf, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { Statement, SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  built = synthesise(); // with bundling: these tests also look at the bundles
});

/** Statements of a function's role that mention a table of the data stack (via its exported ARN). */
function tableStatements(fn: FunctionId, table: TableId): Statement[] {
  const tableLogicalId = logicalId(built.data.tables[table]);
  return statementsOfRole(built.apiTemplate, logicalId(built.api.functions[fn].role)).filter((s) =>
    JSON.stringify(s.Resource).includes(tableLogicalId),
  );
}

describe('functions', () => {
  it('creates one function per entry of the manifest', () => {
    built.apiTemplate.resourceCountIs('AWS::Lambda::Function', functions.length);
  });

  it.each(functions.map((f) => [f.id, f] as const))('%s: Node.js 24 on arm64, traced, JSON logs to its own log group', (id, spec) => {
    const fn = built.api.functions[id];
    const resource = built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(fn.function)];
    expect(resource?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Timeout: spec.timeoutSeconds,
      MemorySize: spec.memoryMb,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(fn.logGroup) } },
    });
    const logGroup = built.apiTemplate.findResources('AWS::Logs::LogGroup')[logicalId(fn.logGroup)];
    expect(logGroup?.Properties.RetentionInDays).toBe(built.config.logRetentionDays);
  });

  it.each(functions.map((f) => [f.id, f] as const))('%s: environment names its tables, the bucket, the service, the bureau and the portal', (id, spec) => {
    const resource = built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[id].function)];
    const env = resource?.Properties.Environment.Variables as Record<string, unknown>;
    expect(env).toMatchObject({
      POWERTOOLS_SERVICE_NAME: `three-systems-${id}`,
      BUREAU_NAME: built.config.bureauName,
      EVIDENCE_BUCKET: { 'Fn::ImportValue': expect.any(String) },
    });
    expect(JSON.stringify(env.EVIDENCE_BUCKET)).toContain(logicalId(built.data.evidenceBucket));
    // The portal's URL: certificates' QR codes (issue 14) and the one browser origin the API answers (issue 16).
    expect(env.PORTAL_URL).toBe(built.config.portalUrl);
    // Only the tables the function may use: the public function does not even learn the name of Cases.
    for (const table of tables) {
      if (spec.tables[table.id]) {
        expect(JSON.stringify(env[table.envVar])).toContain(logicalId(built.data.tables[table.id]));
      } else {
        expect(env[table.envVar]).toBeUndefined();
      }
    }
  });

  it.each(functions.map((f) => [f.id, f] as const))('%s: bundled as minified ESM with a source map and the createRequire banner', (id) => {
    const resource = built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[id].function)];
    const assetHash = String(resource?.Properties.Code.S3Key).replace(/\.zip$/, '');
    const dir = path.join(built.app.outdir, `asset.${assetHash}`);
    expect(existsSync(path.join(dir, 'index.mjs.map'))).toBe(true);
    const code = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
    expect(resource?.Properties.Handler).toBe('index.handler');
  });

  /** The folder of a function's bundle in the cloud assembly (what CDK zips and uploads). */
  const assetDir = (id: FunctionId): string => {
    const resource = built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[id].function)];
    return path.join(built.app.outdir, `asset.${String(resource?.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
  };
  const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

  /** The functions that draw PDFs with the report font: jobs (the annual report) and cases (the penalty documents, issue 15). */
  const fontCarriers = (Object.keys(BUNDLE_EXTRAS) as FunctionId[]).map((id) => [id] as const);

  it.each(fontCarriers)('%s: its bundle carries the report font and the font\'s licence, byte for byte, next to index.mjs, and REPORT_FONT_PATH names the font', (id) => {
    const dir = assetDir(id);
    expect(readdirSync(dir).sort()).toEqual(['NotoSansSC-OFL.txt', 'NotoSansSC-Regular.ttf', 'chunks', 'index.mjs', 'index.mjs.map']);
    expect(REPORT_FONT.to).toBe('NotoSansSC-Regular.ttf');
    expect(REPORT_FONT_LICENCE.to).toBe('NotoSansSC-OFL.txt');
    expect(sha256(path.join(dir, REPORT_FONT.to))).toBe(sha256(fromRoot(REPORT_FONT.from)));
    expect(sha256(path.join(dir, REPORT_FONT_LICENCE.to))).toBe(sha256(fromRoot(REPORT_FONT_LICENCE.from)));
    expect(readFileSync(path.join(dir, REPORT_FONT_LICENCE.to), 'utf8')).toContain('SIL OPEN FONT LICENSE');
    // A TrueType file (sfnt version 1.0), the one the runtime reads.
    expect(readFileSync(path.join(dir, REPORT_FONT.to)).subarray(0, 4).toString('hex')).toBe('00010000');
    const env = built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[id].function)]?.Properties.Environment.Variables;
    expect(env[REPORT_FONT_PATH_ENV]).toBe('/var/task/NotoSansSC-Regular.ttf');
  });

  it.each(fontCarriers)('%s: the bundle is ESM (pdfkit reads import.meta.url), within a size budget', (id) => {
    const dir = assetDir(id);
    expect(existsSync(path.join(dir, 'index.js'))).toBe(false);
    const code = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    // esbuild keeps import.meta.url only in ESM output (a CommonJS bundle would have it replaced by undefined).
    expect(code).toContain('import.meta.url');
    expect(code).not.toMatch(/\bmodule\.exports\s*=/);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    // 10.6 MB of font, about 1.8 MB of code and 2.6 MB of source map today. Lambda takes 250 MB unzipped;
    // the budget is there to notice the whole font package (nine weights, 95 MB) or a second copy arriving.
    const bytes = readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
    expect(bytes).toBeGreaterThan(statSync(fromRoot(REPORT_FONT.from)).size);
    expect(bytes).toBeLessThan(20 * 1024 * 1024);
  });

  it.each(functions.filter((f) => !BUNDLE_EXTRAS[f.id]).map((f) => [f.id] as const))('%s: its bundle is only the code and its source maps (no font), and it has no REPORT_FONT_PATH', (id) => {
    const dir = assetDir(id);
    expect(readdirSync(dir).sort()).toEqual(['chunks', 'index.mjs', 'index.mjs.map']);
    const chunks = readdirSync(path.join(dir, 'chunks')).sort();
    expect(chunks.length).toBeGreaterThan(0);
    // Every chunk is an ES module with its map, and nothing else is there.
    expect(chunks.filter((f) => !f.endsWith('.mjs.map'))).toEqual(chunks.filter((f) => f.endsWith('.mjs')));
    expect(chunks.filter((f) => f.endsWith('.mjs')).map((f) => `${f}.map`)).toEqual(chunks.filter((f) => f.endsWith('.map')));
    const env = built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[id].function)]?.Properties.Environment.Variables;
    expect(env[REPORT_FONT_PATH_ENV]).toBeUndefined();
  });

  /** The files a cold start evaluates: index.mjs and the chunks it imports statically (esbuild's `from"./chunks/…"`), transitively. */
  const initFiles = (dir: string): string[] => {
    const seen = new Set(['index.mjs']);
    const queue = ['index.mjs'];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      const code = readFileSync(path.join(dir, file), 'utf8');
      for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*"\.\/(?:chunks\/)?([^"]+\.mjs)"/g)) {
        const next = `chunks/${m[1]}`;
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return [...seen];
  };
  const assetText = (dir: string, files: readonly string[]): string => files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
  const allCode = (dir: string): string[] => ['index.mjs', ...readdirSync(path.join(dir, 'chunks')).filter((f) => f.endsWith('.mjs')).map((f) => `chunks/${f}`)];

  it('every function gets its own asset, which serves its own routes', () => {
    const keys = functions.map((f) => built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[f.id].function)]?.Properties.Code.S3Key);
    expect(new Set(keys).size).toBe(functions.length);
    for (const f of functions) {
      const code = assetText(assetDir(f.id), allCode(assetDir(f.id)));
      for (const r of routes.filter((route) => route.fn === f.id)) expect(code, `${r.method} ${r.path} in ${f.id}`).toContain(`"${r.path}"`);
    }
  });

  it.each(functions.map((f) => [f.id] as const))('%s: starts without --enable-source-maps and bundles Lambda\'s credentials, not the SDK\'s whole chain', (id) => {
    const env = built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[id].function)]?.Properties.Environment.Variables;
    expect(env.NODE_OPTIONS).toBeUndefined();
    const code = assetText(assetDir(id), allCode(assetDir(id)));
    // Strings of @aws-sdk/credential-provider-node's chain (SSO, ini files), absent with shared/aws/lambda-credentials.ts.
    expect(code).not.toContain('defaultProvider::fromSSO');
    expect(code).not.toContain('credential-provider-ini');
    expect(code).toContain('AWS_SECRET_ACCESS_KEY');
  });

  it('jobs: a cold start (the daily deadline check) loads neither the PDF nor the spreadsheet code; their chunks load when a report is drawn', () => {
    const dir = assetDir('jobs');
    const init = initFiles(dir);
    expect(init.length).toBeGreaterThan(1);
    const atInit = assetText(dir, init);
    const lazy = assetText(dir, allCode(dir).filter((f) => !init.includes(f)));
    // pdfkit writes the "%PDF-" header; the xlsx writer names "xl/workbook.xml".
    expect(atInit).not.toContain('%PDF-');
    expect(atInit).not.toContain('xl/workbook.xml');
    expect(lazy).toContain('%PDF-');
    expect(lazy).toContain('xl/workbook.xml');
  });

  it('cases: a cold start does not load the PDF code (the penalty documents load it when one is drawn)', () => {
    const dir = assetDir('cases');
    expect(assetText(dir, initFiles(dir))).not.toContain('%PDF-');
  });

  it('only jobs, cases and reports (the PDFs\' font) have bundle extras', () => {
    expect(Object.keys(BUNDLE_EXTRAS)).toEqual(['jobs', 'cases', 'reports']);
  });

  it('roles carry no AWS managed policies (logs are scoped to the function log group)', () => {
    for (const fn of Object.values(built.api.functions)) {
      const role = built.apiTemplate.findResources('AWS::IAM::Role')[logicalId(fn.role)];
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      const logStatement = statementsOfRole(built.apiTemplate, logicalId(fn.role)).find((s) => actionsOf(s).includes('logs:PutLogEvents'));
      expect(logStatement?.Resource).toEqual({ 'Fn::GetAtt': [logicalId(fn.logGroup), 'Arn'] });
    }
  });
});

describe('table permissions', () => {
  it('no policy grants DeleteItem, BatchWriteItem, Scan or PartiQL, nor any DynamoDB or KMS action on "*"', () => {
    for (const statement of allStatements(built.apiTemplate)) {
      const actions = actionsOf(statement);
      expect(actions).not.toContainEqual(expect.stringMatching(/^dynamodb:(DeleteItem|BatchWriteItem|Scan|PartiQL.*|\*)$/));
      if (actions.some((a) => a.startsWith('dynamodb:') || a.startsWith('kms:'))) {
        expect(resourcesOf(statement)).not.toContain('*');
        expect(JSON.stringify(statement.Resource)).not.toMatch(/\*/);
      }
    }
  });

  it('the public function has no permission at all on Cases', () => {
    const casesTable = logicalId(built.data.tables.Cases);
    const statements = statementsOfRole(built.apiTemplate, logicalId(built.api.functions.public.role));
    expect(statements.length).toBeGreaterThan(0);
    expect(JSON.stringify(statements)).not.toContain(casesTable);
  });

  it("the public function reads Officers only through the public projection", () => {
    const statements = tableStatements('public', 'Officers');
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0]!).sort()).toEqual([...PUBLIC_READ_ACTIONS].sort());
    expect(statements[0]!.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...PUBLIC_OFFICER_ATTRIBUTES] },
      StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    });
    // PII never in the projection (D4, D5).
    expect(PUBLIC_OFFICER_ATTRIBUTES).not.toContain('idNumber');
    expect(PUBLIC_OFFICER_ATTRIBUTES).not.toContain('phone');
  });

  it.each(functions.map((f) => [f.id, f] as const))('%s gets exactly the tables and access of the manifest', (id, spec) => {
    for (const table of tables) {
      const statements = tableStatements(id, table.id);
      const access = spec.tables[table.id];
      const actions = new Set(statements.flatMap(actionsOf));
      const onIndexes = statements.filter((s) => JSON.stringify(s.Resource).includes('/index/'));
      switch (access) {
        case undefined:
          expect(statements).toEqual([]);
          break;
        case 'read':
          expect([...actions].sort()).toEqual([...READ_ACTIONS].sort());
          expect(onIndexes.length).toBe(1);
          expect(statements.every((s) => s.Condition === undefined)).toBe(true);
          break;
        case 'readwrite':
          expect([...actions].sort()).toEqual([...READ_ACTIONS, ...WRITE_ACTIONS].filter((a, i, all) => all.indexOf(a) === i).sort());
          // Writes go to the table only; the indexes are read-only by nature.
          expect(onIndexes.flatMap(actionsOf).sort()).toEqual([...READ_ACTIONS].sort());
          break;
        case 'append':
          expect([...actions].sort()).toEqual([...APPEND_ACTIONS].sort());
          expect(onIndexes).toEqual([]);
          break;
        case 'public-read':
          expect([...actions].sort()).toEqual([...PUBLIC_READ_ACTIONS].sort());
          break;
      }
    }
  });

  it('index permissions name each index of the spec (no index/* wildcard)', () => {
    const [statement] = tableStatements('audit', 'Audit').filter((s) => JSON.stringify(s.Resource).includes('/index/'));
    const indexSuffixes = JSON.stringify(statement?.Resource).match(/\/index\/[A-Za-z0-9_-]+/g);
    expect(indexSuffixes).toEqual(tableSpec('Audit').indexes.map((i) => `/index/${i.indexName}`));
  });

  it('table-key use is limited to DynamoDB through kms:ViaService, and writers alone may encrypt', () => {
    const tableKey = logicalId(built.data.tableKey);
    for (const spec of functions) {
      const kmsStatements = statementsOfRole(built.apiTemplate, logicalId(built.api.functions[spec.id].role)).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('kms:')),
      );
      // Every KMS statement names one key: the table key, or (evidence.test.ts) the evidence or signing
      // key of the data stack, or (reports.test.ts) the reports key, or (compliance.test.ts) the alert topic's key.
      const others = [
        logicalId(built.data.evidenceKey),
        logicalId(built.data.signingKey),
        logicalId(built.data.reportsKey),
        // (checkpoints.test.ts) the checkpoints bucket's key.
        logicalId(built.data.checkpointsKey),
        logicalId(built.api.alertTopic.masterKey as kms.Key),
      ];
      for (const s of kmsStatements) {
        expect([tableKey, ...others].filter((id) => JSON.stringify(s.Resource).includes(id)), JSON.stringify(s)).toHaveLength(1);
      }
      const keyStatements = kmsStatements.filter((s) => JSON.stringify(s.Resource).includes(tableKey));
      expect(keyStatements.length).toBeGreaterThan(0);
      for (const s of keyStatements) {
        expect(s.Condition).toEqual({ StringEquals: { 'kms:ViaService': expect.anything() } });
        expect(JSON.stringify(s.Condition)).toContain('dynamodb.');
      }
      const writes = Object.values(spec.tables).some((a) => a === 'readwrite' || a === 'append' || a === 'append-checkpoint' || a === 'read-checkpoint');
      expect(keyStatements.some((s) => actionsOf(s).includes('kms:GenerateDataKey'))).toBe(writes);
    }
  });
});

describe('REST API', () => {
  const apiPaths = (): Map<string, string> => resourcePaths(built.apiTemplate, logicalId(built.api.api));

  it('has one method per route of the manifest, with the right authorizer and function', () => {
    const paths = apiPaths();
    const methods = Object.values(built.apiTemplate.findResources('AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(routes.length);
    const authorizerId = built.apiTemplate.findResources('AWS::ApiGateway::Authorizer');
    expect(Object.values(authorizerId).map((a) => a.Properties.Type)).toEqual(['COGNITO_USER_POOLS']);
    const [cognitoAuthorizer] = Object.keys(authorizerId);

    for (const route of routes) {
      const method = methods.find(
        (m) => m.Properties.HttpMethod === route.method && paths.get(m.Properties.ResourceId.Ref) === route.path,
      );
      expect(method, `${route.method} ${route.path}`).toBeDefined();
      const props = method?.Properties;
      if (route.auth === 'user') {
        expect(props.AuthorizationType).toBe('COGNITO_USER_POOLS');
        expect(props.AuthorizerId).toEqual({ Ref: cognitoAuthorizer });
        expect(props.AuthorizationScopes).toBeUndefined();
      } else if (route.auth === 'device') {
        // An access token with the devices' scope; users' tokens carry no custom scope.
        expect(props.AuthorizationType).toBe('COGNITO_USER_POOLS');
        expect(props.AuthorizerId).toEqual({ Ref: cognitoAuthorizer });
        expect(props.AuthorizationScopes).toEqual([DEVICE_UPLOAD_SCOPE]);
      } else {
        expect(props.AuthorizationType).toBe('NONE');
        expect(props.AuthorizerId).toBeUndefined();
        expect(props.AuthorizationScopes).toBeUndefined();
      }
      expect(props.Integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(props.Integration.Uri)).toContain(logicalId(built.api.functions[route.fn].function));
    }
  });

  it('lets API Gateway invoke each API function through this API\'s stage only, with one permission per function', () => {
    const all = Object.values(built.apiTemplate.findResources('AWS::Lambda::Permission'));
    // The others are EventBridge's, for the object-event functions (evidence.test.ts).
    const permissions = all.filter((p) => p.Properties.Principal === 'apigateway.amazonaws.com');
    expect(all.filter((p) => p.Properties.Principal !== 'apigateway.amazonaws.com').map((p) => p.Properties.Principal)).toEqual(
      functions.filter((f) => f.invokedBy === 's3').map(() => 'events.amazonaws.com'),
    );
    const [apiId] = Object.keys(built.apiTemplate.findResources('AWS::ApiGateway::RestApi'));
    const invoked = permissions.map((p) => {
      const sourceArn = JSON.stringify(p.Properties.SourceArn);
      // arn:…:execute-api:region:account:{api}/{stage}/*/*: this API and stage, any of its methods.
      expect(sourceArn).toContain(`{"Ref":"${apiId}"}`);
      expect(sourceArn).toMatch(new RegExp(`"/${STAGE_NAME}/\\*/\\*"\\]\\]\\}$`));
      return Object.entries(built.api.functions).find(([, f]) => JSON.stringify(p.Properties.FunctionName).includes(logicalId(f.function)))?.[0];
    });
    expect(invoked.sort()).toEqual([...new Set(routes.map((r) => r.fn))].sort());
    // Each method integrates its own route's function (the only way API Gateway reaches a function).
    const methods = Object.values(built.apiTemplate.findResources('AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(routes.length);
    for (const m of methods) {
      const uri = JSON.stringify(m.Properties.Integration.Uri);
      expect(Object.values(built.api.functions).filter((f) => uri.includes(logicalId(f.function)))).toHaveLength(1);
    }
  });

  it('stays well inside CloudFormation\'s 500 resources per stack, so that routes can still be added', () => {
    expect(Object.keys(built.apiTemplate.toJSON().Resources as object).length).toBeLessThanOrEqual(450);
  });

  it('is regional and passes spreadsheet bodies through as binary', () => {
    built.apiTemplate.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      BinaryMediaTypes: [...BINARY_MEDIA_TYPES],
    });
  });

  it('stage is throttled, traced and access-logged as JSON', () => {
    built.apiTemplate.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: STAGE_NAME,
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ]),
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    const [stage] = Object.values(built.apiTemplate.findResources('AWS::ApiGateway::Stage'));
    const format = JSON.parse(stage?.Properties.AccessLogSetting.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });

  it('throttling comes from context', () => {
    const other = buildApp({ context: { ...SKIP_BUNDLING, apiThrottleRateLimit: 5, apiThrottleBurstLimit: 10 } });
    other.app.synth();
    Template.fromStack(other.api).hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })]),
    });
  });

  it('answers its own errors in the API error shape', () => {
    built.apiTemplate.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"UNAUTHORIZED"') },
    });
    built.apiTemplate.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
    });
    // Readable by the staff console on the portal's origin (a 401 sends its user to sign in), and by no other.
    const gatewayResponses = Object.values(built.apiTemplate.findResources('AWS::ApiGateway::GatewayResponse'));
    expect(gatewayResponses.length).toBeGreaterThan(0);
    for (const r of gatewayResponses) {
      expect(r.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(`'${new URL(built.config.portalUrl).origin}'`);
    }
  });
});

describe('AWS WAF', () => {
  it('is a regional web ACL with a per-IP rate-based rule and the AWS managed common rule set', () => {
    built.apiTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RateLimitPerIp',
          Action: { Block: Match.anyValue() },
          Statement: {
            RateBasedStatement: { Limit: built.config.wafRateLimitPer5Minutes, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
          },
        }),
        Match.objectLike({
          OverrideAction: { None: {} },
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' }),
          },
        }),
      ]),
    });
  });

  it('is associated with the API stage', () => {
    const [stageId] = Object.keys(built.apiTemplate.findResources('AWS::ApiGateway::Stage'));
    built.apiTemplate.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    const [association] = Object.values(built.apiTemplate.findResources('AWS::WAFv2::WebACLAssociation'));
    expect(association?.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [logicalId(built.api.firewall.webAcl), 'Arn'] });
    const arn = JSON.stringify(association?.Properties.ResourceArn);
    expect(arn).toContain(`"Ref":"${logicalId(built.api.api)}"`);
    expect(arn).toContain(`"Ref":"${stageId}"`);
  });
});

describe('Cognito', () => {
  it('has the groups officer, reviewer, leader and admin', () => {
    built.apiTemplate.resourceCountIs('AWS::Cognito::UserPoolGroup', USER_GROUPS.length);
    for (const group of ['officer', 'reviewer', 'leader', 'admin']) {
      built.apiTemplate.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: group,
        UserPoolId: { Ref: logicalId(built.api.userPool) },
      });
    }
  });

  it('admits no self sign-up, requires MFA and a strong password, and has mutable agencyId and officerId attributes', () => {
    built.apiTemplate.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'agencyId', AttributeDataType: 'String', Mutable: true }),
          Match.objectLike({ Name: 'officerId', AttributeDataType: 'String', Mutable: true }),
        ]),
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      }),
    });
  });

  const clients = () => Object.values(built.apiTemplate.findResources('AWS::Cognito::UserPoolClient'));

  it('has a user app client without a secret or OAuth flows, which cannot write custom:agencyId or custom:officerId', () => {
    // Device clients are created at run time by the registry function, not by the stack.
    built.apiTemplate.resourceCountIs('AWS::Cognito::UserPoolClient', 2);
    const client = clients().find((c) => (c.Properties.ExplicitAuthFlows as string[] | undefined)?.includes('ALLOW_USER_SRP_AUTH'));
    expect(client?.Properties.GenerateSecret).toBe(false);
    // The pool has a domain now (for devices): the web client must not be usable through its hosted pages.
    expect(client?.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(client?.Properties.AllowedOAuthFlowsUserPoolClient).not.toBe(true);
    expect(client?.Properties.CallbackURLs).toBeUndefined();
    const writable = client?.Properties.WriteAttributes as string[];
    expect(writable.length).toBeGreaterThan(0); // an empty list would mean "all" to Cognito
    expect(writable).not.toContain('custom:agencyId');
    expect(writable).not.toContain('custom:officerId');
  });

  it("has the staff console's client: hosted sign-in, code flow only, back to the portal's /console/ only (issue 16)", () => {
    const client = clients().find((c) => c.Properties.AllowedOAuthFlowsUserPoolClient === true);
    expect(client?.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: expect.arrayContaining(['openid', 'profile']),
      CallbackURLs: [`${built.config.portalUrl}/console/`],
      LogoutURLs: [`${built.config.portalUrl}/console/`],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    // No password flows of its own (without a list Cognito would allow SRP and custom auth): users sign in
    // on the hosted pages, MFA as the pool requires.
    expect(client?.Properties.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    const writable = client?.Properties.WriteAttributes as string[];
    expect(writable.length).toBeGreaterThan(0);
    expect(writable.filter((a) => a.startsWith('custom:'))).toEqual([]);
  });
});

describe('alerts', () => {
  it('topic is KMS-encrypted, refuses non-TLS publishers, and has no subscription by default', () => {
    built.apiTemplate.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    built.apiTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    built.apiTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('subscribes alertEmail when it is set', () => {
    const other = buildApp({ context: { ...SKIP_BUNDLING, alertEmail: 'duty@example.gov.cn' } });
    other.app.synth();
    Template.fromStack(other.api).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'duty@example.gov.cn',
    });
  });
});

describe('outputs', () => {
  it('exports the API URL, user pool id and client id', () => {
    built.apiTemplate.hasOutput('ApiUrl', {});
    built.apiTemplate.hasOutput('UserPoolId', { Value: { Ref: logicalId(built.api.userPool) } });
    built.apiTemplate.hasOutput('UserPoolClientId', { Value: { Ref: logicalId(built.api.userPoolClient) } });
  });
});
