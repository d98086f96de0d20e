import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Create__Thing__Dto, IdDto, Move__Thing__Dto, Page, PageQueryDto, Role, __SERVICE__, __Thing__View } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

/** Each route: one composed declaration, one call to the service. */
@ApiTags('__service__')
@Controller()
export class __Domain__Routes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({ method: 'POST', path: '__domain__', summary: 'Create a __thing__', access: { roles: [Role.Ops] }, idempotent: true, response: __Thing__View, errors: [400, 504] })
  create(@Body() dto: Create__Thing__Dto, @Req() req: GatewayRequest): Promise<__Thing__View> {
    return this.clients.call('__service__', __SERVICE__.create__Thing__, dto, req);
  }

  @Route({ method: 'GET', path: '__domain__', summary: 'List __domain__, newest first', access: { roles: [] }, response: { page: __Thing__View }, errors: [400, 504] })
  list(@Query() query: PageQueryDto, @Req() req: GatewayRequest): Promise<Page<__Thing__View>> {
    return this.clients.call('__service__', __SERVICE__.list__Domain__, query, req);
  }

  @Route({ method: 'GET', path: '__domain__/:id', summary: 'Read a __thing__', access: { roles: [] }, response: __Thing__View, errors: [400, 404, 504] })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<__Thing__View> {
    return this.clients.call('__service__', __SERVICE__.get__Thing__, params, req);
  }

  @Route({ method: 'POST', path: '__domain__/:id/move', summary: 'Move a __thing__ to another status', access: { roles: [Role.Ops] }, status: 200, response: __Thing__View, errors: [400, 404, 409, 504] })
  move(@Param() params: IdDto, @Body() dto: Move__Thing__Dto, @Req() req: GatewayRequest): Promise<__Thing__View> {
    return this.clients.call('__service__', __SERVICE__.move__Thing__, { ...dto, id: params.id }, req);
  }
}
