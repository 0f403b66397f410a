import type pg from 'pg';
import { createDispatchDb } from './adapters/flow/dispatch-db.ts';
import { createDispatchRepairDb } from './adapters/flow/dispatch-repair-db.ts';
import { createOrdersDb } from './adapters/flow/orders-db.ts';
import { createOrdersRepairDb } from './adapters/flow/orders-repair-db.ts';
import { createOutboxDb } from './adapters/flow/outbox-db.ts';
import { createReplicationSlotsDb } from './adapters/flow/replication-slots-db.ts';
import { createTimelineDb } from './adapters/flow/timeline-db.ts';
import { createPgPool } from './adapters/postgres.ts';
import { capabilitiesOf } from './watched-system/capabilities.ts';
import type { WatchedSystem } from './watched-system/model.ts';

/**
 * The watched flow's adapters, over one pool per configured database: what the engines, the repairs and the
 * timeline read and write through. The dispatch side judges its order references as the orders' id column's keys.
 */
export function createFlowAdapters(watched: WatchedSystem, { applicationName = 'recon' } = {}) {
  const { flow } = watched;
  const pools = new Map<string, pg.Pool>(
    Object.entries(watched.databases).map(([name, { url }]) => [name, createPgPool(url, { applicationName })]),
  );
  const pool = (name: string) => pools.get(name)!;
  const database = (name: string) => watched.databases[name]!;
  const orders = createOrdersDb(pool(flow.order.database), flow, database(flow.order.database));
  const keyFamily = () => orders.keyFamily();
  const outboxDatabase = flow.outbox ? flow.outbox.database : null;
  const inboxPool = flow.inbox ? pool(flow.inbox.database) : null;
  const pending = flow.outbox?.pending;
  return {
    pools,
    /** The pools of the order and dispatch sides, as the action publisher's checks name them. */
    ordersPool: pool(flow.order.database),
    orders,
    dispatch: createDispatchDb(pool(flow.dispatch.database), flow, database(flow.dispatch.database), keyFamily),
    outbox:
      flow.outbox && outboxDatabase
        ? createOutboxDb(pool(outboxDatabase), flow.outbox, database(outboxDatabase))
        : null,
    slots:
      pending?.kind === 'replication-slot' && outboxDatabase
        ? { port: createReplicationSlotsDb(pool(outboxDatabase)), slot: pending.slot, maxLagBytes: pending.maxLagBytes }
        : null,
    repairs: {
      orders: createOrdersRepairDb(
        { orders: pool(flow.order.database), outbox: outboxDatabase ? pool(outboxDatabase) : null },
        flow,
        { orders: database(flow.order.database), outbox: outboxDatabase ? database(outboxDatabase) : null },
      ),
      dispatch: createDispatchRepairDb(
        { dispatch: pool(flow.dispatch.database), inbox: inboxPool },
        flow,
        database(flow.dispatch.database),
        keyFamily,
      ),
    },
    timeline: createTimelineDb(
      {
        orders: pool(flow.order.database),
        dispatch: pool(flow.dispatch.database),
        outbox: outboxDatabase ? pool(outboxDatabase) : null,
        inbox: inboxPool,
      },
      flow,
      {
        orders: database(flow.order.database),
        dispatch: database(flow.dispatch.database),
        outbox: outboxDatabase ? database(outboxDatabase) : null,
        inbox: flow.inbox ? database(flow.inbox.database) : null,
      },
      keyFamily,
    ),
    capabilities: capabilitiesOf(flow),
    close: () => Promise.all([...pools.values()].map((p) => p.end())),
  };
}

export type FlowAdapters = ReturnType<typeof createFlowAdapters>;
