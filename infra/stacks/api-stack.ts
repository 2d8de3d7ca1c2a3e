/**
 * The stateless API stack: one Lambda function per entry of `functions` in shared/manifest.ts,
 * each granted only its tables, evidence objects, report files, case documents, signing-key use, device clients and alert
 * publishing, its bundle carrying the files of infra/bundled-files.ts;
 * a REST API built from `routes` (anonymous public routes, Cognito user tokens, or device access tokens
 * with the upload scope) behind AWS WAF; one Step Functions workflow per ASL file that a function drives
 * (`drivesWorkflows`), its Tasks run by the `invokedBy: 'workflow'` functions; one EventBridge rule per
 * `invokedBy: 's3'` function for the evidence bucket's object-created events; one EventBridge Scheduler
 * schedule per job of shared/schedules.ts; the user pool with its device resource server and domain; the
 * alert topic; the cursor-signing secret, readable by the `pagesLists` functions only; reserved concurrency
 * for the function behind the anonymous routes; CloudWatch alarms on API 5xx, each function's errors and
 * throttles, and failed, timed-out or aborted workflow executions, all to the alert topic; a dashboard of
 * the business metrics by agency and the alarms.
 */
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CORS_EXPOSE_HEADERS, originOf } from '../../shared/http/cors.ts';
import type { StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BINARY_MEDIA_TYPES, DEVICE_UPLOAD_SCOPE, EVIDENCE_PREFIX, functions as functionSpecs, routes } from '../../shared/manifest.ts';
import type { FunctionId, TableId } from '../../shared/manifest.ts';
import { schedules as scheduleSpecs } from '../../shared/schedules.ts';
import { EVIDENCE_BUCKET_ENV, tableSpec } from '../../shared/store/tables.ts';
import { BUNDLE_EXTRAS, checkBundleExtras } from '../bundled-files.ts';
import type { AppConfig } from '../config.ts';
import { ApiFirewall } from '../constructs/api-firewall.ts';
import { CursorSecret } from '../constructs/cursor-access.ts';
import { OperationalAlarms } from '../constructs/operational-alarms.ts';
import { ObservabilityDashboard } from '../constructs/observability-dashboard.ts';
import { JobSchedules } from '../constructs/job-schedules.ts';
import { acknowledgeSingleRoleInlinePolicies } from '../constructs/inline-policies.ts';
import { createLogsKey } from '../constructs/logs-key.ts';
import { deadLettersAlarm, ObjectCreatedTrigger } from '../constructs/object-created-trigger.ts';
import { ProjectFunction } from '../constructs/project-function.ts';
import { Workflow } from '../constructs/workflow.ts';
import { checkObjectEventFunctions, objectEventFunctions } from '../object-events.ts';
import { asyncDeadLetterQueueOf, checkScheduledFunctions, checkSchedules } from '../schedules.ts';
import { checkedWorkflow, checkWorkflowFunctions, deployedWorkflows, stateMachineArnEnv } from '../workflows.ts';
import type { DataResources } from './data-stack.ts';

/** Cognito groups; handlers read them from the `cognito:groups` claim. */
export const USER_GROUPS = [
  { name: 'admin', description: '系统管理员：机构、人员、权责清单维护' },
  { name: 'leader', description: '机关负责人：审批、集体讨论' },
  { name: 'reviewer', description: '法制审核人员' },
  { name: 'officer', description: '执法人员' },
] as const;

/** The API's only stage; part of every URL. */
export const STAGE_NAME = 'v1';

/**
 * The resource server and scope of DEVICE_UPLOAD_SCOPE (`evidence/upload`): Cognito writes a custom
 * scope as `<resource server identifier>/<scope name>`.
 */
export function deviceScopeParts(scope: string = DEVICE_UPLOAD_SCOPE): { readonly identifier: string; readonly scopeName: string } {
  const match = /^([\w.:-]+)\/([\w.-]+)$/.exec(scope);
  if (!match) throw new Error(`Device scope ${JSON.stringify(scope)} is not <resource server>/<scope>`);
  return { identifier: match[1] as string, scopeName: match[2] as string };
}

