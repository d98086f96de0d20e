import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ANONYMOUS, Actor, RpcRequest } from '@o2o/contracts';

/** The request body of a message, validated against the handler's DTO class. */
export const Data = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToRpc().getData<RpcRequest>()?.data);

/** Who sent the message, as the gateway established it. */
export const MessageActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor => ctx.switchToRpc().getData<RpcRequest>()?.meta?.actor ?? ANONYMOUS,
);

/**
 * The request id and deadline a message came with, for a handler that keeps its own record of
 * requests (a saga's first step) instead of running as a @Command.
 */
export const MessageRequest = createParamDecorator((_: unknown, ctx: ExecutionContext): { requestId?: string; deadline?: number } => {
  const meta = ctx.switchToRpc().getData<RpcRequest>()?.meta;
  return { requestId: meta?.requestId, deadline: meta?.deadline };
});
