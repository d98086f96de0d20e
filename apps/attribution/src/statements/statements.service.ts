import { Inject, Injectable } from '@nestjs/common';
import { Actor, CreateStatementDto, Role, StatementView } from '@o2o/contracts';
import { actorRef, Clock, CLOCK, newId, notFound, requireRoles, ruleBroken } from '@o2o/platform';
import { ATTRIBUTION_CONFIG, AttributionConfig } from '../attribution.config';
import { LedgerService } from '../ledger/ledger.service';
import { CommissionStatementsRepository, Statement } from './commission-statements.repository';
import { periodEnd } from './statements.rules';

/**
 * Commission statements, one per month of the report time zone, drawn once the month is over:
 * each pays the approved entries due before the month's end that no statement paid yet, and
 * settles the clawbacks not settled yet, those of entries paid by an earlier statement included.
 */
@Injectable()
export class StatementsService {
  constructor(
    private readonly statements: CommissionStatementsRepository,
    private readonly ledger: LedgerService,
    @Inject(ATTRIBUTION_CONFIG) private readonly config: AttributionConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(dto: CreateStatementDto, actor: Actor): Promise<StatementView> {
    requireRoles(actor, Role.Ops);
    const existing = await this.statements.findByPeriod(dto.period);
    if (existing) return this.view(existing);
    const timeZone = this.config.REPORT_TIME_ZONE;
    const end = periodEnd(dto.period, timeZone);
    if (end > this.clock.now())
      throw ruleBroken(`${dto.period} is not over yet in ${timeZone}; its statement is drawn after ${end.toISOString()}`, 'period_not_over');
    // What is due by now is approved first, so that a sweep yet to run holds nothing back.
    await this.ledger.approveDue();
    const made = await this.statements.insert({ id: newId(), period: dto.period, periodEnd: end, timeZone }, actorRef(actor));
    // Drawn by a concurrent request meanwhile: that one is the period's statement.
    if (!made) return this.view((await this.statements.findByPeriod(dto.period))!);
    await this.ledger.payInto(made.id, made.periodEnd);
    return this.view(made);
  }

  async get(id: string, actor: Actor): Promise<StatementView> {
    requireRoles(actor, Role.Ops);
    const statement = await this.statements.find(id.toLowerCase());
    if (!statement) throw notFound('Commission statement');
    return this.view(statement);
  }

  private async view(s: Statement): Promise<StatementView> {
    const totals = await this.ledger.totalsOf(s.id);
    const lines = totals.map((t) => ({ ...t, netFen: t.approvedFen + t.clawbackFen }));
    return {
      id: s.id,
      period: s.period,
      periodEnd: s.periodEnd.toISOString(),
      createdAt: s.createdAt.toISOString(),
      lines,
      totalFen: lines.reduce((sum, l) => sum + l.netFen, 0),
    };
  }
}
