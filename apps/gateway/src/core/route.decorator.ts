import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata, Type, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiExtraModels, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, getSchemaPath } from '@nestjs/swagger';
import { EXAMPLE, Role } from '@o2o/contracts';
import { ProblemView } from '../problem/problem.view';
import { CACHEABLE_KEY, ConditionalGetInterceptor, PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL } from './conditional-get.interceptor';

export { CACHEABLE_KEY } from './conditional-get.interceptor';

/**
 * Who may call a route: anyone; staff holding one of the roles (admin always passes; no roles
 * means any staff member); and, with `partner`, a partner API key, which the service scopes to
 * the key's brand.
 */
export type Access = 'public' | { roles: Role[]; partner?: boolean };

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503 | 504;

export interface RouteOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /v1 unless the app excludes it, e.g. 'cards/:cardNo/void'. */
  path: string;
  summary: string;
  access: Access;
  /** Honours the Idempotency-Key header (POSTs that create or change something). */
  idempotent?: boolean;
  /** The success status: 201 for POST, 204 for DELETE, else 200, unless given. */
  status?: number;
  /** The success body's view class, `{ page: View }` for a paged list, or `{ array: View }` for a bare array. */
  response?: Type<unknown> | { page: Type<unknown> } | { array: Type<unknown> };
  /**
   * The problems this route can answer beyond those every route can (401, 429, 503) and those
   * its access and idempotency imply (403; 409 and 422); 413 comes with any body.
   */
  errors?: ProblemStatus[];
  /**
   * A public GET whose answer clients and shared caches may keep: it carries an ETag (a hash of
   * its JSON body) and Cache-Control, and an If-None-Match that matches answers 304 with no body
   * (the ConditionalGetInterceptor). Only for public GETs: a route that needs credentials is never
   * cacheable.
   */
  cacheable?: boolean;
}

export const ACCESS_KEY = 'o2o:access';
export const IDEMPOTENT_KEY = 'o2o:idempotent';

const METHODS = { GET: RequestMethod.GET, POST: RequestMethod.POST, PUT: RequestMethod.PUT, PATCH: RequestMethod.PATCH, DELETE: RequestMethod.DELETE } as const;

const PROBLEMS: Record<ProblemStatus, string> = {
  400: 'Bad input, with per-field errors',
  401: 'Not authenticated, or the token or API key is invalid',
  403: 'The caller may not do this',
  404: 'Not found, or not yours',
  409: 'State conflict, or the Idempotency-Key is still in flight',
  413: 'The body is over the size limit',
  422: 'A business rule is broken, or the Idempotency-Key was used with another request',
  429: 'Rate limited; see Retry-After',
  503: 'A service or dependency is down; see Retry-After',
  504: 'A service did not answer in time',
};

export function successStatus(options: Pick<RouteOptions, 'method' | 'status'>): number {
  return options.status ?? (options.method === 'POST' ? 201 : options.method === 'DELETE' ? 204 : 200);
}

export function problemStatuses(options: RouteOptions): ProblemStatus[] {
  const implied: ProblemStatus[] = [401, 429, 503];
  if (options.access !== 'public') implied.push(403);
  if (options.idempotent) implied.push(409, 422);
  if (['POST', 'PUT', 'PATCH'].includes(options.method)) implied.push(413);
  return [...new Set([...implied, ...(options.errors ?? [])])].sort((a, b) => a - b);
}

export function describeAccess(access: Access): string {
  if (access === 'public') return 'Public: no credentials needed (invalid ones are still refused).';
  const staff =
    access.roles.length === 0
      ? 'any signed-in staff member'
      : `staff with the role ${[Role.Admin, ...access.roles.filter((r) => r !== Role.Admin)].join(' or ')}`;
  return `Access: ${staff}${access.partner ? "; or a partner API key, scoped to the key's brand" : ''}.`;
}

