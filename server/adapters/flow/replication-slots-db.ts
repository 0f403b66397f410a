import type pg from 'pg';
import type { ReplicationSlotPort } from '../../../reconcilers/ports/business-db.ts';

// The WAL a slot's consumer has not confirmed: for a logical slot (Debezium's) from its confirmed flush position,
// for a physical one from the position it still holds.
const SLOTS = `SELECT slot_name AS name, active AS is_active, slot_type = 'logical' AS is_logical,
    coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), coalesce(confirmed_flush_lsn, restart_lsn)), 0)::float8 AS lag_bytes
  FROM pg_replication_slots WHERE database = current_database() OR database IS NULL ORDER BY slot_name`;

/** The replication slots of a CDC outbox's database, read from PostgreSQL's own view. */
export function createReplicationSlotsDb(pool: pg.Pool): ReplicationSlotPort {
  return {
    async readSlots() {
      const { rows } = await pool.query<{ name: string; is_active: boolean; is_logical: boolean; lag_bytes: number }>(
        SLOTS,
      );
      return rows.map((r) => ({ name: r.name, isActive: r.is_active, isLogical: r.is_logical, lagBytes: r.lag_bytes }));
    },
  };
}
