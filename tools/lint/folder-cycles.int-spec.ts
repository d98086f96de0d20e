import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cyclesOf, folderCycles } from './folder-cycles';

const ROOT = path.resolve(__dirname, '../..');

/** Apps whose folders must import one way only. Add an app here once it has no folder cycles. */
/** Every app: the house style allows no folder cycles inside any of them. */
const APPS = readdirSync(path.join(ROOT, 'apps'));

/** Writes files (path → source) into a fresh directory; answers its path. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'folder-cycles-'));
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), source);
  }
  return dir;
}

describe('folder cycles', () => {
  const made: string[] = [];
  const src = (files: Record<string, string>) => {
    const dir = tree(files);
    made.push(dir);
    return dir;
  };
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it.each([
    [{}, []],
    [{ a: ['b'], b: ['c'] }, []],
    [{ a: ['b'], b: ['a'] }, [['a', 'b', 'a']]],
    [{ a: ['b'], b: ['c'], c: ['a'] }, [['a', 'b', 'c', 'a']]],
    [
      { a: ['b', 'c'], b: ['a'], c: ['a'] },
      [
        ['a', 'b', 'a'],
        ['a', 'c', 'a'],
      ],
    ],
    [{ c: ['b'], b: ['c'], a: ['b'] }, [['b', 'c', 'b']]],
  ])('finds in %j the cycles %j', (graph, cycles) => {
    const edges = new Map(Object.entries(graph).map(([from, to]) => [from, new Set(to)]));
    expect(cyclesOf(edges)).toEqual(cycles);
  });

  it('reads imports, re-exports and type-only imports between folders, through an index too', () => {
    const dir = src({
      'cards/cards.service.ts': "import { Terms } from '../campaigns/terms';\nexport const x: Terms = 1;\n",
      'campaigns/terms.ts': "export type Terms = number;\nexport * from '../payments';\n",
      'payments/index.ts': "import type { X } from '../cards/cards.service';\nexport type Y = X;\n",
    });
    expect(folderCycles(dir)).toEqual([['campaigns', 'payments', 'cards', 'campaigns']]);
  });

  it('leaves out the files at the root, imports within a folder, and imports leaving src', () => {
    const dir = src({
      'app.module.ts': "import { A } from './a/a';\nimport { B } from './b/b';\nexport const m = [A, B];\n",
      'a/a.ts': "import { c } from '../config';\nimport { h } from '../../test/harness';\nimport { n } from './nested/n';\nexport const A = [c, h, n];\n",
      'a/nested/n.ts': "import { B } from '../../b/b';\nexport const n = B;\n",
      'b/b.ts': "import { c } from '../config';\nimport { Actor } from '@o2o/contracts';\nexport const B = c as unknown as Actor;\n",
      'config.ts': "import { A } from './a/a';\nexport const c = A;\n",
    });
    expect(folderCycles(dir)).toEqual([]);
  });

  it.each(APPS)('apps/%s/src: its folders import one way only', (app) => {
    expect(folderCycles(path.join(ROOT, 'apps', app, 'src'))).toEqual([]);
  });
});
