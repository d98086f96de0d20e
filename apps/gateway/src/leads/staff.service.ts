import { Injectable } from '@nestjs/common';
import { ANONYMOUS, Actor, CreateStaffDto, CreateStaffMessage, ErrorCode, IdDto, LEADS, Page, Role, StaffQueryDto, StaffView } from '@o2o/contracts';
import { badInput, DomainError, forbidden, hasRole, httpStatusFor, requestHash, staffStore } from '@o2o/platform';
import { hashPassword } from '../auth/password';
import { StaffLoginsRepository } from '../auth/staff-logins.repository';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';

/** The login role a new staff member gets. */
export function loginRole(person: Pick<CreateStaffMessage, 'team' | 'role'>): Role {
  if (person.role === 'store_manager') return Role.StoreManager;
  return person.team === 'online' ? Role.Agent : Role.StoreStaff;
}

/**
 * A refusal the leads service gave for certain (bad input, access, a rule): nothing was made.
 * A 5xx leaves the outcome unknown, and a reused request id means an earlier try did the work.
 */
export function definitelyRefused(e: unknown): boolean {
  return e instanceof DomainError && e.code !== ErrorCode.IdempotencyKeyReused && httpStatusFor(e.code) < 500;
}

function callerScope(actor: Actor): string {
  switch (actor.kind) {
    case 'staff':
      return `user:${actor.userId}`;
    case 'partner':
      return `brand:${actor.brandId}`;
    case 'anonymous':
      return 'anonymous';
  }
}

/**
 * The roster lives in the leads service and logins in the gateway, so a staff member with a login
 * is made by a saga: reserve the username (a pending, disabled login: a taken one is 409 before
 * anything is made), make the person in leads under a request id derived from the reserved login,
 * then activate the login with the staff id. A definite refusal releases the username; an unknown
 * outcome (503, 504) leaves the login pending and disabled, and the same request's retry (same
 * caller and body, with or without its Idempotency-Key) resumes it under the same request id,
 * so leads makes the person once.
 */
@Injectable()
export class StaffService {
  constructor(
    private readonly clients: GatewayClients,
    private readonly logins: StaffLoginsRepository,
  ) {}

  async create(dto: CreateStaffDto, req: GatewayRequest): Promise<StaffView> {
    const actor = req.actor ?? ANONYMOUS;
    const { username, password, ...person } = dto;
    if (username === undefined && password === undefined) return this.clients.call<StaffView>('leads', LEADS.createStaff, person, req);
    if (username === undefined || password === undefined) {
      const missing = username === undefined ? 'username' : 'password';
      throw badInput('A login needs both a username and a password', [
        { field: missing, message: `${missing} is required with ${username === undefined ? 'password' : 'username'}` },
      ]);
    }
    // Checked again by the service; here it spares a password hash and a reservation.
    const own = staffStore(actor);
    if (!hasRole(actor, Role.Ops) && (own === undefined || person.team !== 'offline' || person.storeId !== own)) {
      throw forbidden('A store manager adds staff to their own store only');
    }

    const login = await this.logins.reserve({
      username,
      passwordHash: await hashPassword(password),
      role: loginRole(person),
      storeId: person.storeId ?? null,
      reservation: requestHash({ caller: callerScope(actor), username, person }),
    });
    if (!login) throw new DomainError(ErrorCode.Conflict, `The username ${username} is taken`, [{ field: 'username', message: 'is taken' }]);

    let staff: StaffView;
    try {
      staff = await this.clients.call<StaffView>('leads', LEADS.createStaff, person, req, { requestId: `gateway:login:${login.id}:staff` });
    } catch (e) {
      if (definitelyRefused(e)) await this.logins.release(login.id);
      throw e;
    }
    if (!(await this.logins.activate(login.id, staff.id))) {
      throw new DomainError(ErrorCode.Conflict, `The login ${username} changed while its staff member was being made; retry`);
    }
    return { ...staff, username };
  }

  async get(params: IdDto, req: GatewayRequest): Promise<StaffView> {
    const staff = await this.clients.call<StaffView>('leads', LEADS.getStaff, params, req);
    const [named] = await this.withUsernames([staff]);
    return named;
  }

  async list(query: StaffQueryDto, req: GatewayRequest): Promise<Page<StaffView>> {
    const page = await this.clients.call<Page<StaffView>>('leads', LEADS.listStaff, query, req);
    return { ...page, items: await this.withUsernames(page.items) };
  }

  /** The roster does not know logins: each person's username comes from the gateway's table. */
  private async withUsernames(staff: StaffView[]): Promise<StaffView[]> {
    const usernames = await this.logins.usernames(staff.map((s) => s.id));
    return staff.map((s) => {
      const username = usernames.get(s.id);
      return username === undefined ? s : { ...s, username };
    });
  }
}
