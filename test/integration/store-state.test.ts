import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDING_KINDS } from '../../reconcilers/registry.ts';
import { migrateStore } from '../../server/store/migrate.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import type { ReconStore, SourceHealth } from '../../server/store/types.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';

const migrationFiles = async () =>
  (await readdir(new URL('../../server/store/migrations/', import.meta.url))).filter((f) => f.endsWith('.sql')).sort();

const makeHealth = (overrides: Partial<SourceHealth> = {}): SourceHealth => ({
  source: 'orders',
  up: true,
  lastSuccessAt: new Date('2030-01-01T00:00:00.123Z'),
  lastAttemptAt: new Date('2030-01-01T00:00:00.123Z'),
  lastError: null,
  ...overrides,
});

describe('watermarks, source health and migrations of the PostgreSQL store', () => {
  let db: ReconDb;
  let store: ReconStore;

  beforeAll(async () => {
    db = await createReconDb('state');
    store = createPgStore(db.pool);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('has no watermark for a stream that was never set', async () => {
    expect(await store.getWatermark('orders.changed')).toBeNull();
  });

  it('round-trips a watermark to the millisecond and overwrites it per stream', async () => {
    await store.setWatermark('orders', new Date('2030-01-01T00:00:00.123Z'));
    await store.setWatermark('dispatches', new Date('2030-01-01T00:00:01.000Z'));
    await store.setWatermark('orders', new Date('2030-01-01T00:00:05.456Z'));
    expect(await store.getWatermark('orders')).toEqual(new Date('2030-01-01T00:00:05.456Z'));
    expect(await store.getWatermark('dispatches')).toEqual(new Date('2030-01-01T00:00:01.000Z'));
  });

  it('keeps one health row per source, replaced by the latest report', async () => {
    await store.recordSourceHealth(makeHealth());
    await store.recordSourceHealth(makeHealth({ source: 'rabbitmq' }));
    const failure = makeHealth({
      up: false,
      lastSuccessAt: new Date('2030-01-01T00:00:00.123Z'),
      lastAttemptAt: new Date('2030-01-01T00:01:00.000Z'),
      lastError: 'connect ECONNREFUSED 127.0.0.1:5432',
    });
    await store.recordSourceHealth(failure);
    expect(await store.listSourceHealth()).toEqual([failure, makeHealth({ source: 'rabbitmq' })]);
  });

  it('keeps the last success time when a failure is reported without one', async () => {
    await store.recordSourceHealth(makeHealth({ source: 'dispatch' }));
    await store.recordSourceHealth(
      makeHealth({ source: 'dispatch', up: false, lastSuccessAt: null, lastError: 'timeout' }),
    );
    const dispatch = (await store.listSourceHealth()).find((h) => h.source === 'dispatch');
    expect(dispatch).toEqual(makeHealth({ source: 'dispatch', up: false, lastError: 'timeout' }));
  });

  it('applies each migration once, however often and however concurrently it runs', async () => {
    expect(await migrateStore(db.pool)).toEqual([]);
    expect(await Promise.all([migrateStore(db.pool), migrateStore(db.pool)])).toEqual([[], []]);
    const { rows } = await db.pool.query<{ name: string }>('SELECT name FROM recon_schema_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(await migrationFiles());
  });

  it('applies every migration to a fresh database, once, even when replicas start together', async () => {
    const fresh = await createReconDb('fresh', { migrate: false });
    try {
      const runs = await Promise.all([migrateStore(fresh.pool), migrateStore(fresh.pool), migrateStore(fresh.pool)]);
      expect(runs.flat()).toEqual(await migrationFiles());
      expect(await createPgStore(fresh.pool).openSummary()).toHaveLength(FINDING_KINDS.length);
    } finally {
      await fresh.destroy();
    }
  });
});
