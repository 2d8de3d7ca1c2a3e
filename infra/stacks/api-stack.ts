/**
 * The stateless API stack: one Lambda function per entry of `functions` in shared/manifest.ts,
 * each granted only its tables; a REST API built from `routes` (anonymous public routes, Cognito
 * for the rest) behind AWS WAF; one Step Functions workflow per ASL file that a function drives
 * (`drivesWorkflows`), its Tasks run by the `invokedBy: 'workflow'` functions; the user pool; the
 * alert topic.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { BINARY_MEDIA_TYPES, functions as functionSpecs, routes } from '../../shared/manifest.ts';
import type { FunctionId, TableId } from '../../shared/manifest.ts';
import { EVIDENCE_BUCKET_ENV, tableSpec } from '../../shared/store/tables.ts';
import type { AppConfig } from '../config.ts';
import { ApiFirewall } from '../constructs/api-firewall.ts';
import { ProjectFunction } from '../constructs/project-function.ts';
import { Workflow } from '../constructs/workflow.ts';
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
  readonly alertTopic: sns.Topic;
  readonly firewall: ApiFirewall;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data, config } = props;

    this.functions = Object.fromEntries(
      functionSpecs.map((spec) => {
        const fn = new ProjectFunction(this, `${pascal(spec.id)}Function`, {
          entry: spec.entry,
          description: spec.description,
          serviceName: `three-systems-${spec.id}`,
          timeoutSeconds: spec.timeoutSeconds,
          memoryMb: spec.memoryMb,
          logRetention: config.logRetentionDays,
          environment: {
            [EVIDENCE_BUCKET_ENV]: data.evidenceBucket.bucketName,
            BUREAU_NAME: config.bureauName,
          },
        });
        for (const [tableId, access] of Object.entries(spec.tables) as [TableId, NonNullable<(typeof spec.tables)[TableId]>][]) {
          fn.grantTable(tableSpec(tableId), data.tables[tableId], data.tableKey, access);
        }
        return [spec.id, fn];
      }),
    ) as Record<FunctionId, ProjectFunction>;

    // Before any route: checkWorkflowFunctions refuses a route to a workflow's task function, whose
    // events are a state machine's payloads, not HTTP requests.
    this.workflows = this.createWorkflows(config);

    this.userPool = this.createUserPool();
    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // agencyId and officerId decide what a user may see and do: only an administrator may change them, never
      // the user through UpdateUserAttributes. An empty list would mean "all attributes" to Cognito.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true }),
    });

    this.api = this.createRestApi(config);
    this.firewall = new ApiFirewall(this, 'Firewall', {
      stageArn: this.api.deploymentStage.stageArn,
      rateLimitPer5Minutes: config.wafRateLimitPer5Minutes,
      metricPrefix: `${config.stackPrefix}Api`,
    });

    this.alertTopic = this.createAlertTopic(config);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
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
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: config.logRetentionDays });

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
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Request bodies and query strings are validated by the zod schemas in shared/domain at the start of every handler (one source of truth, which also generates the OpenAPI document); API Gateway models would be a second copy that drifts. Path parameters cannot be empty by routing.',
    });

    this.addGatewayResponses(api);

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'UserAuthorizer', {
      cognitoUserPools: [this.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
    });

    const integrations = new Map<FunctionId, apigw.LambdaIntegration>();
    const integrationFor = (fn: FunctionId): apigw.LambdaIntegration => {
      let integration = integrations.get(fn);
      if (!integration) {
        // One invoke permission per method (scoped to that method and stage), no test-invoke ones.
        integration = new apigw.LambdaIntegration(this.functions[fn].function, { proxy: true, allowTestInvoke: false });
        integrations.set(fn, integration);
      }
      return integration;
    };

    for (const route of routes) {
      const resource = api.root.resourceForPath(route.path);
      const method = resource.addMethod(
        route.method,
        integrationFor(route.fn),
        route.auth === 'user'
          ? { authorizationType: apigw.AuthorizationType.COGNITO, authorizer }
          : { authorizationType: apigw.AuthorizationType.NONE },
      );
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
  private addGatewayResponses(api: apigw.RestApi): void {
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
    if (config.alertEmail) {
      topic.addSubscription(new subscriptions.EmailSubscription(config.alertEmail));
    }
    return topic;
  }
}

/** `review-tasks` → `ReviewTasks` (construct ids, output names). */
const pascal = (s: string): string => s.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
