#!/usr/bin/env node
// Makes a new service in the house style (docs/house-style.md) from tools/generate/template:
// the app (module, config, migrations, health), one domain folder (controller, service,
// repository, rules and their tests), its contracts folder, its gateway module, and a test
// harness built from the service's own module. It also registers the service where the stack
// lists its services. Placeholder services (a bare app.module.ts) are replaced.
//
// Usage: npm run new:service -- <name> [--domain <plural>] [--thing <singular>] [--root <dir>]
//   e.g. npm run new:service -- reviews --domain ratings --thing rating
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const TEMPLATE = path.join(import.meta.dirname, 'template');

function parseArgs(argv) {
  const args = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) args[argv[i].slice(2)] = argv[++i];
    else args._.push(argv[i]);
  }
  return args;
}

const pascal = (s) => s.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());
const camel = (s) => s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
const constant = (s) => s.replace(/-/g, '_').toUpperCase();

function fail(message) {
  process.stderr.write(`new:service: ${message}\n`);
  process.exit(2);
}

/** Every template file, as a path relative to the template folder. */
function templateFiles(dir = TEMPLATE) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? templateFiles(full) : [path.relative(TEMPLATE, full)];
  });
}

/** Edits a file by a function of its text; says when the anchor it needs is missing. */
function edit(root, file, change) {
  const full = path.join(root, file);
  const before = readFileSync(full, 'utf8');
  const after = change(before);
  if (after === undefined) fail(`${file} no longer looks as expected; add the service there by hand`);
  if (after !== before) writeFileSync(full, after);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const [service] = args._;
  if (!service || !/^[a-z][a-z0-9]{1,29}$/.test(service)) fail('give the service a name of 2 to 30 lowercase letters and digits, e.g. reviews');
  const domain = args.domain ?? 'items';
  const thing = args.thing ?? domain.replace(/s$/, '');
  if (!/^[a-z][a-z-]{1,29}$/.test(domain) || !/^[a-z][a-z-]{1,29}$/.test(thing) || domain === thing)
    fail('--domain (plural) and --thing (singular) are lowercase words, and differ');
  const root = path.resolve(args.root ?? path.join(import.meta.dirname, '../..'));
  if (!existsSync(path.join(root, 'nx.json'))) fail(`${root} is not the repository root`);

  const appDir = path.join(root, 'apps', service);
  if (existsSync(path.join(appDir, 'src', `${service}.module.ts`))) fail(`apps/${service} already exists`);
  const placeholder = path.join(appDir, 'src', 'app.module.ts');
  if (existsSync(placeholder)) {
    const extra = readdirSync(path.join(appDir, 'src')).filter((f) => !['app.module.ts', 'main.ts', 'migrate.ts', 'migrations'].includes(f));
    if (extra.length > 0) fail(`apps/${service} holds more than a placeholder (${extra.join(', ')})`);
    rmSync(placeholder);
  }

  const stamp = String(Date.now());
  const tokens = [
    ['__SERVICE__', constant(service)],
    ['__Service__', pascal(service)],
    ['__service__', service],
    ['__THING__', constant(thing)],
    ['__Thing__', pascal(thing)],
    ['__thing__', camel(thing)],
    ['__Domain__', pascal(domain)],
    ['__domain__', camel(domain)],
    ['__timestamp__', stamp],
  ];
  const fill = (text) => tokens.reduce((t, [token, value]) => t.split(token).join(value), text);

  const written = [];
  for (const file of templateFiles()) {
    const target = path.join(root, fill(file).replace(/\.tpl$/, ''));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, fill(readFileSync(path.join(TEMPLATE, file), 'utf8')));
    written.push(path.relative(root, target));
  }

  // Where the stack lists its services.
  edit(root, 'libs/contracts/src/services.ts', (t) => {
    const m = /export const SERVICE_NAMES = \[([^\]]*)\] as const;/.exec(t);
    if (!m) return undefined;
    return m[1].includes(`'${service}'`) ? t : t.replace(m[0], `export const SERVICE_NAMES = [${m[1]}, '${service}'] as const;`);
  });
  edit(root, 'libs/contracts/src/events.ts', (t) => {
    if (new RegExp(`^  ${service}: `, 'm').test(t)) return t;
    const anchor = 'export const EVENT_SUBSCRIPTIONS: Record<ServiceName, readonly EventName[]> = {\n';
    return t.includes(anchor) ? t.replace(anchor, `${anchor}  ${service}: [],\n`) : undefined;
  });
  edit(root, 'libs/contracts/src/index.ts', (t) => (t.includes(`'./${service}'`) ? t : `${t.trimEnd()}\nexport * from './${service}';\n`));
  edit(root, 'tools/dev/stack.mjs', (t) => {
    const m = /export const SERVICES = \[([^\]]*)\];/.exec(t);
    if (!m) return undefined;
    return m[1].includes(`'${service}'`) ? t : t.replace(m[0], `export const SERVICES = [${m[1]}, '${service}'];`);
  });
  edit(root, 'eslint.config.mjs', (t) => {
    const m = /const services = \[([^\]]*)\];/.exec(t);
    if (!m) return undefined;
    return m[1].includes(`'${service}'`) ? t : t.replace(m[0], `const services = [${m[1]}, '${service}'];`);
  });
  const gatewayModule = ['apps/gateway/src/gateway.module.ts', 'apps/gateway/src/app.module.ts'].find((f) => existsSync(path.join(root, f)));
  if (!gatewayModule) fail('the gateway module is missing');
  edit(root, gatewayModule, (t) => {
    const name = `${pascal(service)}GatewayModule`;
    if (t.includes(name)) return t;
    const anchor = '    // One module per back-end service.\n';
    const lastImport = t.lastIndexOf('\nimport ');
    if (!t.includes(anchor) || lastImport < 0) return undefined;
    const lineEnd = t.indexOf('\n', lastImport + 1);
    const withImport = `${t.slice(0, lineEnd)}\nimport { ${name} } from './${service}/${service}.module';${t.slice(lineEnd)}`;
    return withImport.replace(anchor, `${anchor}    ${name},\n`);
  });

  process.stdout.write(`made ${service} (domain ${domain}, ${thing}):\n${written.map((f) => `  ${f}`).join('\n')}\n`);
  process.stdout.write(
    `and registered it in libs/contracts (SERVICE_NAMES, EVENT_SUBSCRIPTIONS, index), tools/dev/stack.mjs, eslint.config.mjs and the gateway.\n`,
  );
  process.stdout.write(`Next: npx tsc -p tsconfig.json --noEmit && npx jest apps/${service}\n`);
}

main();
