import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateLeadDto, IdDto, MoveLeadDto, Page, PageQueryDto, Role, LEADS, LeadView } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

/** Each route: one composed declaration, one call to the service. */
@ApiTags('leads')
@Controller()
export class LeadsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({ method: 'POST', path: 'leads', summary: 'Create a lead', access: { roles: [Role.Ops] }, idempotent: true, response: LeadView, errors: [400, 504] })
  create(@Body() dto: CreateLeadDto, @Req() req: GatewayRequest): Promise<LeadView> {
    return this.clients.call('leads', LEADS.createLead, dto, req);
  }

  @Route({ method: 'GET', path: 'leads', summary: 'List leads, newest first', access: { roles: [] }, response: { page: LeadView }, errors: [400, 504] })
  list(@Query() query: PageQueryDto, @Req() req: GatewayRequest): Promise<Page<LeadView>> {
    return this.clients.call('leads', LEADS.listLeads, query, req);
  }

  @Route({ method: 'GET', path: 'leads/:id', summary: 'Read a lead', access: { roles: [] }, response: LeadView, errors: [400, 404, 504] })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<LeadView> {
    return this.clients.call('leads', LEADS.getLead, params, req);
  }

  @Route({ method: 'POST', path: 'leads/:id/move', summary: 'Move a lead to another status', access: { roles: [Role.Ops] }, status: 200, response: LeadView, errors: [400, 404, 409, 504] })
  move(@Param() params: IdDto, @Body() dto: MoveLeadDto, @Req() req: GatewayRequest): Promise<LeadView> {
    return this.clients.call('leads', LEADS.moveLead, { ...dto, id: params.id }, req);
  }
}
