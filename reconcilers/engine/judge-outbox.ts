import type { OutboxRow } from '../ports/business-db.ts';
import type { OutboxSnapshot } from '../snapshots/outbox.ts';
import type { DatabaseEngineContext } from './judge-orders.ts';

/** Unconfirmed rows read per cycle; past it, open findings are looked up one by one by message id instead. */
const UNCONFIRMED_LIMIT = 10_000;

export interface OutboxOutcome {
  opened: number;
  resolved: number;
  unknown: number;
  rowsRead: number;
  isFresh: boolean;
  /** When the oldest unconfirmed row (in flight or stuck) was written; null when there is none or it was not read. */
  oldestPendingAt: Date | null;
}

/** Reads the unconfirmed outbox rows (a small set: in flight plus stuck), runs the outbox kinds, stores the verdicts. */
export async function judgeOutbox(ctx: DatabaseEngineContext, now: Date): Promise<OutboxOutcome> {
  const openKeys = ctx.outboxKinds.flatMap((kind) => ctx.findings.openKeys(kind.kind));
  let snapshot: OutboxSnapshot;
  try {
    snapshot = { unconfirmed: await readUnconfirmed(ctx, openKeys, now), openKeys };
    ctx.health.success('orders');
  } catch (error) {
    ctx.health.failure('orders', error as Error);
    snapshot = { unconfirmed: undefined, openKeys };
  }
  const judgements = ctx.outboxKinds.flatMap((kind) => kind.detect(snapshot, now, ctx.settings));
  const { opened, resolved } = await ctx.findings.apply(judgements, now);
  const oldestPendingAt =
    snapshot.unconfirmed?.reduce<Date | null>((min, r) => (!min || r.createdAt < min ? r.createdAt : min), null) ??
    null;
  return {
    opened,
    resolved,
    unknown: judgements.filter((j) => j.verdict === 'unknown').length,
    rowsRead: snapshot.unconfirmed?.length ?? 0,
    isFresh: snapshot.unconfirmed !== undefined,
    oldestPendingAt,
  };
}

/**
 * Every unconfirmed outbox row (young ones included, for the oldest-pending metric) plus the rows of open findings
 * that did not fit in the list, so an open finding is never resolved because of the read limit.
 */
async function readUnconfirmed(ctx: DatabaseEngineContext, openKeys: readonly string[], now: Date) {
  const unconfirmed = await ctx.orders.listUnconfirmedOutbox(now, UNCONFIRMED_LIMIT);
  if (unconfirmed.length < UNCONFIRMED_LIMIT) return unconfirmed;
  const listed = new Set(unconfirmed.map((row) => row.messageId));
  const missing = openKeys.filter((key) => !listed.has(key));
  const rows: OutboxRow[] = missing.length ? await ctx.orders.findOutboxByMessageIds(missing) : [];
  return [...unconfirmed, ...rows.filter((row) => !row.confirmedAt)];
}
