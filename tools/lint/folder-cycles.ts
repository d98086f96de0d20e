import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as ts from 'typescript';

const SOURCE = /\.tsx?$/;
const DECLARATION = /\.d\.ts$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) && !DECLARATION.test(entry.name) ? [full] : [];
  });
}

/**
 * The folder directly under srcDir that holds `target` (a file, or a folder imported through its
 * index), or undefined for the files at srcDir's root and anything outside srcDir.
 */
function folderOf(srcDir: string, target: string): string | undefined {
  const rel = path.relative(srcDir, target);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const [first, ...rest] = rel.split(path.sep);
  if (rest.length > 0) return first;
  return existsSync(target) && statSync(target).isDirectory() ? first : undefined;
}

/**
 * Which folders each folder under appSrcDir imports from, by its relative imports and re-exports
 * (type-only ones included: they tie the folders together all the same). Files at the root of
 * appSrcDir (the module, main, config) wire the folders and stay outside the graph.
 */
export function folderImports(appSrcDir: string): Map<string, Set<string>> {
  const srcDir = path.resolve(appSrcDir);
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(srcDir)) {
    const from = folderOf(srcDir, file);
    if (from === undefined) continue;
    const targets = edges.get(from) ?? new Set<string>();
    edges.set(from, targets);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = folderOf(srcDir, path.resolve(path.dirname(file), fileName));
      if (to !== undefined && to !== from) targets.add(to);
    }
  }
  return edges;
}

/** Every elementary cycle of a small directed graph, each once, as a closed path from its first node by name. */
export function cyclesOf(edges: Map<string, Set<string>>): string[][] {
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((t) => [...t])])].sort();
  const cycles: string[][] = [];
  for (const start of nodes) {
    // Only nodes after `start` may follow it, so that each cycle is found once, from its first node.
    const walk = (node: string, pathSoFar: string[]) => {
      for (const next of [...(edges.get(node) ?? [])].sort()) {
        if (next === start) cycles.push([...pathSoFar, start]);
        else if (next > start && !pathSoFar.includes(next)) walk(next, [...pathSoFar, next]);
      }
    };
    walk(start, [start]);
  }
  return cycles;
}

/**
 * The import cycles between the folders directly under an app's src directory, e.g.
 * [['cards', 'payments', 'cards']]. Empty when imports between folders go one way only.
 */
export function folderCycles(appSrcDir: string): string[][] {
  return cyclesOf(folderImports(appSrcDir));
}
