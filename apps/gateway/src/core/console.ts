import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/** Where `npm run build` puts the console, seen from this file's build (dist/apps/gateway/src/core). */
export const BUILT_CONSOLE_DIR = path.resolve(__dirname, '../../../../console');

/**
 * Serves the operations console's static files at /console/. The page is a single-page app with
 * hash routes, so only its files are served; it calls the public /v1 API like any client. Hashed
 * assets are cached for a year, index.html never (a new build is seen at once).
 */
export async function serveConsole(app: NestFastifyApplication, dir: string, logger: Logger): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(path.join(dir, 'index.html'))) {
    logger.warn({ dir }, 'the console is not built (npm run build); /console answers 404');
    fastify.get('/console*', (_req, reply: FastifyReply) =>
      reply
        .status(404)
        .type('application/problem+json')
        .send({ type: 'about:blank', title: 'Not found', status: 404, detail: 'The console is not built on this gateway: run npm run build' }),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/console/',
    decorateReply: false,
    cacheControl: false,
    // @fastify/static 10 hands setHeaders the reply, not Node's response.
    setHeaders: (reply: FastifyReply, file: string) =>
      void reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  fastify.get('/console', (_req, reply: FastifyReply) => reply.redirect('/console/', 301));
}
