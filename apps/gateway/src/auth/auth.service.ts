import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Actor, ErrorCode, Role } from '@o2o/contracts';
import { CONFIG, DomainError, LOGGER, newId } from '@o2o/platform';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../core/gateway.config';
import { LoginResultDto } from './dto/login.dto';
import { LoginLimiter } from './login-limiter';
import { hashPassword, needsRehash, SCRYPT_PARAMS, verifyPassword } from './password';
import { UserEntity } from './user.entity';

interface TokenClaims {
  sub: string;
  roles: Role[];
  staffId?: string;
  storeId?: string;
}

export interface NewLogin {
  username: string;
  password: string;
  roles: Role[];
  staffId?: string;
  storeId?: string;
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly accounts = new Map<string, { user: UserEntity | null; until: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly limiter: LoginLimiter,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private get users() {
    return this.dataSource.getRepository(UserEntity);
  }

  /** The first admin comes from the environment; an existing account is left as it is. */
  async onApplicationBootstrap(): Promise<void> {
    const created = await this.createLoginIfAbsent({ username: this.config.ADMIN_USERNAME, password: this.config.ADMIN_PASSWORD, roles: [Role.Admin] });
    if (created) this.logger.info({ username: this.config.ADMIN_USERNAME }, 'bootstrap admin created');
  }

  async login(username: string, password: string, address: string): Promise<LoginResultDto> {
    const attempt = await this.limiter.begin(username, address);
    let user: UserEntity | null;
    let ok: boolean;
    try {
      user = await this.users.findOne({ where: { username } });
      // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
      ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    } catch (e) {
      await attempt.abandoned();
      throw e;
    }
    if (!user || !ok || !user.active || user.state !== 'active') throw new DomainError(ErrorCode.Unauthenticated, 'Wrong username or password');
    await attempt.succeeded();
    if (needsRehash(user.passwordHash)) await this.upgradeHash(user, password);
    const claims: TokenClaims = { sub: user.id, roles: user.roles as Role[], staffId: user.staffId ?? undefined, storeId: user.storeId ?? undefined };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.JWT_TTL_SECONDS });
    return { accessToken, expiresIn: this.config.JWT_TTL_SECONDS, roles: user.roles, staffId: claims.staffId, storeId: claims.storeId };
  }

  /**
   * Replaces a hash made with weaker parameters, unless the password changed meanwhile. A failure
   * is logged, not answered: the login itself succeeded.
   */
  private async upgradeHash(user: UserEntity, password: string): Promise<void> {
    try {
      const passwordHash = await hashPassword(password);
      await this.users.update({ id: user.id, passwordHash: user.passwordHash }, { passwordHash });
    } catch (err) {
      this.logger.warn({ err, userId: user.id }, 'could not upgrade a password hash; will retry at the next login');
    }
  }

  /** Creates a login; answers false when the username is taken. */
  async createLoginIfAbsent(login: NewLogin): Promise<boolean> {
    if (await this.users.existsBy({ username: login.username })) return false; // spares a slow hash at every boot
    const passwordHash = await hashPassword(login.password);
    const result = await this.users
      .createQueryBuilder()
      .insert()
      .values({ id: newId(), username: login.username, passwordHash, roles: login.roles, staffId: login.staffId ?? null, storeId: login.storeId ?? null })
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /**
   * The staff actor a bearer token stands for, or an Unauthenticated error. The account is read
   * back (briefly cached), so a disabled or deleted login loses access within seconds and a
   * token whose subject does not exist is refused.
   */
  async actorFromToken(token: string): Promise<Actor> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, 'The access token is invalid or expired');
    }
    const account = await this.account(claims.sub);
    if (!account?.active || account.state !== 'active') throw new DomainError(ErrorCode.Unauthenticated, 'The account is disabled or no longer exists');
    return { kind: 'staff', userId: account.id, roles: account.roles as Role[], staffId: account.staffId ?? undefined, storeId: account.storeId ?? undefined };
  }

  private async account(id: string): Promise<UserEntity | null> {
    const cached = this.accounts.get(id);
    if (cached && cached.until > Date.now()) return cached.user;
    const user = await this.users.findOne({ where: { id } });
    if (this.accounts.size > 10_000) this.accounts.clear();
    this.accounts.set(id, { user, until: Date.now() + ACCOUNT_CACHE_MS });
    return user;
  }
}

const ACCOUNT_CACHE_MS = 5000;
/** Today's parameters, so an unknown username costs what a known one does. */
const DUMMY_HASH = `scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$${'A'.repeat(22)}==$${'A'.repeat(43)}=`;
