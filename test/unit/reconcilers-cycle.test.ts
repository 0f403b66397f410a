import { describe, expect, it } from 'vitest';
import { createDatabaseEngine } from '../../reconcilers/engine/database-engine.ts';
import { createFindingsWriter } from '../../reconcilers/engine/findings-writer.ts';
import { runIncrementalCycle } from '../../reconcilers/engine/incremental-cycle.ts';
import type { DatabaseEngineContext } from '../../reconcilers/engine/judge-orders.ts';
import { LAST_SEEN_REFRESH_MS } from '../../reconcilers/engine/store-changes.ts';
import type { DispatchPort, DispatchRow, OrderRow, OrdersPort } from '../../reconcilers/ports/business-db.ts';
import type {
  FindingChange,
  FindingsPort,
  OpenFinding,
  WatermarkPort,
} from '../../reconcilers/ports/findings-store.ts';
import { type FindingKind, kindsReading } from '../../reconcilers/registry.ts';
import { findingId } from '../../reconcilers/vocabulary.ts';
import { GRACE_MS, makeDispatch, makeOrder, NOW, secondsAgo } from '../support/builders.ts';

const A = '0a000000-0000-4000-8000-000000000000';
const B = '0b000000-0000-4000-8000-000000000000';
const C = '0c000000-0000-4000-8000-000000000000';
const LAST_CYCLE = secondsAgo(300);

/** Rows changed after the last cycle carry a position the keyset pages compare as text. */
const changed = <T extends { updatedAt: Date }>(row: T): T => ({
  ...row,
  updatedAt: secondsAgo(120),
  position: secondsAgo(120).toISOString(),
});

describe('the incremental cycle', () => {
  it('judges a changed order from the row it read, looking up only its dispatches', async () => {
    const world = makeWorld({ orders: [changed(makeOrder({ id: A }))], dispatches: [makeDispatch({ orderId: A })] });
    await world.cycle();

    expect(world.lookups.orders).toEqual([]);
    expect(world.lookups.dispatches).toEqual([[A]]);
  });

  it('re-checks an open finding whose rows did not change, and resolves it when its order is gone', async () => {
    const world = makeWorld({ orders: [], dispatches: [] });
    world.open('order-without-dispatch', A);
    const report = await world.cycle();

    expect(world.lookups.orders).toEqual([[A]]);
    expect(report.resolved).toBe(1);
    expect(world.findings.get(findingId('order-without-dispatch', A))).toBe('resolved');
  });

  it('leaves the open findings no changed row brought alone when no re-check is due', async () => {
    const world = makeWorld({ orders: [changed(makeOrder({ id: A }))], dispatches: [makeDispatch({ orderId: A })] });
    world.open('order-without-dispatch', B);
    const report = await runIncrementalCycle(world.ctx, { now: NOW, recheck: false });

    expect(report.rechecked).toBe(false);
    expect(world.lookups.orders).toEqual([]);
    expect(world.lookups.dispatches).toEqual([[A]]);
    expect(world.findings.get(findingId('order-without-dispatch', B))).toBe('open');
  });

  it('looks up an order with an open finding once when its row also changed', async () => {
    const world = makeWorld({ orders: [changed(makeOrder({ id: A })), makeOrder({ id: B })], dispatches: [] });
    world.open('order-without-dispatch', A);
    world.open('order-without-dispatch', B);
    await world.cycle();

    expect(world.lookups.dispatches.flat().sort()).toEqual([A, B]);
    expect(world.lookups.orders).toEqual([[B]]);
  });

  it('sends the store no ok about a finding that is not open, but every mismatch and every resolving ok', async () => {
    const world = makeWorld({
      orders: [changed(makeOrder({ id: A })), changed(makeOrder({ id: B })), makeOrder({ id: C })],
      dispatches: [makeDispatch({ orderId: A })],
    });
    world.open('order-without-dispatch', A);
    await world.cycle();

    const sent = world.applied.flat().map((j) => `${j.verdict} ${j.kind}:${j.key}`);
    expect(sent.sort()).toEqual([`mismatch order-without-dispatch:${B}`, `ok order-without-dispatch:${A}`]);
  });

  it('sends a re-checked mismatch only when the store would change: new evidence, or a lastSeenAt refresh due', async () => {
    const world = makeWorld({ orders: [makeOrder({ id: B })], dispatches: [] });
    const id = findingId('order-without-dispatch', B);
    world.open('order-without-dispatch', B, { severity: 'critical', evidence: { orderId: B } });
    const sent = async () => {
      world.applied.length = 0;
      await world.cycle();
      return world.applied.flat().map((j) => `${j.verdict} ${j.kind}:${j.key}`);
    };

    expect(await sent()).toEqual([`mismatch order-without-dispatch:${B}`]);
    // The store's jsonb orders keys its own way; the same evidence in another key order is no change.
    const { evidence } = world.stored.get(id)!;
    world.stored.set(id, {
      ...world.stored.get(id)!,
      evidence: Object.fromEntries(Object.entries(evidence as Record<string, unknown>).reverse()),
    });
    expect(await sent()).toEqual([]);
    world.stored.set(id, { ...world.stored.get(id)!, lastSeenAt: new Date(NOW.getTime() - LAST_SEEN_REFRESH_MS - 1) });
    expect(await sent()).toEqual([`mismatch order-without-dispatch:${B}`]);
    world.stored.set(id, { ...world.stored.get(id)!, severity: 'warning' });
    expect(await sent()).toEqual([`mismatch order-without-dispatch:${B}`]);
    expect(await sent()).toEqual([]);
  });

  it('stores the later lookup of an order last when both streams bring it at once', async () => {
    // The order's dispatch commits between the two lookups; storing the first one slowly must not undo the second.
    const dispatch = changed(makeDispatch({ orderId: A }));
    const world = makeWorld({ orders: [changed(makeOrder({ id: A }))], dispatches: [] });
    world.dispatchRows.push(dispatch);
    let calls = 0;
    world.dispatch.findDispatchesByOrderIds = async (ids) => {
      calls += 1;
      return calls === 1 ? [] : world.dispatchRows.filter((d) => ids.includes(d.orderId));
    };
    world.slowFirstApply();
    const report = await world.cycle();

    expect(report).toMatchObject({ opened: 1, resolved: 1 });
    expect(world.findings.get(findingId('order-without-dispatch', A))).toBe('resolved');
  });

  it("fails the cycle when Recon's store cannot be read, blaming no source and moving no watermark", async () => {
    const world = makeWorld({ orders: [changed(makeOrder({ id: A }))], dispatches: [makeDispatch({ orderId: A })] });
    const blamed: string[] = [];
    world.ctx.health.failure = (side) => void blamed.push(side);
    world.store.openFindings = async () => {
      throw new Error('recon store down');
    };

    await expect(world.cycle()).rejects.toThrow('recon store down');
    expect(blamed).toEqual([]);
    expect(world.watermarks.get('orders')).toEqual(LAST_CYCLE);
  });

  it('fails the cycle when the store cannot be read even with no changed rows to judge', async () => {
    const world = makeWorld({ orders: [], dispatches: [] });
    world.store.openFindings = async () => {
      throw new Error('recon store down');
    };
    await expect(world.cycle()).rejects.toThrow('recon store down');
  });

  it('takes no more re-check batches once one fails, and fails only after the others stopped', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `order-${String(i).padStart(2, '0')}`);
    const world = makeWorld({ orders: ids.map((id) => makeOrder({ id })), dispatches: [] });
    for (const id of ids) world.open('order-without-dispatch', id); // stored evidence {}: every verdict is news
    // The first batch's write fails at once; the second one's succeeds a little later.
    let writes = 0;
    world.store.writeFindings = async () => {
      writes += 1;
      if (writes === 1) throw new Error('recon store down');
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { opened: 0, resolved: 0 };
    };

    await expect(world.cycle()).rejects.toThrow('recon store down');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(world.lookups.orders.map((batch) => batch.length)).toEqual([10, 10]); // the third batch (5) never ran
  });

  it('moves both watermarks to the closed upper bound after reading both sides', async () => {
    const world = makeWorld({ orders: [changed(makeOrder({ id: A }))], dispatches: [makeDispatch({ orderId: A })] });
    await world.cycle();

    const until = new Date(NOW.getTime() - GRACE_MS);
    expect(world.watermarks).toEqual(
      new Map([
        ['orders', until],
        ['dispatches', until],
      ]),
    );
  });
});

