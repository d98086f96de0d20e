/** Message patterns the leads service answers. */
export const LEADS = {
  createStaff: 'leads.staff.create',
  updateStaff: 'leads.staff.update',
  getStaff: 'leads.staff.get',
  listStaff: 'leads.staff.list',
  putPolicy: 'leads.policy.put',
  getPolicy: 'leads.policy.get',
  listLeads: 'leads.leads.list',
  getLead: 'leads.leads.get',
  markContacted: 'leads.leads.contacted',
  reassignLead: 'leads.leads.reassign',
  loseLead: 'leads.leads.lost',
  putWebhook: 'leads.webhooks.put',
  getWebhook: 'leads.webhooks.get',
  listWebhookDeliveries: 'leads.webhooks.deliveries',
} as const;
