/** Acquisition channels; each has the two-digit code that opens a privilege-card number. */
export enum Channel {
  Seo = 'seo',
  Sem = 'sem',
  Social = 'social',
  Partner = 'partner',
  Direct = 'direct',
  Offline = 'offline',
}

export const CHANNEL_CARD_CODES: Record<Channel, string> = {
  [Channel.Seo]: '10',
  [Channel.Sem]: '20',
  [Channel.Social]: '30',
  [Channel.Partner]: '40',
  [Channel.Direct]: '50',
  [Channel.Offline]: '60',
};

export enum Role {
  Admin = 'admin',
  Ops = 'ops',
  Agent = 'agent',
  StoreStaff = 'store_staff',
  StoreManager = 'store_manager',
}

export enum ProductStatus {
  Draft = 'draft',
  Published = 'published',
}

export enum BookingStatus {
  Created = 'created',
  Confirmed = 'confirmed',
  Visited = 'visited',
  Cancelled = 'cancelled',
  NoShow = 'no_show',
}

export enum CardStatus {
  PendingPayment = 'pending_payment',
  Active = 'active',
  Redeemed = 'redeemed',
  Expired = 'expired',
  Void = 'void',
}

export enum LeadStatus {
  Unassigned = 'unassigned',
  Assigned = 'assigned',
  Contacted = 'contacted',
  Visited = 'visited',
  Won = 'won',
  Lost = 'lost',
}
