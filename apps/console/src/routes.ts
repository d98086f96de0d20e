import { useEffect, useState } from 'react';
import { Session } from './api';
import { hasRole, ROLE } from './session';

/** The console's views, each with the roles that may open it (admin opens every one). */
export const VIEWS = {
  funnel: { roles: [ROLE.ops] },
  leads: { roles: [ROLE.storeManager, ROLE.storeStaff, ROLE.ops] },
  deals: { roles: [ROLE.storeManager, ROLE.storeStaff, ROLE.ops] },
  commissions: { roles: [ROLE.ops, ROLE.agent, ROLE.storeStaff, ROLE.storeManager] },
} as const;
export type ViewName = keyof typeof VIEWS;

export const mayOpen = (session: Session, view: ViewName): boolean => hasRole(session, ...VIEWS[view].roles);

/** The first view a role may open: where signing in lands. */
export const homeOf = (session: Session): ViewName => (Object.keys(VIEWS) as ViewName[]).find((v) => mayOpen(session, v)) ?? 'commissions';

export interface Location {
  view: ViewName | null;
  /** What follows the view in the hash, e.g. a deal's id in #/deals/<id>. */
  rest: string[];
}

/** Hash routing (#/funnel, #/deals/<id>): static files need no server-side routes. */
export function useLocation(): Location {
  const read = (): Location => {
    const [view, ...rest] = window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
    return { view: view && view in VIEWS ? (view as ViewName) : null, rest };
  };
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const onChange = () => setLocation(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return location;
}

export const go = (view: ViewName, ...rest: string[]) => {
  window.location.hash = `#/${[view, ...rest].join('/')}`;
};

/** What every view is given. */
export interface ViewProps {
  session: Session;
  rest: string[];
}
