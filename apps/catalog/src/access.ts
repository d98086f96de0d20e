import { Actor, Role } from '@o2o/contracts';
import { hasRole } from '@o2o/platform';

/** Admin and ops manage the whole catalog. */
export const isCatalogManager = (actor: Actor) => hasRole(actor, Role.Ops);
