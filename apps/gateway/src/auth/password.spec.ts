import { hashPassword, needsRehash, SCRYPT_PARAMS, verifyPassword } from './password';

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it("hashes with OWASP's current scrypt parameters, stored beside the hash", async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const stored = await hashPassword('s3cret');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyPassword('s3cret', stored)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  it('verifies a hash by the parameters stored with it, and asks for a rehash when they are weaker', async () => {
    const legacy = await hashPassword('s3cret', { N: 16384, r: 8, p: 1 });
    expect(await verifyPassword('s3cret', legacy)).toBe(true);
    expect(await verifyPassword('wrong', legacy)).toBe(false);
    const cases: [string, boolean][] = [
      [legacy, true],
      [legacy.replace('scrypt$16384$8$1$', 'scrypt$131072$4$1$'), true],
      [legacy.replace('scrypt$16384$8$1$', 'scrypt$262144$8$1$'), false],
      ['bcrypt$whatever', true],
    ];
    for (const [stored, weaker] of cases) expect({ stored, weaker: needsRehash(stored) }).toEqual({ stored, weaker });
  });

  it('refuses stored parameters that are malformed or would exhaust memory, without running them', async () => {
    const good = await hashPassword('s3cret', FAST);
    const [, , , , salt, hash] = good.split('$');
    for (const params of ['1000$8$1', `${2 ** 24}$8$1`, '1024$0$1', '1024$8$x', '1024$999$1']) {
      expect(await verifyPassword('s3cret', `scrypt$${params}$${salt}$${hash}`)).toBe(false);
    }
    expect(await verifyPassword('s3cret', `${good}$extra`)).toBe(false);
    expect(await verifyPassword('s3cret', 'scrypt$1024$8$1$$')).toBe(false);
  });
});
