// Where a benchmark's figures go: bench/results/<name>-<id>.json (gitignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Writes the summary and answers its path, relative to the repository. */
export function writeResults(name, id, summary) {
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const out = path.join(ROOT, 'bench/results', `${name}-${id}.json`);
  writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
  return path.relative(ROOT, out);
}
