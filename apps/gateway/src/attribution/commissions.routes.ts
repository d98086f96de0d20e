import { Body, Controller, Param, Query, Req, Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ATTRIBUTION,
  COMMISSION_ROUNDING,
  CommissionQueryDto,
  CommissionRulesDto,
  CommissionRulesView,
  CommissionView,
  ConflictQueryDto,
  ConflictView,
  CreateStatementDto,
  DealAttributionView,
  IdDto,
  Page,
  Role,
  StatementView,
} from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

const STAFF = [Role.Ops, Role.Agent, Role.StoreStaff, Role.StoreManager];

/** The commission rules: versioned, a deal credited by the version in force when it closed. */
@ApiTags('commissions')
@Controller()
export class CommissionRulesRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'PUT',
    path: 'commission-rules',
    summary: `Set the commission rules (rates in basis points, 100 = 1%) as a new version, in force from now; deals closed earlier keep the version they closed under. ${COMMISSION_ROUNDING}`,
    access: { roles: [Role.Admin, Role.Ops] },
    response: CommissionRulesView,
    errors: [400, 504],
  })
  put(@Body() dto: CommissionRulesDto, @Req() req: GatewayRequest): Promise<CommissionRulesView> {
    return this.clients.call('attribution', ATTRIBUTION.setCommissionRules, dto, req);
  }

  @Route({
    method: 'GET',
    path: 'commission-rules',
    summary: 'Read the commission rules in force, with their version',
    access: { roles: [Role.Admin, Role.Ops] },
    response: CommissionRulesView,
    errors: [404, 504],
  })
  get(@Req() req: GatewayRequest): Promise<CommissionRulesView> {
    return this.clients.call('attribution', ATTRIBUTION.getCommissionRules, {}, req);
  }
}

/** A deal's attribution, and the deals flagged as suspected flying orders. */
@ApiTags('commissions')
@Controller()
export class DealAttributionRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'GET',
    path: 'deals/:id/attribution',
    summary:
      "Read a deal's attribution: the online source (card, then booking, then phone match, else none), the closer, the commissions, the flags, and an explanation of each candidate, the rules version and each entry's arithmetic. " +
      `Ops, admin and the store's manager see every entry; the closer and the credited agent their own; anyone else 404. ${COMMISSION_ROUNDING}`,
    access: { roles: STAFF },
    response: DealAttributionView,
    errors: [400, 404, 504],
  })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<DealAttributionView> {
    return this.clients.call('attribution', ATTRIBUTION.getDealAttribution, params, req);
  }

  @Route({
    method: 'GET',
    path: 'attribution/conflicts',
    summary: 'List the deals flagged as suspected flying orders, newest first, with why',
    access: { roles: [Role.Admin, Role.Ops] },
    response: { page: ConflictView },
    errors: [400, 504],
  })
  conflicts(@Query() query: ConflictQueryDto, @Req() req: GatewayRequest): Promise<Page<ConflictView>> {
    return this.clients.call('attribution', ATTRIBUTION.listConflicts, query, req);
  }
}

/** The commission ledger. */
@ApiTags('commissions')
@Controller()
export class CommissionsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'GET',
    path: 'commissions',
    summary: `List commission entries and clawbacks, newest first: ops and admin all of them, a salesperson or agent only their own. ${COMMISSION_ROUNDING}`,
    access: { roles: STAFF },
    response: { page: CommissionView },
    errors: [400, 504],
  })
  list(@Query() query: CommissionQueryDto, @Req() req: GatewayRequest): Promise<Page<CommissionView>> {
    return this.clients.call('attribution', ATTRIBUTION.listCommissions, query, req);
  }
}

/** Commission statements, one per month. */
@ApiTags('commissions')
@Controller()
export class CommissionStatementsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'POST',
    path: 'commission-statements',
    summary:
      "Draw the statement of a month that is over (one per month; asking again answers it): per person, the approved entries due before the month's end net of clawbacks. " +
      'The entries it includes become paid; clawbacks not settled yet, those of entries already paid included, are carried into it. A month not over yet is 422.',
    access: { roles: [Role.Admin, Role.Ops] },
    idempotent: true,
    response: StatementView,
    errors: [400, 504],
  })
  create(@Body() dto: CreateStatementDto, @Req() req: GatewayRequest): Promise<StatementView> {
    return this.clients.call('attribution', ATTRIBUTION.createStatement, dto, req);
  }

  @Route({
    method: 'GET',
    path: 'commission-statements/:id',
    summary: 'Read a commission statement',
    access: { roles: [Role.Admin, Role.Ops] },
    response: StatementView,
    errors: [400, 404, 504],
  })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<StatementView> {
    return this.clients.call('attribution', ATTRIBUTION.getStatement, params, req);
  }
}

export const COMMISSIONS_ROUTES: Type<unknown>[] = [CommissionRulesRoutes, DealAttributionRoutes, CommissionsRoutes, CommissionStatementsRoutes];