describe('the database engine', () => {
  const engineOf = (world: ReturnType<typeof makeWorld>) =>
    createDatabaseEngine({
      ...world.ctx,
      store: world.store,
      recheckIntervalMs: 60_000,
    });
  const later = (ms: number) => new Date(NOW.getTime() + ms);

  it('re-checks the open findings at its first cycle, then once the re-check interval has passed', async () => {
    const world = makeWorld({ orders: [], dispatches: [] });
    world.open('order-without-dispatch', A);
    const engine = engineOf(world);

    expect((await engine.runCycle(NOW)).rechecked).toBe(true);
    world.open('order-without-dispatch', B); // another finding opened since: nothing announces that its order is gone
    expect((await engine.runCycle(later(30_000))).rechecked).toBe(false);
    expect(world.findings.get(findingId('order-without-dispatch', B))).toBe('open');
    const report = await engine.runCycle(later(60_000));
    expect(report).toMatchObject({ rechecked: true, resolved: 1 });
    expect(world.findings.get(findingId('order-without-dispatch', B))).toBe('resolved');
  });

  it('re-reads the open findings and re-checks them after a reset (this replica became the leader again)', async () => {
    const world = makeWorld({ orders: [], dispatches: [] });
    const engine = engineOf(world);
    await engine.runCycle(NOW);
    world.open('order-without-dispatch', A); // written by another leader meanwhile
    engine.reset();

    expect(await engine.runCycle(later(1_000))).toMatchObject({ rechecked: true, resolved: 1 });
  });
});

