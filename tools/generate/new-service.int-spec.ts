import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The service template, generated into a scratch copy of the repository: the new service, its
 * contracts and its gateway module type-check with everything else, and its own tests (health
 * over the transport, the domain through its harness, the rules) pass against the real servers.
 */
describe('npm run new:service', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'o2o-new-service-'));
    for (const file of ['nx.json', 'package.json', 'tsconfig.base.json', 'tsconfig.json', 'jest.preset.js', 'eslint.config.mjs', '.swcrc'])
      cpSync(path.join(ROOT, file), path.join(scratch, file));
    for (const dir of ['libs', 'apps/gateway', 'tools/dev', 'tools/generate']) cpSync(path.join(ROOT, dir), path.join(scratch, dir), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'));
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('makes a service that type-checks with the rest and passes its own tests', () => {
    execFileSync(process.execPath, ['tools/generate/new-service.mjs', 'reviews', '--domain', 'ratings', '--thing', 'rating'], { cwd: scratch, stdio: 'pipe' });
    expect(readFileSync(path.join(scratch, 'libs/contracts/src/services.ts'), 'utf8')).toContain("'reviews'");
    expect(readFileSync(path.join(scratch, 'tools/dev/stack.mjs'), 'utf8')).toContain("'reviews'");
    expect(readFileSync(path.join(scratch, 'apps/gateway/src/app.module.ts'), 'utf8')).toContain('ReviewsGatewayModule,');

    writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { noEmit: true }, include: ['apps/**/*.ts', 'libs/**/*.ts'] }),
    );
    const typecheck = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    expect(typecheck.stdout + typecheck.stderr).toBe('');
    expect(typecheck.status).toBe(0);

    writeFileSync(
      path.join(scratch, 'jest.generated.config.js'),
      `const preset = require('./jest.preset');
module.exports = { testTimeout: 60000, projects: [{ ...preset, rootDir: __dirname, displayName: 'generated', roots: ['<rootDir>/apps/reviews'], testMatch: ['**/*.spec.ts', '**/*.int-spec.ts'] }] };`,
    );
    const tests = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', 'jest.generated.config.js', '--ci'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    const output = tests.stdout + tests.stderr;
    expect(output).toMatch(/health\.int-spec\.ts/);
    expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(tests.status).toBe(0);
  }, 180_000);

  it('refuses a bad name, and a service that exists, changing nothing', () => {
    const before = readFileSync(path.join(scratch, 'libs/contracts/src/services.ts'), 'utf8');
    for (const args of [['Bad-Name'], ['reviews'], []]) {
      const run = spawnSync(process.execPath, ['tools/generate/new-service.mjs', ...args], { cwd: scratch, encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^new:service: /);
    }
    expect(readFileSync(path.join(scratch, 'libs/contracts/src/services.ts'), 'utf8')).toBe(before);
  });
});
