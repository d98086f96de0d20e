import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { requestContext } from '@o2o/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';

/** Runs each request inside its correlation id, and hands the id back to the caller. */
@Injectable()
export class HttpContextInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    void ctx.switchToHttp().getResponse<FastifyReply>().header('x-correlation-id', String(req.id));
    return new Observable((subscriber) => requestContext.run({ correlationId: String(req.id) }, () => next.handle().subscribe(subscriber)));
  }
}
