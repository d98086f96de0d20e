import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Lints a throwaway file placed inside a project, as the boundary rule sees real files. */
function lintProbe(projectDir: string, source: string): string[] {
  const file = path.join(ROOT, projectDir, `__boundary_probe_${randomBytes(4).toString('hex')}.ts`);
  writeFileSync(file, source);
  try {
    // ESLint runs as its own process: its flat config is an ES module, which Jest's VM cannot load.
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/eslint'), ['--format', 'json', file], { cwd: ROOT, encoding: 'utf8' });
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
    return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
  } finally {
    unlinkSync(file);
  }
}

describe('module boundaries (lint)', () => {
  it('fails an import from one app into another', () => {
    const messages = lintProbe('apps/booking/src', "import { CatalogModule } from '../../catalog/src/catalog.module';\nexport const probe = CatalogModule;\n");
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('fails an import of the service kit from the contracts', () => {
    const messages = lintProbe('libs/contracts/src', "import { maskPhone } from '@o2o/platform';\nexport const probe = maskPhone;\n");
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('passes an app importing the shared libs', () => {
    const messages = lintProbe(
      'apps/booking/src',
      "import { maskPhone } from '@o2o/platform';\nimport { Channel } from '@o2o/contracts';\nexport const probe = [maskPhone, Channel];\n",
    );
    expect(messages).toEqual([]);
  });
});
