import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ANONYMOUS, Actor } from '@o2o/contracts';
import type { GatewayRequest } from '../core/request-meta';

/** The caller the guard identified; who may call a route is declared with @Route's access. */
export const RequestActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest<GatewayRequest>().actor ?? ANONYMOUS,
);
