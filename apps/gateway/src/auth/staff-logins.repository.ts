import { Injectable } from '@nestjs/common';
import { Role } from '@o2o/contracts';
import { newId, queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

export interface LoginReservation {
  username: string;
  passwordHash: string;
  role: Role;
  storeId: string | null;
  /** Names the request (caller and body) that reserves it; the same request resumes it. */
  reservation: string;
}

/** A reserved login: made now, or found pending from an earlier try of the same request. */
export interface ReservedLogin {
  id: string;
  resumed: boolean;
}

/**
 * The logins made with staff members, in the gateway's users table. A login is reserved pending
 * and disabled (it cannot sign in), then activated with its staff id, or released.
 */
@Injectable()
export class StaffLoginsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Reserves the username, or resumes the pending login the same request reserved before (its
   * password set anew). Answers null when the username is taken by anyone else.
   */
  async reserve(login: LoginReservation): Promise<ReservedLogin | null> {
    const made = await queryRows<{ id: string }>(
      this.dataSource,
      `INSERT INTO users (id, username, password_hash, roles, store_id, active, state, reservation)
       VALUES ($1, $2, $3, $4, $5, false, 'pending', $6)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [newId(), login.username, login.passwordHash, [login.role], login.storeId, login.reservation],
    );
    if (made[0]) return { id: made[0].id, resumed: false };
    const resumed = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE users SET password_hash = $3, roles = $4, store_id = $5
       WHERE username = $1 AND state = 'pending' AND reservation = $2 RETURNING id`,
      [login.username, login.reservation, login.passwordHash, [login.role], login.storeId],
    );
    return resumed[0] ? { id: resumed[0].id, resumed: true } : null;
  }

  /** Enables a reserved login for its staff member. False if it is no longer pending. */
  async activate(id: string, staffId: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE users SET state = 'active', active = true, staff_id = $2, reservation = NULL
       WHERE id = $1 AND (state = 'pending' OR staff_id = $2) RETURNING id`,
      [id, staffId],
    );
    return rows.length > 0;
  }

  /** Gives a reserved username back; an active login is never touched. */
  async release(id: string): Promise<void> {
    await queryRows(this.dataSource, `DELETE FROM users WHERE id = $1 AND state = 'pending' RETURNING id`, [id]);
  }

  /** The usernames of active logins, by staff id. */
  async usernames(staffIds: string[]): Promise<Map<string, string>> {
    if (staffIds.length === 0) return new Map();
    const rows = await queryRows<{ staff_id: string; username: string }>(
      this.dataSource,
      `SELECT staff_id, username FROM users WHERE staff_id = ANY($1::uuid[]) AND state = 'active'`,
      [staffIds],
    );
    return new Map(rows.map((r) => [r.staff_id, r.username]));
  }
}
