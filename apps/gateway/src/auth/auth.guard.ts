import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, Role } from '@o2o/contracts';
import { DomainError, forbidden, hasRole } from '@o2o/platform';
import { ApiKeysService } from '../api-keys/api-keys.service';
import type { GatewayRequest } from '../core/request-meta';
import { PARTNER_KEY, PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import { AuthService } from './auth.service';

/**
 * Identifies the caller (bearer token or partner API key) and applies the route's access rule.
 * Bad credentials are 401 even on public routes: a caller who tried to sign in should know.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<GatewayRequest>();
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    const partnerAllowed = this.reflector.getAllAndOverride<boolean>(PARTNER_KEY, targets) ?? false;

    const apiKey = req.headers['x-api-key'];
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (typeof apiKey === 'string' && apiKey) req.actor = await this.apiKeys.actorFromKey(apiKey);
    else if (bearer) req.actor = await this.auth.actorFromToken(bearer);
    else req.actor = { kind: 'anonymous' };

    const actor = req.actor;
    if (isPublic) return true;
    if (actor.kind === 'anonymous') throw new DomainError(ErrorCode.Unauthenticated, 'Sign in, or send a partner API key');
    if (actor.kind === 'partner') {
      if (!partnerAllowed) throw forbidden('Partner keys may not call this route');
      return true;
    }
    if (hasRole(actor, ...roles)) return true;
    throw forbidden(`This route needs one of the roles: ${roles.join(', ')}`);
  }
}