const CACHE_HEADERS = {
  ETag: { description: 'A weak validator: a hash of the JSON body. Send it back as If-None-Match.', schema: { type: 'string', example: 'W/"3q2-7w"' } },
  'Cache-Control': {
    description: `${PUBLIC_CACHE_CONTROL} for the public (short, so that a product taken off the catalog vanishes soon); ${PRIVATE_CACHE_CONTROL} with credentials`,
    schema: { type: 'string', example: PUBLIC_CACHE_CONTROL },
  },
  Vary: { description: 'Authorization, X-Api-Key: a caller with credentials may see another answer', schema: { type: 'string' } },
};

function successResponse(status: number, response: RouteOptions['response'], cacheable: boolean): MethodDecorator {
  const headers = cacheable ? { headers: CACHE_HEADERS } : {};
  if (status === 204 || response === undefined) return ApiResponse({ status, description: 'Done', ...headers });
  if ('page' in response) {
    return applyDecorators(
      ApiExtraModels(response.page),
      ApiResponse({
        status,
        ...headers,
        description: 'One page; pass nextCursor as cursor for the next',
        schema: {
          type: 'object',
          required: ['items', 'nextCursor'],
          properties: {
            items: { type: 'array', items: { $ref: getSchemaPath(response.page) } },
            nextCursor: { type: 'string', nullable: true, example: EXAMPLE.nextCursor },
          },
        },
      }),
    );
  }
  if ('array' in response) return ApiResponse({ status, type: response.array, isArray: true, ...headers });
  return ApiResponse({ status, type: response, ...headers });
}

/** A cacheable route's conditional GET: the If-None-Match it honours and the 304 it can answer. */
function conditionalGet(): MethodDecorator[] {
  return [
    ApiHeader({ name: 'If-None-Match', required: false, description: 'ETags from earlier answers; when one matches the current answer, 304 with no body' }),
    ApiResponse({ status: 304, description: 'Not Modified: the answer still matches If-None-Match; no body', headers: CACHE_HEADERS }),
  ];
}

/**
 * One route, declared in one place: its method and path, who may call it, whether it honours an
 * Idempotency-Key, its success status, and its OpenAPI operation (summary, access, response view
 * and the application/problem+json answers it can give).
 */
export function Route(options: RouteOptions): MethodDecorator {
  const status = successStatus(options);
  const access = options.access;
  const idempotent = options.idempotent ?? false;
  const cacheable = options.cacheable ?? false;
  if (cacheable && (options.method !== 'GET' || access !== 'public')) {
    throw new Error(`@Route ${options.method} ${options.path}: only a public GET can be cacheable`);
  }
  const description = [
    describeAccess(access),
    idempotent ? 'Idempotent: the same Idempotency-Key with the same body replays the first answer.' : '',
    cacheable ? `Cacheable: answers an ETag and Cache-Control (${PUBLIC_CACHE_CONTROL}); If-None-Match with the current ETag answers 304 with no body.` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return applyDecorators(
    RequestMapping({ path: options.path, method: METHODS[options.method] }),
    HttpCode(status),
    SetMetadata(ACCESS_KEY, access),
    SetMetadata(IDEMPOTENT_KEY, idempotent),
    SetMetadata(CACHEABLE_KEY, cacheable),
    ...(cacheable ? [UseInterceptors(ConditionalGetInterceptor)] : []),
    ApiOperation({ summary: options.summary, description }),
    ApiExtension('x-o2o-access', access === 'public' ? { public: true } : { roles: access.roles, partner: access.partner ?? false }),
    ...(access === 'public' ? [] : [ApiBearerAuth()]),
    ...(access !== 'public' && access.partner ? [ApiSecurity('partner-key')] : []),
    ...(idempotent
      ? [ApiHeader({ name: 'Idempotency-Key', required: false, description: '1 to 255 characters; a retry with the same key replays the first answer' })]
      : []),
    ...(cacheable ? conditionalGet() : []),
    successResponse(status, options.response, cacheable),
    ApiExtraModels(ProblemView),
    ...problemStatuses(options).map((s) =>
      ApiResponse({ status: s, description: PROBLEMS[s], content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemView) } } } }),
    ),
  );
}
