import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { RpcRequest } from '@o2o/contracts';
import { randomUUID } from 'node:crypto';
import { finalize, Observable } from 'rxjs';
import { requestContext } from '../logging/context';

/** Counts requests being handled, so a shutdown can wait for them. */
export class InFlight {
  private count = 0;
  enter(): void {
    this.count++;
  }
  leave(): void {
    this.count--;
  }
  get size(): number {
    return this.count;
  }
  async drained(maxWaitMs: number): Promise<boolean> {
    const until = Date.now() + maxWaitMs;
    while (this.count > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return this.count === 0;
  }
}

/** Runs each message handler inside the caller's correlation id, actor and deadline: logs join, onward calls carry them. */
@Injectable()
export class RpcContextInterceptor implements NestInterceptor {
  constructor(private readonly inFlight: InFlight) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const meta = ctx.switchToRpc().getData<RpcRequest>()?.meta;
    const context = { correlationId: meta?.correlationId ?? randomUUID(), actor: meta?.actor, deadline: meta?.deadline };
    this.inFlight.enter();
    return new Observable((subscriber) => requestContext.run(context, () => next.handle().subscribe(subscriber))).pipe(finalize(() => this.inFlight.leave()));
  }
}
