import { ConfigError, loadConfig } from '@o2o/platform';
import { GatewayConfig } from './gateway.config';

describe('GatewayConfig', () => {
  it('refuses to start without a signing secret and an admin password, naming both', () => {
    expect(() => loadConfig(GatewayConfig, {})).toThrow(ConfigError);
    try {
      loadConfig(GatewayConfig, {});
    } catch (e) {
      expect((e as Error).message).toMatch(/JWT_SECRET/);
      expect((e as Error).message).toMatch(/ADMIN_PASSWORD/);
    }
  });

  it('refuses a short secret', () => {
    expect(() => loadConfig(GatewayConfig, { JWT_SECRET: 'short', ADMIN_PASSWORD: 'x' })).toThrow(/at least 32 characters/);
  });

  it('accepts a full configuration', () => {
    const config = loadConfig(GatewayConfig, { JWT_SECRET: 'x'.repeat(32), ADMIN_PASSWORD: 'x', TRUST_PROXY: '1' });
    expect(config.TRUST_PROXY).toBe('1');
  });
});
