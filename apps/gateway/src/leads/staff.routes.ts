import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateStaffDto, IdDto, LEADS, Page, Role, StaffQueryDto, StaffView, UpdateStaffDto } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';
import { StaffService } from './staff.service';

const STAFF_ADMINS = [Role.Admin, Role.Ops, Role.StoreManager];

/** The roster, kept by the leads service; a store manager is held to their own store there. */
@ApiTags('staff and leads')
@Controller()
export class StaffRoutes {
  constructor(
    private readonly clients: GatewayClients,
    private readonly staff: StaffService,
  ) {}

  @Route({
    method: 'POST',
    path: 'staff',
    summary:
      'Add a staff member; with username and password also their login (agent online, store_staff offline, or store_manager). A taken username is 409 and makes nothing',
    access: { roles: STAFF_ADMINS },
    idempotent: true,
    response: StaffView,
    errors: [400, 504],
  })
  create(@Body() dto: CreateStaffDto, @Req() req: GatewayRequest): Promise<StaffView> {
    return this.staff.create(dto, req);
  }

  @Route({
    method: 'PATCH',
    path: 'staff/:id',
    summary: 'Change whether a staff member is active, their daily capacity or brands; an inactive person is never assigned',
    access: { roles: STAFF_ADMINS },
    response: StaffView,
    errors: [400, 404, 504],
  })
  update(@Param() params: IdDto, @Body() dto: UpdateStaffDto, @Req() req: GatewayRequest): Promise<StaffView> {
    return this.clients.call('leads', LEADS.updateStaff, { ...dto, id: params.id }, req);
  }

  @Route({
    method: 'GET',
    path: 'staff',
    summary: 'List staff; a store manager sees their own store',
    access: { roles: STAFF_ADMINS },
    response: { page: StaffView },
    errors: [400, 504],
  })
  list(@Query() query: StaffQueryDto, @Req() req: GatewayRequest): Promise<Page<StaffView>> {
    return this.staff.list(query, req);
  }

  @Route({
    method: 'GET',
    path: 'staff/:id',
    summary: 'Read a staff member, with their login’s username',
    access: { roles: STAFF_ADMINS },
    response: StaffView,
    errors: [400, 404, 504],
  })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<StaffView> {
    return this.staff.get(params, req);
  }
}
