import type { ReplicationSlotsSnapshot } from '../snapshots/replication-slots.ts';
import type { DatabaseEngineContext } from './judge-orders.ts';

/** Reads a CDC outbox's replication slots, runs the slot kinds, stores the verdicts. */
export async function judgeSlots(ctx: DatabaseEngineContext, now: Date): Promise<{ opened: number; resolved: number }> {
  if (!ctx.slots) return { opened: 0, resolved: 0 };
  const { port, slot, maxLagBytes, kinds } = ctx.slots;
  const openKeys = kinds.flatMap((kind) => ctx.findings.openKeys(kind.kind));
  let snapshot: ReplicationSlotsSnapshot;
  try {
    snapshot = { slots: await port.readSlots(), slot, openKeys };
    ctx.health.success('orders');
  } catch (error) {
    ctx.health.failure('orders', error as Error);
    snapshot = { slots: undefined, slot, openKeys };
  }
  const judgements = kinds.flatMap((kind) => kind.detect(snapshot, now, { maxLagBytes }));
  return ctx.findings.apply(judgements, now);
}
