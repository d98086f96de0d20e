import { Body, Controller, INestApplication, Param } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiProperty, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IdDto, Role } from '@o2o/contracts';
import { Test } from '@nestjs/testing';
import { etagOf, ifNoneMatchMatches } from './conditional-get.interceptor';
import { ACCESS_KEY, CACHEABLE_KEY, describeAccess, IDEMPOTENT_KEY, problemStatuses, Route } from './route.decorator';

const extension = (op: object, name: string) => (op as Record<string, unknown>)[name];

class ThingView {
  @ApiProperty() id!: string;
}

class MakeThingDto {
  @ApiProperty() name!: string;
}

@Controller()
class ThingsRoutes {
  @Route({
    method: 'POST',
    path: 'things',
    summary: 'Make a thing',
    access: { roles: [Role.Ops], partner: true },
    idempotent: true,
    response: ThingView,
    errors: [400, 504],
  })
  make(@Body() _dto: MakeThingDto) {}

  @Route({ method: 'GET', path: 'things', summary: 'List things', access: 'public', response: { page: ThingView } })
  list() {}

  @Route({ method: 'GET', path: 'things/:id', summary: 'Read a thing', access: 'public', cacheable: true, response: ThingView, errors: [404] })
  read(@Param() _params: IdDto) {}

  @Route({ method: 'DELETE', path: 'things/:id', summary: 'Drop a thing', access: { roles: [] }, errors: [404] })
  drop(@Param() _params: IdDto) {}
}

describe('@Route', () => {
  let app: INestApplication;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [ThingsRoutes] }).compile();
    app = module.createNestApplication(new FastifyAdapter());
    await app.init();
    doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  });
  afterAll(() => app.close());

  it('maps the method and path, and sets the success status every answer and replay uses', () => {
    const make = ThingsRoutes.prototype.make;
    expect([Reflect.getMetadata(PATH_METADATA, make), Reflect.getMetadata(METHOD_METADATA, make)]).toEqual(['things', 1]);
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, make)).toBe(201);
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, ThingsRoutes.prototype.list)).toBe(200);
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, ThingsRoutes.prototype.drop)).toBe(204);
  });

  it('records the access and idempotency the guard and the interceptor read', () => {
    expect(Reflect.getMetadata(ACCESS_KEY, ThingsRoutes.prototype.make)).toEqual({ roles: [Role.Ops], partner: true });
    expect(Reflect.getMetadata(IDEMPOTENT_KEY, ThingsRoutes.prototype.make)).toBe(true);
    expect(Reflect.getMetadata(ACCESS_KEY, ThingsRoutes.prototype.list)).toBe('public');
    expect(Reflect.getMetadata(IDEMPOTENT_KEY, ThingsRoutes.prototype.list)).toBe(false);
  });

  it('documents summary, access, security, Idempotency-Key, response view and problem answers', () => {
    const op = doc.paths['/things']!.post!;
    expect(op.summary).toBe('Make a thing');
    expect(op.description).toContain('staff with the role admin or ops; or a partner API key');
    expect(op.description).toContain('Idempotent');
    expect(extension(op, 'x-o2o-access')).toEqual({ roles: ['ops'], partner: true });
    expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }, { 'partner-key': [] }]));
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]));
    expect(op.responses['201']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingView' } } } });
    expect(Object.keys(op.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '422', '429', '503', '504']);
    expect(op.responses['422']).toMatchObject({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemView' } } } });
    expect(doc.components?.schemas).toHaveProperty('ProblemView');
  });

  it('documents a public list as a page of its view, with no credentials asked', () => {
    const op = doc.paths['/things']!.get!;
    expect(op.security).toBeUndefined();
    expect(extension(op, 'x-o2o-access')).toEqual({ public: true });
    expect(op.responses['200']).toMatchObject({
      content: {
        'application/json': {
          schema: {
            properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ThingView' } }, nextCursor: { type: 'string', nullable: true } },
          },
        },
      },
    });
    expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '429', '503']);
    expect(doc.paths['/things/{id}']!.delete!.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]));
  });

  it('derives the problems a route can answer from its access, idempotency and body', () => {
    expect(problemStatuses({ method: 'GET', path: 'x', summary: 'x', access: 'public' })).toEqual([401, 429, 503]);
    expect(problemStatuses({ method: 'PATCH', path: 'x', summary: 'x', access: { roles: [] }, errors: [404, 400] })).toEqual([
      400, 401, 403, 404, 413, 429, 503,
    ]);
    expect(describeAccess({ roles: [] })).toBe('Access: any signed-in staff member.');
    expect(describeAccess({ roles: [Role.Admin] })).toBe('Access: staff with the role admin.');
  });

  it('documents a cacheable public GET: ETag and Cache-Control on its answer, If-None-Match and the 304', () => {
    expect(Reflect.getMetadata(CACHEABLE_KEY, ThingsRoutes.prototype.read)).toBe(true);
    expect(Reflect.getMetadata(CACHEABLE_KEY, ThingsRoutes.prototype.list)).toBe(false);
    const op = doc.paths['/things/{id}']!.get!;
    expect(op.description).toContain('Cacheable');
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-None-Match', in: 'header', required: false })]));
    expect(Object.keys(op.responses).sort()).toEqual(['200', '304', '401', '404', '429', '503']);
    expect(Object.keys((op.responses['200'] as { headers: object }).headers)).toEqual(expect.arrayContaining(['ETag', 'Cache-Control']));
    expect(op.responses['304']).not.toHaveProperty('content');
  });

  it('refuses cacheable on anything but a public GET', () => {
    expect(() => Route({ method: 'GET', path: 'x', summary: 'x', access: { roles: [] }, cacheable: true })).toThrow('only a public GET');
    expect(() => Route({ method: 'POST', path: 'x', summary: 'x', access: 'public', cacheable: true })).toThrow('only a public GET');
  });

  it('matches If-None-Match weakly, in a list, or as *', () => {
    const tag = etagOf({ id: 1 });
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(etagOf({ id: 1 })).toBe(tag);
    expect(etagOf({ id: 2 })).not.toBe(tag);
    expect(ifNoneMatchMatches(tag, tag)).toBe(true);
    expect(ifNoneMatchMatches(tag.slice(2), tag)).toBe(true); // the strong form of the same tag
    expect(ifNoneMatchMatches(`W/"a", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchMatches('*', tag)).toBe(true);
    expect(ifNoneMatchMatches('W/"a"', tag)).toBe(false);
    expect(ifNoneMatchMatches(undefined, tag)).toBe(false);
  });
});
