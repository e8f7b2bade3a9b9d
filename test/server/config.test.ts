// The server's configuration: defaults for a fresh start, and one line naming the variable when a
// value is bad.
import { readConfig } from '../../server/src/config';

describe('configuration from the environment', () => {
  test('nothing set: port 8787, the embedded store in ./data, the credits catalog', () => {
    expect(readConfig({})).toMatchObject({ PORT: 8787, HOST: '127.0.0.1', CREDITMETER_DATA_DIR: './data', CREDITMETER_CATALOG: 'credits' });
  });

  test('an empty variable counts as unset: DATABASE_URL= in a compose file means the embedded store', () => {
    const config = readConfig({ DATABASE_URL: '', CREDITMETER_API_KEY: '', PORT: ' ', CREDITMETER_CATALOG: '' });
    expect(config).toMatchObject({ PORT: 8787, CREDITMETER_CATALOG: 'credits' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.CREDITMETER_API_KEY).toBeUndefined();
  });

  test('dashboard links take a secret and a public address', () => {
    const config = readConfig({ CREDITMETER_LINK_SECRET: 'x'.repeat(32), CREDITMETER_PUBLIC_URL: 'https://billing.example.com' });
    expect(config).toMatchObject({ CREDITMETER_LINK_SECRET: 'x'.repeat(32), CREDITMETER_PUBLIC_URL: 'https://billing.example.com' });
  });

  test.each(['loopback', '1', 'true', '10.0.0.0/8, 192.168.1.1', 'loopback,fd00::/8'])('trust proxy %j is read as Express reads it', (value) => {
    expect(readConfig({ CREDITMETER_TRUST_PROXY: value }).CREDITMETER_TRUST_PROXY).toBe(value);
  });

  test('several server processes take PostgreSQL: one embedded store belongs to one process', () => {
    expect(readConfig({}).CREDITMETER_PROCESSES).toBe(1);
    expect(readConfig({ CREDITMETER_PROCESSES: '4', DATABASE_URL: 'postgres://db/creditmeter' }).CREDITMETER_PROCESSES).toBe(4);
    expect(() => readConfig({ CREDITMETER_PROCESSES: '2' })).toThrow(/^CREDITMETER_PROCESSES: more than 1 needs DATABASE_URL/);
    expect(() => readConfig({ CREDITMETER_PROCESSES: '0', DATABASE_URL: 'postgres://db/creditmeter' })).toThrow(/^CREDITMETER_PROCESSES: /);
  });

  test.each([
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL$/],
    [{ CREDITMETER_API_KEY: 'short' }, /^CREDITMETER_API_KEY: must be at least 16 characters$/],
    [{ CREDITMETER_LINK_SECRET: 'short' }, /^CREDITMETER_LINK_SECRET: must be at least 32 characters$/],
    [{ CREDITMETER_PUBLIC_URL: 'ftp://billing.example.com' }, /^CREDITMETER_PUBLIC_URL: must be an http:\/\/ or https:\/\/ URL$/],
    [{ CREDITMETER_PUBLIC_URL: 'billing' }, /^CREDITMETER_PUBLIC_URL: /],
    [{ CREDITMETER_TRUST_PROXY: 'TRUE' }, /^CREDITMETER_TRUST_PROXY: must be a hop count/],
    [{ CREDITMETER_TRUST_PROXY: ' 1' }, /^CREDITMETER_TRUST_PROXY: /],
    [{ CREDITMETER_WEBHOOK_TARGETS: 'none' }, /^CREDITMETER_WEBHOOK_TARGETS: must be one of private, public$/],
  ])('%j stops the start with a line naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});
