import { Inject, Injectable } from '@nestjs/common';
import { Actor, CommissionRulesDto, CommissionRulesView, Role } from '@o2o/contracts';
import { actorRef, badInput, Clock, CLOCK, notFound, requireRoles } from '@o2o/platform';
import { CommissionRules, CommissionRulesRepository, rulesView } from './commission-rules.repository';
import { rulesProblems, sameRules } from './rules.rules';

/**
 * The commission rules, versioned: each change is a new version in force from the moment it is
 * set, and a deal is credited by the version in force when it closed.
 */
@Injectable()
export class RulesService {
  constructor(
    private readonly rules: CommissionRulesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async put(dto: CommissionRulesDto, actor: Actor): Promise<CommissionRulesView> {
    requireRoles(actor, Role.Ops);
    const problems = rulesProblems(dto);
    if (problems.length) throw badInput('The rates take more than the whole amount', problems);
    const current = await this.rules.latest(true);
    if (current && sameRules(dto, current)) return rulesView(current);
    // Never before the version it follows, so that the newest is always the one in force.
    const now = this.clock.now();
    const from = current && current.effectiveFrom > now ? current.effectiveFrom : now;
    return rulesView(await this.rules.insert(dto, from, actorRef(actor)));
  }

  async get(actor: Actor): Promise<CommissionRulesView> {
    requireRoles(actor, Role.Ops);
    const current = await this.rules.latest();
    if (!current) throw notFound('Commission rules');
    return rulesView(current);
  }

  inForceAt(at: Date): Promise<CommissionRules | undefined> {
    return this.rules.inForceAt(at);
  }
}
