import { call, Session } from './api';

const KEY = 'o2o.console.session';

/** Roles as the API names them. */
export const ROLE = { admin: 'admin', ops: 'ops', agent: 'agent', storeStaff: 'store_staff', storeManager: 'store_manager' } as const;

export const hasRole = (session: Session, ...roles: string[]): boolean => session.roles.includes(ROLE.admin) || roles.some((r) => session.roles.includes(r));

export function loadSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return s && s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

interface LoginAnswer {
  accessToken: string;
  expiresIn: number;
  roles: string[];
  staffId?: string | null;
  storeId?: string | null;
}

export async function signIn(username: string, password: string): Promise<Session> {
  const answer = await call<LoginAnswer>(null, 'POST', '/v1/auth/login', { body: { username, password } });
  return {
    token: answer.accessToken,
    username,
    roles: answer.roles,
    staffId: answer.staffId ?? null,
    storeId: answer.storeId ?? null,
    expiresAt: Date.now() + answer.expiresIn * 1000,
  };
}
