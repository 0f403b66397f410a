import type { OutboxPort, OutboxRow } from '../ports/business-db.ts';
import type { OutboxSnapshot } from '../snapshots/outbox.ts';
import type { DatabaseEngineContext } from './judge-orders.ts';

/** Unpublished rows read per cycle; past it, open findings are looked up by message id instead. */
const UNPUBLISHED_LIMIT = 10_000;

export interface OutboxOutcome {
  opened: number;
  resolved: number;
  unknown: number;
  rowsRead: number;
  isFresh: boolean;
  /** When the oldest unpublished row (in flight or stuck) was written; null when there is none or it was not read. */
  oldestPendingAt: Date | null;
}

/** Reads the unpublished outbox rows (a small set: in flight plus stuck), runs the outbox kinds, stores the verdicts. */
export async function judgeOutbox(ctx: DatabaseEngineContext, now: Date): Promise<OutboxOutcome> {
  const openKeys = ctx.outboxKinds.flatMap((kind) => ctx.findings.openKeys(kind.kind));
  const { outbox } = ctx;
  // No outbox to read: nothing can be stuck in one, and a finding left from another configuration resolves.
  if (!outbox) return judgeSnapshot(ctx, now, { unpublished: [], openKeys });
  let snapshot: OutboxSnapshot;
  try {
    snapshot = { unpublished: await readUnpublished(outbox, openKeys, now), openKeys };
    ctx.health.success('orders');
  } catch (error) {
    ctx.health.failure('orders', error as Error);
    snapshot = { unpublished: undefined, openKeys };
  }
  return judgeSnapshot(ctx, now, snapshot);
}

async function judgeSnapshot(ctx: DatabaseEngineContext, now: Date, snapshot: OutboxSnapshot): Promise<OutboxOutcome> {
  const judgements = ctx.outboxKinds.flatMap((kind) => kind.detect(snapshot, now, ctx.settings));
  const { opened, resolved } = await ctx.findings.apply(judgements, now);
  const oldestPendingAt =
    snapshot.unpublished?.reduce<Date | null>((min, r) => (!min || r.createdAt < min ? r.createdAt : min), null) ??
    null;
  return {
    opened,
    resolved,
    unknown: judgements.filter((j) => j.verdict === 'unknown').length,
    rowsRead: snapshot.unpublished?.length ?? 0,
    isFresh: snapshot.unpublished !== undefined,
    oldestPendingAt,
  };
}

/**
 * Every outbox row not yet published (young ones included, for the oldest-pending metric) plus the rows of open
 * findings that did not fit in the list, so an open finding is never resolved because of the read limit.
 */
async function readUnpublished(outbox: OutboxPort, openKeys: readonly string[], now: Date) {
  const unpublished = await outbox.listUnpublished(now, UNPUBLISHED_LIMIT);
  if (unpublished.length < UNPUBLISHED_LIMIT) return unpublished;
  const listed = new Set(unpublished.map((row) => row.messageId));
  const missing = openKeys.filter((key) => !listed.has(key));
  const rows: OutboxRow[] = missing.length ? await outbox.findUnpublished(missing) : [];
  return [...unpublished, ...rows];
}
