import type { INestApplicationContext, Type } from '@nestjs/common';
import { Test, TestingModule, TestingModuleBuilder } from '@nestjs/testing';
import type { MixedList } from 'typeorm';
import { TEST_REDIS_URL } from './infra';
import { createTestDatabase, TestDatabase } from './test-database';
import { clearNamespace, testNamespace } from './test-redis';

export interface ServiceHarnessOptions {
  /** The service's own root module, exactly as main.ts boots it. */
  module: Type<unknown>;
  /** Its schema and migrations: the test database is cloned from a template migrated with them. */
  schema: string;
  migrations: MixedList<Function>;
  /** Extra settings, read by the module's config as if from the environment. */
  env?: Record<string, string>;
  /** Replaces providers before compiling, e.g. the clock: `b => b.overrideProvider(CLOCK).useValue(clock)`. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /**
   * Serves the module over the real transport (the kit's serveForTests), so that tests can send it
   * messages; without it the module is only initialised and tests call its providers.
   */
  serve?: (module: TestingModule) => Promise<Served>;
}

/** A served module: messages go through the service's whole pipeline. */
export interface Served {
  call<T>(pattern: string, data: unknown, options?: { actor?: unknown; requestId?: string }): Promise<T>;
  close(): Promise<void>;
}

export interface ServiceHarness {
  module: TestingModule;
  db: TestDatabase;
  namespace: string;
  get<T>(type: Type<T> | string | symbol): T;
  /** A message over the transport; only for a harness made with `serve`. */
  call<T>(pattern: string, data: unknown, options?: { actor?: unknown; requestId?: string }): Promise<T>;
  /** Stops the module (its consumers, jobs and connections), then drops its database and keys. */
  close(): Promise<void>;
}

/**
 * A service built from its own Nest module, over a database and a Redis namespace of the test's
 * own: the same providers, lifecycle (relay, consumers, jobs) and configuration as in production,
 * with only what the test overrides replaced.
 */
export async function createServiceHarness(options: ServiceHarnessOptions): Promise<ServiceHarness> {
  const db = await createTestDatabase([{ schema: options.schema, migrations: options.migrations }]);
  const namespace = testNamespace();
  const env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, O2O_NAMESPACE: namespace, LOG_LEVEL: 'silent', ...options.env };
  // The module reads its configuration when its providers are made, from this process's environment.
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let module: TestingModule;
  let served: Served | undefined;
  try {
    const builder = Test.createTestingModule({ imports: [options.module] });
    module = await (options.override?.(builder) ?? builder).compile();
    // A served module is initialised by its microservice, which runs the lifecycle once.
    if (options.serve) served = await options.serve(module);
    else await module.init();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return {
    module,
    db,
    namespace,
    get: <T>(type: Type<T> | string | symbol) => (module as INestApplicationContext).get<T>(type, { strict: false }),
    call<T>(pattern: string, data: unknown, callOptions?: { actor?: unknown; requestId?: string }): Promise<T> {
      if (!served) throw new Error('This harness does not serve its module: create it with `serve`');
      return served.call<T>(pattern, data, callOptions);
    },
    async close() {
      if (served) await served.close();
      else await module.close();
      await clearNamespace(namespace);
      await db.drop();
    },
  };
}
