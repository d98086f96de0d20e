import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ANONYMOUS, Actor, RpcRequest } from '@o2o/contracts';

/** The request body of a message, validated against the handler's DTO class. */
export const Data = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToRpc().getData<RpcRequest>()?.data);

/** Who sent the message, as the gateway established it. */
export const MessageActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor => ctx.switchToRpc().getData<RpcRequest>()?.meta?.actor ?? ANONYMOUS,
);
