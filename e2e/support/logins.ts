import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { Client } from 'pg';
import { http, RunningStack } from './stack';

/** The hash parameters the gateway used before OWASP's current ones; its next login upgrades them. */
export const LEGACY_SCRYPT = { N: 16384, r: 8, p: 1 };

export function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, LEGACY_SCRYPT);
  return `scrypt$${LEGACY_SCRYPT.N}$${LEGACY_SCRYPT.r}$${LEGACY_SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** A staff login written straight into the gateway's table: no route makes one without the leads service. */
export async function createLogin(stack: RunningStack, login: { username: string; password: string; roles: string[] }): Promise<string> {
  const db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const id = randomUUID();
    await db.query('INSERT INTO gateway.users (id, username, password_hash, roles) VALUES ($1, $2, $3, $4)', [
      id,
      login.username,
      legacyHash(login.password),
      login.roles,
    ]);
    return id;
  } finally {
    await db.end();
  }
}

export async function signIn(stack: RunningStack, username: string, password: string): Promise<string> {
  const res = await http<{ accessToken: string }>(stack.url, 'POST', '/v1/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}
