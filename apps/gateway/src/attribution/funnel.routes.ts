import { Type } from '@nestjs/common';

// Touchpoint and funnel routes: filled by the funnel work.
export const FUNNEL_ROUTES: Type<unknown>[] = [];
