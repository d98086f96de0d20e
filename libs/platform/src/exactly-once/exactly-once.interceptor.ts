import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RpcRequest } from '@o2o/contracts';
import { randomUUID } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import { COMMAND_PATTERN } from './command.decorator';
import { RequestLedger } from './request-ledger';

/** Runs every @Command handler through the request ledger; other handlers pass straight through. */
@Injectable()
export class ExactlyOnceInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly ledger: RequestLedger,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const pattern = this.reflector.get<string | undefined>(COMMAND_PATTERN, ctx.getHandler());
    if (pattern === undefined) return next.handle();
    const request = ctx.switchToRpc().getData<RpcRequest | undefined>();
    // A caller that sends no id asks for no deduplication: the call is its own request.
    const requestId = request?.meta?.requestId ?? randomUUID();
    return from(
      this.ledger.run({ requestId, pattern, data: request?.data, deadline: request?.meta?.deadline }, () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      ),
    );
  }
}
