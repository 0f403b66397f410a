import type pg from 'pg';
import { compare, type Exactness, type Expected } from './expected.ts';

/** Recon's answer is what its store holds open; any other open finding (a duplicate, a stuck outbox) is wrong too. */
export async function checkReconStore(recon: pg.Pool, expected: Expected): Promise<Exactness> {
  const { rows } = await recon.query<{ kind: string; key: string }>(
    "SELECT kind, key FROM findings WHERE state = 'open'",
  );
  const keysOf = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.key);
  const exactness = compare(
    { missing: keysOf('order-without-dispatch'), orphans: keysOf('dispatch-without-order') },
    expected,
  );
  const others = rows.filter((r) => r.kind !== 'order-without-dispatch' && r.kind !== 'dispatch-without-order').length;
  return { ...exactness, isExact: exactness.isExact && others === 0 };
}

/** Starts Recon's store empty: no findings, no watermarks, no source health. */
export async function clearReconStore(recon: pg.Pool): Promise<void> {
  await recon.query('TRUNCATE findings, watermarks, source_health');
}
