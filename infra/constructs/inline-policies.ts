/**
 * NIST 800-53 R5 (IAMNoInlinePolicy) flags every AWS::IAM::Policy. Here each one is attached to exactly one
 * role of its stack and belongs to it: a function's default policy (X-Ray, its log group, its dead-letter
 * queue) and its DataAccess, WorkflowAccess, DeviceClientAccess and AlertAccess policies (derived from
 * shared/manifest.ts), the state machine role's default policy, and the job schedules' execution roles.
 * The acknowledgement is made on each such policy, one per policy, and only if it is attached to one role
 * and to no user or group; any other inline policy stays a finding.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

export const INLINE_POLICY_REASON =
  'Attached to exactly one role, and created, changed and deleted with it in the same stack: each role\'s permissions are specific to its one function, workflow or schedule (least privilege derived from shared/manifest.ts), never shared, so a customer-managed policy would bring no reuse, only a second resource to keep in step and a 10-per-role attachment limit. The template under review in git is the policy\'s version history.';

/** Acknowledges IAMNoInlinePolicy on each single-role inline policy under `scope`, once the tree is complete. */
export function acknowledgeSingleRoleInlinePolicies(scope: IConstruct): void {
  scope.node.addValidation({
    validate: () => {
      for (const construct of scope.node.findAll()) {
        if (!(construct instanceof iam.Policy)) continue;
        const cfn = construct.node.defaultChild;
        if (!(cfn instanceof iam.CfnPolicy)) continue;
        const stack = Stack.of(cfn);
        const roles = stack.resolve(cfn.roles) as unknown[] | undefined;
        const users = stack.resolve(cfn.users) as unknown[] | undefined;
        const groups = stack.resolve(cfn.groups) as unknown[] | undefined;
        if (roles?.length !== 1 || (users?.length ?? 0) > 0 || (groups?.length ?? 0) > 0) continue;
        Validations.of(construct).acknowledge({ id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: INLINE_POLICY_REASON });
      }
      return [];
    },
  });
}
