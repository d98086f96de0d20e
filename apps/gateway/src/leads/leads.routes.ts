import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdDto, LEADS, LeadQueryDto, LeadView, LoseLeadDto, Page, ReassignLeadDto, Role } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

/** The service scopes each call to its actor: a salesperson's own leads, a manager's store, a partner's brand. */
@ApiTags('staff and leads')
@Controller()
export class LeadsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'GET',
    path: 'leads',
    summary: 'List the leads the caller may see, newest first; the phone only for the owner, their store manager, ops and admin',
    access: { roles: [], partner: true },
    response: { page: LeadView },
    errors: [400, 504],
  })
  list(@Query() query: LeadQueryDto, @Req() req: GatewayRequest): Promise<Page<LeadView>> {
    return this.clients.call('leads', LEADS.listLeads, query, req);
  }

  @Route({
    method: 'GET',
    path: 'leads/:id',
    summary: 'Read a lead with its history: each assignment and why',
    access: { roles: [], partner: true },
    response: LeadView,
    errors: [400, 404, 504],
  })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<LeadView> {
    return this.clients.call('leads', LEADS.getLead, params, req);
  }

  @Route({
    method: 'POST',
    path: 'leads/:id/contacted',
    summary: 'The owner marks the lead contacted, which stops its SLA clock',
    access: { roles: [] },
    idempotent: true,
    status: 200,
    response: LeadView,
    errors: [400, 404, 504],
  })
  contacted(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<LeadView> {
    return this.clients.call('leads', LEADS.markContacted, params, req);
  }

  @Route({
    method: 'POST',
    path: 'leads/:id/reassign',
    summary: 'Give the lead to another salesperson, for a reason kept in its history',
    access: { roles: [Role.StoreManager, Role.Ops] },
    idempotent: true,
    status: 200,
    response: LeadView,
    errors: [400, 404, 504],
  })
  reassign(@Param() params: IdDto, @Body() dto: ReassignLeadDto, @Req() req: GatewayRequest): Promise<LeadView> {
    return this.clients.call('leads', LEADS.reassignLead, { ...dto, id: params.id }, req);
  }

  @Route({
    method: 'POST',
    path: 'leads/:id/lost',
    summary: 'The owner marks the lead lost, for a reason',
    access: { roles: [] },
    idempotent: true,
    status: 200,
    response: LeadView,
    errors: [400, 404, 504],
  })
  lost(@Param() params: IdDto, @Body() dto: LoseLeadDto, @Req() req: GatewayRequest): Promise<LeadView> {
    return this.clients.call('leads', LEADS.loseLead, { ...dto, id: params.id }, req);
  }
}
