import { ConfigError, loadConfig, ServiceConfig } from './config';

describe('loadConfig', () => {
  it('takes defaults and converts numbers', () => {
    const config = loadConfig(ServiceConfig, { REQUEST_TIMEOUT_MS: '2500' });
    expect(config.REQUEST_TIMEOUT_MS).toBe(2500);
    expect(config.O2O_NAMESPACE).toBe('o2o');
  });

  it('fails fast naming every bad variable', () => {
    expect(() => loadConfig(ServiceConfig, { DATABASE_URL: 'mysql://x', REQUEST_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    try {
      loadConfig(ServiceConfig, { DATABASE_URL: 'mysql://x', REQUEST_TIMEOUT_MS: 'soon' });
    } catch (e) {
      expect((e as Error).message).toContain('DATABASE_URL');
      expect((e as Error).message).toContain('REQUEST_TIMEOUT_MS');
      expect((e as Error).message).not.toContain('REDIS_URL');
    }
  });
});
