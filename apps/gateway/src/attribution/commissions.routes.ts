import { Type } from '@nestjs/common';

// Commission rule, attribution, ledger and statement routes: filled by the commissions work.
export const COMMISSIONS_ROUTES: Type<unknown>[] = [];
