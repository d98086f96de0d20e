import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ANONYMOUS, Actor, Role } from '@o2o/contracts';
import type { GatewayRequest } from '../core/request-meta';

export const PUBLIC_KEY = 'o2o:public';
export const ROLES_KEY = 'o2o:roles';
export const PARTNER_KEY = 'o2o:partner';

/** Anyone may call it; a caller who sends credentials is still identified. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Staff with one of these roles (admin always passes). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A partner API key may call it too; the service scopes it to the key's brand. */
export const PartnerAccess = () => SetMetadata(PARTNER_KEY, true);

export const RequestActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest<GatewayRequest>().actor ?? ANONYMOUS);
