// The statements some work sends to Postgres, through any pg client of this process: a benchmark's
// way to count round trips, and to build an equal-work floor from the service's own SQL.
import pg from 'pg';

/** Runs the work and answers its result and every statement sent meanwhile, in order: { text, values }. */
export async function recordStatements(work) {
  const original = pg.Client.prototype.query;
  const statements = [];
  pg.Client.prototype.query = function (config, values, ...rest) {
    const text = typeof config === 'string' ? config : config?.text;
    statements.push({ text, values: Array.isArray(values) ? values : config?.values });
    return original.call(this, config, values, ...rest);
  };
  try {
    return { result: await work(), statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}

/** A statement's text on one line, for reports and comparisons. */
export const oneLine = (text) => text.replace(/\s+/g, ' ').trim();
