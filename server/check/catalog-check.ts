import type { KeyFamily } from '../../reconcilers/keys.ts';
import { createReplicationSlotsDb } from '../adapters/flow/replication-slots-db.ts';
import { capabilitiesOf } from '../watched-system/capabilities.ts';
import { child } from '../watched-system/issues.ts';
import type { Outbox, WatchedSystem } from '../watched-system/model.ts';
import { connectDatabases } from './database-check.ts';
import { checkIndexes } from './index-check.ts';
import { indexNeeds } from './index-needs.ts';
import { mappedTables, type Role } from './mapped-tables.ts';
import type { CheckItem } from './report.ts';
import { checkTable } from './table-check.ts';

// The databases' side of `recon check`: connect to each database, then every mapped table, its columns and
// conditions, the indexes its statements need, and a CDC outbox's replication slot. The order table goes first:
// its id column's type decides how the dispatch's order reference is compared.

export async function checkCatalog(system: WatchedSystem): Promise<CheckItem[]> {
  const databases = await connectDatabases(system);
  try {
    const items = [...databases.items];
    const { needs, unindexable } = indexNeeds(system.flow);
    const writes = writesOf(system);
    let orderKeys: KeyFamily | null = null;
    for (const mapped of mappedTables(system)) {
      const pool = databases.pools.get(mapped.database);
      if (!pool) {
        items.push({
          section: mapped.role,
          kind: 'table',
          status: 'info',
          name: mapped.table,
          configPaths: [mapped.tableKey],
          detail: `not checked: database ${mapped.database} is not reachable`,
          database: mapped.database,
          table: mapped.table,
        });
        continue;
      }
      const timeZone = system.databases[mapped.database]!.timeZone;
      const table = await checkTable(pool, mapped, timeZone, orderKeys, writes[mapped.role]);
      if (mapped.role === 'order') orderKeys = table.keyFamily ?? null;
      items.push(...table.items);
      if (table.columns === null) continue;
      const columns = table.columns;
      const mine = <T extends { role: Role }>(list: T[]) => list.filter((need) => need.role === mapped.role);
      items.push(...(await checkIndexes(pool, mapped, mine(needs), mine(unindexable), (name) => columns.has(name))));
      if (mapped.role === 'outbox' && system.flow.outbox?.pending.kind === 'replication-slot')
        items.push(await checkSlot(pool, system.flow.outbox, mapped.database));
    }
    return items;
  } finally {
    await databases.close();
  }
}

/** What the offered repairs write, per table: the user Recon connects as must be allowed to. */
function writesOf(system: WatchedSystem): Record<Role, string[]> {
  const can = capabilitiesOf(system.flow);
  return {
    order: can.has('order-snapshot') ? ['INSERT'] : [],
    outbox: can.has('outbox-republish') ? ['UPDATE'] : [],
    dispatch: can.has('dispatch-status') ? ['UPDATE'] : [],
    inbox: [],
  };
}

/** Debezium: what is not yet published is the connector's slot lag, so the slot must be there to be read. */
async function checkSlot(pool: Parameters<typeof createReplicationSlotsDb>[0], outbox: Outbox, database: string) {
  const pending = outbox.pending as Extract<Outbox['pending'], { kind: 'replication-slot' }>;
  const configKey = child('flows[0].outbox', 'replicationSlot');
  const slots = await createReplicationSlotsDb(pool).readSlots();
  const base = { section: 'outbox' as const, kind: 'slot' as const, configPaths: [configKey], database };
  const named =
    pending.slot === null ? (slots.length === 1 ? slots[0] : undefined) : slots.find((s) => s.name === pending.slot);
  if (named)
    return {
      ...base,
      status: 'ok' as const,
      name: named.name,
      detail: `${named.isActive ? 'active' : 'not active'}, ${named.lagBytes} bytes behind (stuck past ${pending.maxLagBytes})`,
    };
  if (pending.slot === null && slots.length > 1)
    return {
      ...base,
      status: 'error' as const,
      name: '(none named)',
      detail: `database ${database} has ${slots.length} replication slots (${slots.map((s) => s.name).join(', ')}): name the connector's in ${configKey}`,
    };
  return {
    ...base,
    status: 'warn' as const,
    name: pending.slot ?? '(the only one)',
    detail: `database ${database} has no ${pending.slot === null ? 'replication slot' : `replication slot ${pending.slot}`}: the connector has not created it (yet), and Recon reports outbox-slot-lag until it does`,
  };
}
