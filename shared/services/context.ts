/** Who acts and in which request: carried into every audit event. */
import { actorOf } from '../domain/audit.ts';
import type { Identity } from '../domain/identity.ts';
import type { CommitContext } from '../store/transact.ts';
import { newRequestId } from '../store/transact.ts';

export interface ActionContext {
  readonly identity: Identity;
  readonly requestId: string;
  readonly now?: Date;
}

export const commitContext = (ctx: ActionContext): CommitContext => ({
  actor: actorOf(ctx.identity),
  requestId: ctx.requestId,
  ...(ctx.now ? { now: ctx.now } : {}),
});

export const systemContext = (identity: Identity): ActionContext => ({ identity, requestId: newRequestId() });
