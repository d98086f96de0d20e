import { Injectable } from '@nestjs/common';
import { Actor, AssignmentPolicyDto, AssignmentPolicyView, Role } from '@o2o/contracts';
import { requireRoles } from '@o2o/platform';
import { PolicyRepository, policyView } from './policy.repository';

/** The assignment policy: one for the whole chain, set by admin and ops. */
@Injectable()
export class PolicyService {
  constructor(private readonly policies: PolicyRepository) {}

  async get(actor: Actor): Promise<AssignmentPolicyView> {
    requireRoles(actor, Role.Ops);
    return policyView(await this.policies.get());
  }

  async put(dto: AssignmentPolicyDto, actor: Actor): Promise<AssignmentPolicyView> {
    requireRoles(actor, Role.Ops);
    return policyView(await this.policies.put(dto));
  }
}
