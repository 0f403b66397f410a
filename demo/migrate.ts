import { readdir, readFile } from 'node:fs/promises';
import type { Pool } from 'pg';

export type DemoDatabase = 'orders' | 'dispatch';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/**
 * Applies the numbered `.sql` files of one database once each, in order. Safe to run from several processes at
 * once: an advisory lock serialises them and `schema_migrations` remembers what was applied.
 */
export async function migrate(pool: Pool, database: DemoDatabase): Promise<string[]> {
  const dir = new URL(`${database}/`, MIGRATIONS_DIR);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('demo.migrate'))");
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = await client.query<{ name: string }>('SELECT name FROM schema_migrations');
    const doneNames = new Set(done.rows.map((r) => r.name));
    for (const file of files) {
      if (doneNames.has(file)) continue;
      await client.query(await readFile(new URL(file, dir), 'utf8'));
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw new Error(`migrating the ${database} database`, { cause: err });
  } finally {
    client.release();
  }
}
