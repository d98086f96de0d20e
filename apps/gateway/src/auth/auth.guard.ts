import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, ErrorCode } from '@o2o/contracts';
import { DomainError, forbidden, hasRole } from '@o2o/platform';
import { ApiKeysService } from '../api-keys/api-keys.service';
import type { GatewayRequest } from '../core/request-meta';
import { Access, ACCESS_KEY } from '../core/route.decorator';
import { AuthService } from './auth.service';

/**
 * Identifies the caller (bearer token or partner API key) and applies the access its @Route
 * declares. Bad credentials are 401 even on public routes: a caller who tried to sign in should
 * know. A route that declares no access is closed to everyone.
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
    const access = this.reflector.get<Access | undefined>(ACCESS_KEY, ctx.getHandler());
    const actor = (req.actor = await this.identify(req));
    if (access === undefined) throw forbidden('This route declares no access');
    if (access === 'public') return true;
    if (actor.kind === 'anonymous') throw new DomainError(ErrorCode.Unauthenticated, 'Sign in, or send a partner API key');
    if (actor.kind === 'partner') {
      if (!access.partner) throw forbidden('Partner keys may not call this route');
      return true;
    }
    if (hasRole(actor, ...access.roles)) return true;
    throw forbidden(`This route needs one of the roles: ${access.roles.join(', ')}`);
  }

  private identify(req: GatewayRequest): Promise<Actor> {
    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) return this.apiKeys.actorFromKey(apiKey);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) return this.auth.actorFromToken(bearer);
    return Promise.resolve({ kind: 'anonymous' });
  }
}
