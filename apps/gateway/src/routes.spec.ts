import SwaggerParser from '@apidevtools/swagger-parser';
import { INestApplication, Type } from '@nestjs/common';
import { MODULE_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import { VALIDATION_OPTIONS } from '@o2o/platform';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { GatewayModule } from './app.module';
import { exampleOf, openApiDocument, useVersionPrefix } from './core/openapi';
import { ACCESS_KEY } from './core/route.decorator';

function controllersOf(module: Type<unknown>, seen = new Set<unknown>()): Type<unknown>[] {
  if (seen.has(module)) return [];
  seen.add(module);
  const own = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []) as Type<unknown>[];
  const imports = ((Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) ?? []) as unknown[]).filter((m): m is Type<unknown> => typeof m === 'function');
  return [...own, ...imports.flatMap((m) => controllersOf(m, seen))];
}

const argsOf = (controller: Type<unknown>, name: string) =>
  (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { data?: unknown }>;

const routes = controllersOf(GatewayModule).flatMap((controller) =>
  Object.getOwnPropertyNames(controller.prototype)
    .filter((name) => name !== 'constructor' && Reflect.getMetadata(PATH_METADATA, controller.prototype[name]) !== undefined)
    .map((name) => ({ controller, name, route: `${controller.name}.${name}` })),
);

describe('the gateway routes', () => {
  it('are found, one module per back-end service included', () => {
    expect(routes.map((r) => r.route)).toEqual(
      expect.arrayContaining([
        'StoresRoutes.join',
        'CardsRoutes.void',
        'PaymentsRoutes.completeSandbox',
        'StaffRoutes.create',
        'PolicyRoutes.put',
        'LeadsRoutes.reassign',
        'WebhooksRoutes.deliveries',
        'HealthController.live',
      ]),
    );
  });

  it('each declare their access with @Route', () => {
    const undeclared = routes.filter(({ controller, name }) => Reflect.getMetadata(ACCESS_KEY, controller.prototype[name]) === undefined);
    expect(undeclared.map((r) => r.route)).toEqual([]);
  });

  it('take path parameters as one validated object (@Param() params: IdDto), never one by name', () => {
    const byName = routes.filter(({ controller, name }) => {
      return Object.entries(argsOf(controller, name)).some(([key, arg]) => key.startsWith(`${RouteParamtypes.PARAM}:`) && arg.data !== undefined);
    });
    expect(byName.map((r) => r.route)).toEqual([]);
  });
});

interface Media {
  schema?: Record<string, unknown>;
  example?: unknown;
}
interface Operation {
  operationId: string;
  summary?: string;
  'x-o2o-access'?: unknown;
  parameters?: { name: string; schema?: unknown }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}

/** What an operation lacks of a complete description: each gap named, so the failure says what to add. */
function gapsOf(document: OpenAPIObject, method: string, operation: Operation): string[] {
  const gaps: string[] = [];
  if (!operation.summary?.trim()) gaps.push('a summary');
  if (!operation['x-o2o-access']) gaps.push('its roles or "public" (x-o2o-access)');
  for (const p of operation.parameters ?? []) if (!p.schema) gaps.push(`a schema for the parameter ${p.name}`);
  const route = routes.find((r) => `${r.controller.name}_${r.name}` === operation.operationId);
  const readsBody = !!route && Object.keys(argsOf(route.controller, route.name)).some((k) => k.startsWith(`${RouteParamtypes.BODY}:`));
  const body = operation.requestBody?.content?.['application/json'];
  if (readsBody || ['post', 'put', 'patch'].includes(method)) {
    if (readsBody && !body?.schema) gaps.push('a request body schema');
    if (body?.schema && body.example === undefined) gaps.push(`a request example (none for ${exampleOf(document, body.schema).missing.join(', ')})`);
  }
  const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
  if (success.length === 0) gaps.push('a success answer');
  for (const [status, answer] of success) {
    if (status === '204') continue;
    const json = answer.content?.['application/json'];
    if (!json?.schema) gaps.push(`a ${status} answer schema`);
    else if (json.example === undefined) gaps.push(`a ${status} answer example (none for ${exampleOf(document, json.schema).missing.join(', ')})`);
  }
  const problems = Object.entries(operation.responses).filter(
    ([status, answer]) => /^[45]/.test(status) && answer.content?.['application/problem+json']?.schema,
  );
  if (!problems.some(([status]) => status.startsWith('4'))) gaps.push('the error statuses it can answer');
  return gaps;
}

describe('the OpenAPI document', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    // Preview mode: the routes and their metadata without connecting to anything.
    app = await NestFactory.create(GatewayModule, new FastifyAdapter(), { preview: true, logger: false });
    useVersionPrefix(app);
    document = openApiDocument(app);
  });
  afterAll(() => app?.close());

  it('describes every route: summary, roles or public, request and response schemas, error statuses and an example', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBe(routes.length);
    const incomplete = operations
      .map(({ path, method, operation }) => ({ route: `${method.toUpperCase()} ${path}`, gaps: gapsOf(document, method, operation) }))
      .filter((o) => o.gaps.length > 0);
    expect(incomplete).toEqual([]);
  });

  it('has request examples that the route itself accepts', async () => {
    const refused: Record<string, unknown> = {};
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item as Record<string, Operation>)) {
        const example = operation.requestBody?.content?.['application/json']?.example;
        const route = routes.find((r) => `${r.controller.name}_${r.name}` === operation.operationId);
        if (example === undefined || !route) continue;
        const [, arg] = Object.entries(argsOf(route.controller, route.name) as Record<string, { index: number }>).find(([k]) =>
          k.startsWith(`${RouteParamtypes.BODY}:`),
        )!;
        const dto = (Reflect.getMetadata('design:paramtypes', route.controller.prototype, route.name) as Type<object>[])[arg.index];
        const errors = await validate(plainToInstance(dto, example), VALIDATION_OPTIONS);
        if (errors.length > 0) refused[operation.operationId] = errors.map((e) => ({ [e.property]: e.constraints ?? e.children }));
      }
    }
    expect(refused).toEqual({});
  });

  it('validates against the OpenAPI 3 schema', async () => {
    // The parser dereferences what it is given: hand it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    // And the validator is in earnest: an operation without its responses is refused.
    const broken = structuredClone(document);
    broken.paths['/v1/funnel'] = { get: { summary: 'no responses' } as never };
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });
});
