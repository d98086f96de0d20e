import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { Actor } from '@o2o/contracts';
import { badInput, IdempotencyStore, LOGGER, requestHash } from '@o2o/platform';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { catchError, from, mergeMap, Observable, of, switchMap } from 'rxjs';
import type { GatewayRequest } from '../core/request-meta';
import { IDEMPOTENT_KEY } from '../core/route.decorator';
import { ProblemDetails, ProblemFilter, ReplayedProblem } from '../problem/problem.filter';

const HEADER = 'idempotency-key';

function actorScope(actor: Actor | undefined): string {
  switch (actor?.kind) {
    case 'staff':
      return `user:${actor.userId}`;
    case 'partner':
      return `brand:${actor.brandId}`;
    default:
      return 'anonymous';
  }
}

/**
 * For routes that @Route declares idempotent. The same key with the same request replays the
 * first answer (status and body); with another request it is 422; while the first is still
 * running it is 409. After a 5xx the outcome is unknown: the key is kept, and a retry calls the
 * service again under the same request id, which answers what it committed or does the work once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore,
    private readonly problems: ProblemFilter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.get<boolean>(IDEMPOTENT_KEY, ctx.getHandler())) return next.handle();
    const req = ctx.switchToHttp().getRequest<GatewayRequest>();
    const key = req.headers[HEADER];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw badInput('Idempotency-Key must be 1 to 255 characters', [{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
    }
    const scope = `${actorScope(req.actor)} ${req.method} ${req.routeOptions.url}`;
    const hash = requestHash({ params: req.params, query: req.query, body: req.body });
    req.idempotentRequest = createHash('sha256').update(`${scope}\n${key}`).digest('hex');
    const successStatus = this.reflector.get<number>(HTTP_CODE_METADATA, ctx.getHandler()) ?? HttpStatus.CREATED;

    return from(this.store.begin(scope, key, hash)).pipe(
      switchMap((start) => {
        if (start.kind === 'replay') {
          if (start.status >= 400) throw new ReplayedProblem(start.body as ProblemDetails);
          return of(start.body);
        }
        return next.handle().pipe(
          catchError(async (e: unknown) => {
            const problem = this.problems.toProblem(e, req.url);
            // A 5xx leaves the outcome unknown: the retry resolves it under the same request id.
            if (problem.status >= 500) await this.store.markUnknown(scope, key);
            else await this.store.complete(scope, key, problem.status, problem);
            throw e;
          }),
          mergeMap(async (body) => {
            // The work is done: answer it even if its record fails. The key then stays in flight
            // until it goes stale: retries meanwhile get 409 instead of running the work again.
            await this.store
              .complete(scope, key, successStatus, body)
              .catch((err: unknown) => this.logger.warn({ err, key }, 'could not store the answer for an Idempotency-Key'));
            return body;
          }),
        );
      }),
    );
  }
}