/** Lambda's own retries of an asynchronous invocation before the event goes to the dead-letter queue (its defaults, explicit). */
const ASYNC_RETRY_ATTEMPTS = 2;
const ASYNC_MAX_EVENT_AGE = Duration.hours(6);

export interface ApiStackProps extends StackProps {
  readonly data: DataResources;
  readonly config: AppConfig;
}

export class ApiStack extends Stack {
  readonly functions: Readonly<Record<FunctionId, ProjectFunction>>;
  /** By workflow name (`legal-review`). */
  readonly workflows: Readonly<Record<string, Workflow>>;
  readonly api: apigw.RestApi;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** The staff console's client (issue 16): the pool's hosted sign-in, authorization code with PKCE. */
  readonly consoleClient: cognito.UserPoolClient;
  /** `evidence`, with the `upload` scope: what device access tokens carry. */
  readonly deviceResourceServer: cognito.UserPoolResourceServer;
  /** Cognito prefix domain: the devices' token endpoint. */
  readonly userPoolDomain: cognito.UserPoolDomain;
  /** `https://<domain>/oauth2/token`, where devices exchange their client credentials for an access token. */
  readonly deviceTokenUrl: string;
  /** By function id, for each `invokedBy: 's3'` function. */
  readonly objectTriggers: Readonly<Partial<Record<FunctionId, ObjectCreatedTrigger>>>;
  /** By function id: the dead-letter queue of each asynchronously invoked function. */
  readonly deadLetterQueues: Readonly<Partial<Record<FunctionId, sqs.Queue>>>;
  /** The dead-letter queue of every function not in `deadLetterQueues` (none is invoked asynchronously). */
  readonly unexpectedAsyncDeadLetters: sqs.Queue;
  /** The EventBridge Scheduler schedules of shared/schedules.ts, their roles, dead-letter queue and alarm. */
  readonly jobSchedules: JobSchedules;
  readonly alertTopic: sns.Topic;
  readonly firewall: ApiFirewall;
  /** Signs pagination cursors; read by the `pagesLists` functions only. */
  readonly cursorSecret: CursorSecret;
  readonly alarms: OperationalAlarms;
  /** Business metrics by agency and the alarms' metrics (infra/constructs/observability-dashboard.ts). */
  readonly dashboard: ObservabilityDashboard;
  /** Encrypts every log group of this stack. */
  readonly logsKey: kms.Key;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data, config } = props;

    this.alertTopic = this.createAlertTopic(config);
    this.logsKey = createLogsKey(this, 'LogsKey');

    this.userPool = this.createUserPool();
    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // Users sign in through the API (SRP), never through the domain's hosted pages: no OAuth flows, so
      // the domain below serves this client nothing (CDK's default would allow the implicit and code
      // flows with a placeholder callback URL).
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // agencyId and officerId decide what a user may see and do: only an administrator may change them, never
      // the user through UpdateUserAttributes. An empty list would mean "all attributes" to Cognito.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true }),
    });
    // The staff console (issue 16, point 1) signs users in through the pool's hosted pages (MFA as the
    // pool requires): the authorization-code flow, which the console always runs with PKCE (a public
    // client has no secret to keep), back to the console on the portal's origin and nowhere else.
    const consolePage = `${config.portalUrl}/console/`;
    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE],
        callbackUrls: [consolePage],
        logoutUrls: [consolePage],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true }),
    });
    // Without a list Cognito would also allow SRP and custom auth on this client: only refreshing.
    (this.consoleClient.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    const device = deviceScopeParts();
    this.deviceResourceServer = this.userPool.addResourceServer('DeviceResourceServer', {
      identifier: device.identifier,
      userPoolResourceServerName: 'Field devices - evidence uploads',
      scopes: [new cognito.ResourceServerScope({ scopeName: device.scopeName, scopeDescription: 'Upload evidence recorded by a registered field device' })],
    });
    // The token endpoint of the devices' app clients (client-credentials grant); one per device, created
    // by the registry function at registration.
    this.userPoolDomain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: config.authDomainPrefix } });
    this.deviceTokenUrl = `${this.userPoolDomain.baseUrl()}/oauth2/token`;

    // Before the functions: a schedule must name a function of the manifest and a cron we can run; an
    // `invokedBy: 'schedule'` function must be named by a schedule and by no route; the scheduled
    // functions get a dead-letter queue.
    checkSchedules(scheduleSpecs, functionSpecs);
    checkScheduledFunctions(functionSpecs, routes, scheduleSpecs);
    // One queue for all job schedules: what EventBridge Scheduler could not deliver.
    const jobDeadLetters = ObjectCreatedTrigger.deadLetterQueue(this, 'JobSchedulesDeadLetters');
    // One queue for the functions that nothing invokes asynchronously (API and workflow tasks): an
    // asynchronous invocation of one of them that fails anyway is kept here and alarmed, not dropped.
    this.unexpectedAsyncDeadLetters = ObjectCreatedTrigger.deadLetterQueue(this, 'UnexpectedAsyncDeadLetters');
    deadLettersAlarm(
      this.unexpectedAsyncDeadLetters,
      this.unexpectedAsyncDeadLetters,
      this.alertTopic,
      'A function that nothing should invoke asynchronously (an API or workflow-task function) was invoked asynchronously and failed: the event is in this queue. Find out who invoked it (the message attributes name the error and request id), fix that, and decide whether to replay.',
    );

    // Files a bundle carries besides the code (the report font of `jobs` and `cases`): each must exist before esbuild runs.
    checkBundleExtras(BUNDLE_EXTRAS, functionSpecs);

    this.cursorSecret = new CursorSecret(this, 'CursorSecret');
    // The functions behind anonymous routes get the reserved concurrency: a flood of public reads is
    // throttled there and cannot take the staff functions' concurrency.
    const anonymous = new Set(routes.filter((r) => r.auth === 'none').map((r) => r.fn));

    const deadLetterQueues: Partial<Record<FunctionId, sqs.Queue>> = {};
    this.functions = Object.fromEntries(
      functionSpecs.map((spec) => {
        // Functions invoked by EventBridge or EventBridge Scheduler run asynchronously: what fails after
        // Lambda's retries is kept. An object-event function has its own queue (its scheduled runs fail
        // into it too); any other scheduled function uses the job schedules' queue.
        const kind = asyncDeadLetterQueueOf(spec, scheduleSpecs);
        const deadLetterQueue =
          kind === 'own'
            ? ObjectCreatedTrigger.deadLetterQueue(this, `${pascal(spec.id)}DeadLetters`)
            : kind === 'job-schedules'
              ? jobDeadLetters
              : undefined;
        if (deadLetterQueue) deadLetterQueues[spec.id] = deadLetterQueue;
        const extras = BUNDLE_EXTRAS[spec.id];
        const fn = new ProjectFunction(this, `${pascal(spec.id)}Function`, {
          entry: spec.entry,
          description: spec.description,
          serviceName: `three-systems-${spec.id}`,
          timeoutSeconds: spec.timeoutSeconds,
          memoryMb: spec.memoryMb,
          logRetention: config.logRetentionDays,
          logKey: this.logsKey,
          environment: {
            [EVIDENCE_BUCKET_ENV]: data.evidenceBucket.bucketName,
            BUREAU_NAME: config.bureauName,
            // The portal: the verify URL in certificates' QR codes (issue 14) and the one origin allowed
            // to call the API from a browser, the staff console's (issue 16, shared/http/cors.ts).
            PORTAL_URL: config.portalUrl,
            ...extras?.environment,
          },
          ...(extras ? { bundledFiles: extras.files } : {}),
          ...(anonymous.has(spec.id) ? { reservedConcurrency: config.publicReservedConcurrency } : {}),
          ...(deadLetterQueue
            ? { asyncInvoke: { retryAttempts: ASYNC_RETRY_ATTEMPTS, maxEventAge: ASYNC_MAX_EVENT_AGE, deadLetterQueue } }
            : { unexpectedAsyncDeadLetterQueue: this.unexpectedAsyncDeadLetters }),
        });
        for (const [tableId, access] of Object.entries(spec.tables) as [TableId, NonNullable<(typeof spec.tables)[TableId]>][]) {
          fn.grantTable(tableSpec(tableId), data.tables[tableId], data.tableKey, access);
        }
        if (spec.evidenceBucket) {
          fn.grantEvidenceBucket({
            bucket: data.evidenceBucket,
            key: data.evidenceKey,
            prefix: EVIDENCE_PREFIX,
            actions: spec.evidenceBucket,
            retentionYears: data.evidenceRetentionYears,
          });
        }
        if (spec.reportsBucket) fn.grantReportsBucket({ bucket: data.reportsBucket, key: data.reportsKey, access: spec.reportsBucket });
        // The case documents (issue 15) live in the reports bucket too, under documents/ (same key, same variable).
        if (spec.documentsBucket) fn.grantDocumentsBucket({ bucket: data.reportsBucket, key: data.reportsKey, access: spec.documentsBucket });
        if (spec.checkpointsBucket) fn.grantCheckpointsBucket({ bucket: data.checkpointsBucket, key: data.checkpointsKey, access: spec.checkpointsBucket });
        if (spec.signingKey) fn.grantSigningKey(data.signingKey, spec.signingKey);
        if (spec.manageDeviceClients) fn.grantDeviceClients(this.userPool, this.deviceTokenUrl);
        // The alert topic exists by now (the constructor's first line).
        if (spec.publishesAlerts) fn.grantAlertPublish(this.alertTopic);
        if (spec.pagesLists) fn.grantCursorSecret(this.cursorSecret.secret);
        return [spec.id, fn];
      }),
    ) as Record<FunctionId, ProjectFunction>;
    this.deadLetterQueues = deadLetterQueues;

    // Before any route: checkWorkflowFunctions, checkObjectEventFunctions (and checkScheduledFunctions
    // above) refuse a route to a workflow's task function, an object-event function or a scheduled-only
    // function, whose events are not HTTP requests.
    this.workflows = this.createWorkflows(config);
    this.objectTriggers = this.createObjectTriggers(data);
    // After the alert topic (constructor's first line) and the functions.
    this.jobSchedules = new JobSchedules(this, 'JobSchedules', {
      schedules: scheduleSpecs,
      functions: this.functions,
      deadLetterQueue: jobDeadLetters,
      alarmTopic: this.alertTopic,
    });

    this.api = this.createRestApi(config);
    this.firewall = new ApiFirewall(this, 'Firewall', {
      stageArn: this.api.deploymentStage.stageArn,
      rateLimitPer5Minutes: config.wafRateLimitPer5Minutes,
      metricPrefix: `${config.stackPrefix}Api`,
      logRetention: config.logRetentionDays,
      logKey: this.logsKey,
    });
    this.alarms = new OperationalAlarms(this, 'Alarms', {
      stage: this.api.deploymentStage,
      functions: Object.fromEntries(Object.entries(this.functions).map(([fnId, fn]) => [fnId, fn.function])),
      stateMachines: Object.fromEntries(Object.entries(this.workflows).map(([name, w]) => [name, w.stateMachine])),
      topic: this.alertTopic,
    });
    this.dashboard = new ObservabilityDashboard(this, 'Dashboard', { dashboardName: `${config.stackPrefix}-operations`, alarms: this.alarms });

    // Every role's policies are its own (infra/constructs/inline-policies.ts).
    acknowledgeSingleRoleInlinePolicies(this);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.userPoolClientId, description: 'Staff console: app client of the hosted sign-in (authorization code with PKCE)' });
    new CfnOutput(this, 'HostedSignInUrl', { value: this.userPoolDomain.baseUrl(), description: 'Staff console: the user pool domain serving the hosted sign-in' });
    new CfnOutput(this, 'DeviceTokenUrl', { value: this.deviceTokenUrl, description: 'OAuth 2.0 token endpoint of field devices (client-credentials grant)' });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alertTopic.topicArn });
    for (const workflow of Object.values(this.workflows)) {
      new CfnOutput(this, `${pascal(workflow.name)}StateMachineArn`, { value: workflow.stateMachine.stateMachineArn });
    }
  }

  /**
   * One state machine per workflow that a function drives; its role may invoke only the functions
   * its ASL's placeholders name. The driving functions get its ARN and the Step Functions actions;
   * no other function gets any.
   */
  private createWorkflows(config: AppConfig): Record<string, Workflow> {
    checkWorkflowFunctions(functionSpecs);
    const workflows: Record<string, Workflow> = {};
    for (const name of deployedWorkflows(functionSpecs)) {
      const { path, taskFunctions } = checkedWorkflow(name);
      workflows[name] = new Workflow(this, `${pascal(name)}Workflow`, {
        name,
        definitionPath: path,
        taskFunctions: Object.fromEntries(Object.entries(taskFunctions).map(([placeholder, fn]) => [placeholder, this.functions[fn].function])),
        logRetention: config.logRetentionDays,
        logKey: this.logsKey,
      });
    }
    for (const spec of functionSpecs) {
      for (const name of spec.drivesWorkflows ?? []) {
        const workflow = workflows[name];
        if (!workflow) throw new Error(`Function ${spec.id} drives ${name}, which was not created`);
        this.functions[spec.id].grantWorkflow(name, workflow.stateMachine, stateMachineArnEnv(name));
      }
    }
    return workflows;
  }

  /**
   * One EventBridge rule per function invoked by object events: the evidence bucket's `Object Created`
   * events under EVIDENCE_PREFIX, with retries and the function's dead-letter queue, watched by an alarm.
   */
  private createObjectTriggers(data: DataResources): Partial<Record<FunctionId, ObjectCreatedTrigger>> {
    checkObjectEventFunctions(functionSpecs);
    const triggers: Partial<Record<FunctionId, ObjectCreatedTrigger>> = {};
    for (const spec of objectEventFunctions(functionSpecs)) {
      const deadLetterQueue = this.deadLetterQueues[spec.id];
      if (!deadLetterQueue) throw new Error(`Function ${spec.id} has no dead-letter queue`);
      triggers[spec.id] = new ObjectCreatedTrigger(this, `${pascal(spec.id)}Trigger`, {
        bucketName: data.evidenceBucket.bucketName,
        keyPrefix: EVIDENCE_PREFIX,
        function: this.functions[spec.id].function,
        deadLetterQueue,
        alarmTopic: this.alertTopic,
        description: `Evidence objects created under ${EVIDENCE_PREFIX} → ${spec.id}`,
      });
    }
    return triggers;
  }

  private createUserPool(): cognito.UserPool {
    const pool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are created by administrators for officers of the bureau, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        agencyId: new cognito.StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
        // The officer record a user is: reviewers act on reviews assigned to their officer id (L1, N8).
        officerId: new cognito.StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Plus: compromised-credential and adaptive-authentication checks, enforced.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    USER_GROUPS.forEach((group, precedence) => {
      pool.addGroup(`${pascal(group.name)}Group`, {
        groupName: group.name,
        description: group.description,
        precedence,
      });
    });
    return pool;
  }

  private createRestApi(config: AppConfig): apigw.RestApi {
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: config.logRetentionDays, encryptionKey: this.logsKey });

    const api = new apigw.RestApi(this, 'Api', {
      restApiName: `${config.stackPrefix}-api`,
      description: `${config.bureauName} 行政执法三项制度 API`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: STAGE_NAME,
        throttlingRateLimit: config.apiThrottleRateLimit,
        throttlingBurstLimit: config.apiThrottleBurstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        // Execution logs for errors only; request and response bodies (personal data) never.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          user: true,
          ip: true,
          requestTime: true,
          httpMethod: true,
          resourcePath: true,
          status: true,
          protocol: true,
          responseLength: true,
        }),
      },
    });
    const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway uses to write access and execution logs. AWS documents this managed policy for it; it serves every API in the account and region, so it cannot be scoped to this one.',
      });
    }
    Validations.of(api.deploymentStage).acknowledge({
      id: 'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted',
      reason:
        'No stage cache: staff routes answer per caller from data that changes with every decision, and the public routes must show a publication the moment it is made (statutory deadlines). A cache would serve stale or another caller\'s answers, and costs a cache cluster around the clock.',
    });
    Validations.of(api.deploymentStage).acknowledge({
      id: 'NIST.800.53.R5-APIGWSSLEnabled',
      reason:
        'A stage client certificate authenticates API Gateway to an HTTP backend. Every integration here is a Lambda proxy integration, which API Gateway calls through the Lambda API with its own IAM-signed TLS requests, so there is no backend to present a certificate to.',
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Request bodies and query strings are validated by the zod schemas in shared/domain at the start of every handler (one source of truth, which also generates the OpenAPI document); API Gateway models would be a second copy that drifts. Path parameters cannot be empty by routing.',
    });

    this.addGatewayResponses(api, originOf(config.portalUrl));

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'UserAuthorizer', {
      cognitoUserPools: [this.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
    });

    // One invoke permission per function, for this API's stage: not one per method, which CDK's
    // LambdaIntegration adds (119 of them) and which put the stack at 498 of CloudFormation's 500
    // resources, so that no route could be added. API Gateway still invokes a function only through the
    // integrations of its own routes; the permission no longer repeats each route's method and path.
    const integrations = new Map<FunctionId, apigw.AwsIntegration>();
    const integrationFor = (fn: FunctionId): apigw.AwsIntegration => {
      let integration = integrations.get(fn);
      if (!integration) {
        const handler = this.functions[fn].function;
        integration = new apigw.AwsIntegration({ proxy: true, service: 'lambda', path: `2015-03-31/functions/${handler.functionArn}/invocations` });
        handler.addPermission('ApiInvoke', {
          principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
          sourceArn: api.arnForExecuteApi('*', '/*', STAGE_NAME),
        });
        integrations.set(fn, integration);
      }
      return integration;
    };

    for (const route of routes) {
      // The checks above name the cause; this holds for any kind of function added later.
      const invokedBy = functionSpecs.find((f) => f.id === route.fn)?.invokedBy ?? 'api';
      if (invokedBy !== 'api') throw new Error(`Route ${route.method} ${route.path} names ${route.fn}, which is invokedBy: '${invokedBy}', not the API`);
      const resource = api.root.resourceForPath(route.path);
      const method = resource.addMethod(route.method, integrationFor(route.fn), methodAuth(route.auth, authorizer));
      if (route.auth === 'none') {
        Validations.of(method).acknowledge(
          {
            id: 'AwsSolutions-APIG4',
            reason: `${route.method} ${route.path} is public disclosure (D1-D5, D14), anonymous by law; it reads only published, redacted data and is rate-limited by AWS WAF and stage throttling.`,
          },
          {
            id: 'AwsSolutions-COG4',
            reason: `${route.method} ${route.path} is a public disclosure route: anyone may read it without an account.`,
          },
        );
      }
    }
    return api;
  }

  /** Errors API Gateway answers itself, in the same shape as the functions' errors. */
  private addGatewayResponses(api: apigw.RestApi, portalOrigin: string): void {
    // Codes and messages as in shared/domain/errors.ts and shared/http/responses.ts.
    const responses: [string, apigw.ResponseType, string, string, string?][] = [
      ['Unauthorized', apigw.ResponseType.UNAUTHORIZED, 'UNAUTHORIZED', '未登录或登录凭证无效'],
      ['AccessDenied', apigw.ResponseType.ACCESS_DENIED, 'FORBIDDEN', '无权执行此操作'],
      // API Gateway answers an unknown path with "Missing Authentication Token": it is a 404.
      ['UnknownRoute', apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, 'NOT_FOUND', '请求的资源不存在', '404'],
      ['Throttled', apigw.ResponseType.THROTTLED, 'TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试'],
      ['WafFiltered', apigw.ResponseType.WAF_FILTERED, 'REQUEST_BLOCKED', '请求被安全策略拦截'],
      ['TooLarge', apigw.ResponseType.REQUEST_TOO_LARGE, 'PAYLOAD_TOO_LARGE', '请求体过大'],
      ['Default4xx', apigw.ResponseType.DEFAULT_4XX, 'BAD_REQUEST', '请求无效'],
      ['Default5xx', apigw.ResponseType.DEFAULT_5XX, 'INTERNAL', '服务器内部错误，请稍后重试'],
    ];
    for (const [id, type, code, message, statusCode] of responses) {
      api.addGatewayResponse(id, {
        type,
        ...(statusCode ? { statusCode } : {}),
        // So that the console can read a 401 (and send its user to sign in) or a 429.
        responseHeaders: {
          'Access-Control-Allow-Origin': `'${portalOrigin}'`,
          'Access-Control-Expose-Headers': `'${CORS_EXPOSE_HEADERS.join(', ')}'`,
          Vary: "'Origin'",
        },
        templates: { 'application/json': JSON.stringify({ error: { code, message } }) },
      });
    }
  }

  private createAlertTopic(config: AppConfig): sns.Topic {
    const key = new kms.Key(this, 'AlertTopicKey', {
      description: 'Encrypts the alert topic (deadline alerts, report delivery)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const topic = new sns.Topic(this, 'AlertTopic', {
      displayName: `${config.bureauName} 执法监督提醒`,
      masterKey: key,
      enforceSSL: true,
    });
    // CloudWatch alarms of this account and region may notify the topic (the dead-letter and operational alarms): the
    // topic policy must let the service publish, and, the topic being encrypted with this key, the key
    // policy must let it use the key (the statement AWS documents for alarms on encrypted topics).
    const stack = Stack.of(this);
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmsToPublishEncrypted',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    if (config.alertEmail) {
      topic.addSubscription(new subscriptions.EmailSubscription(config.alertEmail));
    }
    // The annual report's recipients get its delivery notices only (shared/aws/alerts.ts sets `kind`).
    for (const email of config.reportRecipients) {
      topic.addSubscription(
        new subscriptions.EmailSubscription(email, { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['report-delivery'] }) } }),
      );
    }
    return topic;
  }
}

/** `review-tasks` → `ReviewTasks` (construct ids, output names). */
const pascal = (s: string): string => s.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

/**
 * How API Gateway authorises a route: `user` routes take a user's ID token; `device` routes take an
 * access token that carries DEVICE_UPLOAD_SCOPE (only the devices' client-credentials clients can get
 * one: users' tokens carry no custom scope), checked by the same user-pool authorizer.
 */
function methodAuth(auth: (typeof routes)[number]['auth'], authorizer: apigw.IAuthorizer): apigw.MethodOptions {
  switch (auth) {
    case 'none':
      return { authorizationType: apigw.AuthorizationType.NONE };
    case 'user':
      return { authorizationType: apigw.AuthorizationType.COGNITO, authorizer };
    case 'device':
      return { authorizationType: apigw.AuthorizationType.COGNITO, authorizer, authorizationScopes: [DEVICE_UPLOAD_SCOPE] };
    default: {
      const unknown: never = auth;
      throw new Error(`Unknown route auth ${String(unknown)}`);
    }
  }
}
