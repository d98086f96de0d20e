import { Role } from '@o2o/contracts';
import { createDataSource } from '@o2o/platform';
import { createTestDatabase, TestDatabase } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { gatewayMigrations } from '../migrations';
import { LoginReservation, StaffLoginsRepository } from './staff-logins.repository';
import { UserEntity } from './user.entity';

const STAFF = '0190f1c2-0000-7000-8000-0000000000a1';
const OTHER_STAFF = '0190f1c2-0000-7000-8000-0000000000a2';
const STORE = '0190f1c2-0000-7000-8000-0000000000b1';

describe('StaffLoginsRepository (real Postgres)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let logins: StaffLoginsRepository;
  const reservation = (username: string, more: Partial<LoginReservation> = {}): LoginReservation => ({
    username,
    passwordHash: 'scrypt$hash',
    role: Role.StoreStaff,
    storeId: STORE,
    reservation: `req-${username}`,
    ...more,
  });
  const row = (username: string) =>
    dataSource.query<{ state: string; active: boolean; staff_id: string | null; reservation: string | null }[]>(
      'SELECT state, active, staff_id, reservation FROM users WHERE username = $1',
      [username],
    );

  beforeAll(async () => {
    db = await createTestDatabase([{ schema: 'gateway', migrations: gatewayMigrations }]);
    dataSource = await createDataSource({ url: db.url, schema: 'gateway', entities: [UserEntity], migrations: gatewayMigrations }).initialize();
    logins = new StaffLoginsRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('reserves a username pending and disabled, then activates it with its staff id', async () => {
    const login = await logins.reserve(reservation('ann'));
    expect(login).toEqual({ id: expect.any(String), resumed: false });
    expect(await row('ann')).toEqual([{ state: 'pending', active: false, staff_id: null, reservation: 'req-ann' }]);
    expect(await logins.activate(login!.id, STAFF)).toBe(true);
    expect(await row('ann')).toEqual([{ state: 'active', active: true, staff_id: STAFF, reservation: null }]);
    expect(await logins.activate(login!.id, STAFF)).toBe(true); // a concurrent resume of the same request
    expect(await logins.activate(login!.id, OTHER_STAFF)).toBe(false);
    expect(await logins.usernames([STAFF, OTHER_STAFF])).toEqual(new Map([[STAFF, 'ann']]));
  });

  it('lets only the same request resume a pending login; an active one is taken for everyone', async () => {
    const first = await logins.reserve(reservation('bob'));
    expect(await logins.reserve(reservation('bob', { reservation: 'someone-else' }))).toBeNull();
    expect(await logins.reserve(reservation('bob', { passwordHash: 'scrypt$new' }))).toEqual({ id: first!.id, resumed: true });
    await logins.activate(first!.id, OTHER_STAFF);
    expect(await logins.reserve(reservation('bob'))).toBeNull();
    expect(await logins.reserve(reservation('ann'))).toBeNull();
  });

  it('releases a pending login only, and gives one staff member at most one login', async () => {
    const carol = await logins.reserve(reservation('carol'));
    await logins.release(carol!.id);
    expect(await row('carol')).toEqual([]);
    const ann = (await dataSource.query<{ id: string }[]>(`SELECT id FROM users WHERE username = 'ann'`))[0];
    await logins.release(ann.id);
    expect(await row('ann')).toHaveLength(1);
    const dave = await logins.reserve(reservation('dave'));
    await expect(logins.activate(dave!.id, STAFF)).rejects.toThrow(/users_staff_id/);
  });
});
