import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { map, Observable } from 'rxjs';
import type { GatewayRequest } from './request-meta';

export const CACHEABLE_KEY = 'o2o:cacheable';

/**
 * How long a client or shared cache may reuse a cacheable answer without asking again. Short on
 * purpose: the catalog changes rarely, but nothing tells a cache when it does, so this bounds how
 * long an unpublished product (or a changed price) stays visible. After it, the cache revalidates
 * with If-None-Match, which costs a 304 and no body when nothing changed.
 */
export const CACHE_MAX_AGE_SECONDS = 30;

/** The Cache-Control of a cacheable answer to the public, and to a caller with credentials (whose view may differ). */
export const PUBLIC_CACHE_CONTROL = `public, max-age=${CACHE_MAX_AGE_SECONDS}`;
export const PRIVATE_CACHE_CONTROL = 'private, no-cache';

/** A weak validator for a JSON body: equal bodies, equal tags (weak, as the bytes sent are Fastify's). */
export function etagOf(body: unknown): string {
  const json = body === undefined ? '' : JSON.stringify(body);
  return `W/"${createHash('sha1').update(json).digest('base64url')}"`;
}

/** Whether an If-None-Match header names this tag, compared weakly (RFC 9110 13.1.2); `*` matches any. */
export function ifNoneMatchMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return (Array.isArray(header) ? header.join(',') : header).split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}

/**
 * For routes that @Route declares cacheable (public GETs only; @Route applies it to them): answers an ETag, Cache-Control
 * and Vary, and 304 with no body when If-None-Match names the current ETag. The service is still
 * called: the saving is the body on the wire and the client's parsing, and a shared cache may
 * answer for the gateway within max-age. A caller with credentials may see more (a staff list can
 * include drafts), so its answer is private and revalidated each time.
 */
@Injectable()
export class ConditionalGetInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.get<boolean>(CACHEABLE_KEY, ctx.getHandler())) return next.handle();
    const req = ctx.switchToHttp().getRequest<GatewayRequest>();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next.handle();
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    const withCredentials = req.actor !== undefined && req.actor.kind !== 'anonymous';
    return next.handle().pipe(
      map((body: unknown) => {
        const etag = etagOf(body);
        void reply
          .header('etag', etag)
          .header('cache-control', withCredentials ? PRIVATE_CACHE_CONTROL : PUBLIC_CACHE_CONTROL)
          .header('vary', 'Authorization, X-Api-Key');
        if (!ifNoneMatchMatches(req.headers['if-none-match'], etag)) return body;
        void reply.status(HttpStatus.NOT_MODIFIED);
        return undefined;
      }),
    );
  }
}
