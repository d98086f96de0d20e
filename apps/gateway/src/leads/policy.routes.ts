import { Body, Controller, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AssignmentPolicyDto, AssignmentPolicyView, LEADS, Role } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

@ApiTags('staff and leads')
@Controller()
export class PolicyRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'PUT',
    path: 'assignment-policy',
    summary: 'Set how leads are assigned: the strategy, the contact SLA and the protection period',
    access: { roles: [Role.Admin, Role.Ops] },
    response: AssignmentPolicyView,
    errors: [400, 504],
  })
  put(@Body() dto: AssignmentPolicyDto, @Req() req: GatewayRequest): Promise<AssignmentPolicyView> {
    return this.clients.call('leads', LEADS.putPolicy, dto, req);
  }

  @Route({
    method: 'GET',
    path: 'assignment-policy',
    summary: 'Read the assignment policy',
    access: { roles: [Role.Admin, Role.Ops] },
    response: AssignmentPolicyView,
    errors: [504],
  })
  get(@Req() req: GatewayRequest): Promise<AssignmentPolicyView> {
    return this.clients.call('leads', LEADS.getPolicy, {}, req);
  }
}
