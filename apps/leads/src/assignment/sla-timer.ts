import { Jobs } from '@o2o/platform';

export const SLA_QUEUE = 'leads.sla';

/** One timer per assignment of a lead (BullMQ refuses ':' in ids). */
export const slaJobId = (leadId: string, assignmentNo: number) => `sla-${leadId}-${assignmentNo}`;

export interface SlaJob {
  leadId: string;
  assignmentNo: number;
}

/** Fires at the SLA deadline; the lead is reassigned only if that same assignment is still uncontacted. */
export async function scheduleSla(jobs: Jobs, job: SlaJob, dueAt: Date): Promise<void> {
  await jobs.schedule<SlaJob>(SLA_QUEUE, { jobId: slaJobId(job.leadId, job.assignmentNo), name: 'sla', data: job, runAt: dueAt, attempts: 10 });
}
