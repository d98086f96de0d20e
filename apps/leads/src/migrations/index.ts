import { PlatformTables1763856000000, RequestLedger1764000000000, WebhookAttempts1764000000100 } from '@o2o/platform';
import { Leads1795418350801 } from './1795418350801-leads';
import { BrandWebhooks1795600000000 } from './1795600000000-brand-webhooks';
import { AnnounceStaff1795900000000 } from './1795900000000-announce-staff';

/** Every migration of the leads schema, oldest first. */
export const leadsMigrations = [
  PlatformTables1763856000000,
  RequestLedger1764000000000,
  Leads1795418350801,
  WebhookAttempts1764000000100,
  BrandWebhooks1795600000000,
  AnnounceStaff1795900000000,
];