/** Both databases and Recon's store in memory, recording what the cycle asked of them. */
function makeWorld(data: { orders: OrderRow[]; dispatches: DispatchRow[] }) {
  const orderRows = [...data.orders];
  const dispatchRows = [...data.dispatches];
  const lookups = { orders: [] as string[][], dispatches: [] as string[][] };
  const findings = new Map<string, 'open' | 'resolved'>();
  /** What the store holds of each finding's last mismatch. */
  const stored = new Map<string, Omit<OpenFinding, 'key'>>();
  const applied: FindingChange[][] = [];
  const watermarks = new Map<string, Date>([
    ['orders', LAST_CYCLE],
    ['dispatches', LAST_CYCLE],
  ]);
  let applyDelayMs = 0;

  const changedPage = <T extends { updatedAt: Date; position: string; id: string }>(
    rows: T[],
    after: { after: string; id: string | null },
    until: Date,
    limit: number,
  ) =>
    rows
      .filter((r) => r.updatedAt > new Date(after.after) && r.updatedAt <= until)
      .filter((r) => after.id === null || r.position > after.after || (r.position === after.after && r.id > after.id))
      .sort((a, b) => a.position.localeCompare(b.position) || a.id.localeCompare(b.id))
      .slice(0, limit);

  const orders: OrdersPort = {
    keyFamily: async () => 'uuid',
    pageChangedOrders: async (after, until, limit) => changedPage(orderRows, after, until, limit),
    findOrders: async (ids) => {
      lookups.orders.push([...ids]);
      return orderRows.filter((o) => ids.includes(o.id));
    },
    orderIdsInKeyOrder: async function* () {},
  };
  const dispatch: DispatchPort = {
    pageChangedDispatches: async (after, until, limit) => changedPage(dispatchRows, after, until, limit),
    findDispatchesByOrderIds: async (ids) => {
      lookups.dispatches.push([...ids]);
      return dispatchRows.filter((d) => ids.includes(d.orderId));
    },
    findDispatchesByReferences: async (references) => dispatchRows.filter((d) => references.includes(d.orderId)),
    dispatchedOrderIdsInKeyOrder: async function* () {},
  };
  const openOf = (kind: string, key: string) => ({ key, ...stored.get(findingId(kind, key))! });
  const store: FindingsPort & WatermarkPort = {
    async writeFindings(changes) {
      applied.push([...changes]);
      if (changes.length > 0 && applyDelayMs > 0) {
        const delayMs = applyDelayMs;
        applyDelayMs = 0;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      let opened = 0;
      let resolved = 0;
      for (const change of changes) {
        const id = findingId(change.kind, change.key);
        if (change.verdict === 'mismatch') {
          if (findings.get(id) !== 'open') opened += 1;
          findings.set(id, 'open');
          stored.set(id, { severity: change.severity, evidence: change.evidence, lastSeenAt: NOW });
        } else if (findings.get(id) === 'open') {
          resolved += 1;
          findings.set(id, 'resolved');
        }
      }
      return { opened, resolved };
    },
    async openFindings(kind, afterKey, limit) {
      return [...findings]
        .filter(([id, state]) => state === 'open' && id.startsWith(`${kind}:`))
        .map(([id]) => id.slice(kind.length + 1))
        .filter((key) => afterKey === null || key > afterKey)
        .sort()
        .slice(0, limit)
        .map((key) => openOf(kind, key));
    },
    async openFindingsByIds(ids) {
      return ids
        .filter((id) => findings.get(id) === 'open')
        .map((id) => {
          const kind = id.slice(0, id.indexOf(':'));
          return { kind, ...openOf(kind, id.slice(kind.length + 1)) };
        });
    },
    getWatermark: async (stream) => watermarks.get(stream) ?? null,
    async setWatermark(stream, at) {
      watermarks.set(stream, at);
    },
  };
  const orderKinds = kindsReading('order-dispatch');
  const referenceKinds = kindsReading('order-references');
  const outboxKinds = kindsReading('outbox');
  const ctx: DatabaseEngineContext = {
    orders,
    dispatch,
    outbox: { listUnpublished: async () => [], findUnpublished: async () => [] },
    orderKinds,
    referenceKinds,
    outboxKinds,
    slots: null,
    findings: createFindingsWriter(store, [...orderKinds, ...referenceKinds, ...outboxKinds]),
    watermarks: store,
    settings: { graceMs: GRACE_MS },
    overlapMs: 0,
    pageSize: 10,
    health: {
      success: () => {},
      failure: (side, error) => {
        throw new Error(`${side} failed: ${error.message}`);
      },
    },
  };
  return {
    ctx,
    orders,
    dispatch,
    store,
    lookups,
    findings,
    stored,
    applied,
    watermarks,
    dispatchRows,
    /** One cycle with the re-check of open findings due. */
    cycle: () => runIncrementalCycle(ctx, { now: NOW, recheck: true }),
    open(kind: FindingKind, key: string, finding: Partial<Omit<OpenFinding, 'key'>> = {}) {
      findings.set(findingId(kind, key), 'open');
      stored.set(findingId(kind, key), { severity: 'warning', evidence: {}, lastSeenAt: NOW, ...finding });
    },
    /** Makes the next store call that changes something take a while, as a slow statement would. */
    slowFirstApply: () => {
      applyDelayMs = 50;
    },
  };
}
