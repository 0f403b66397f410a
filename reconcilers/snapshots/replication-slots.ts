/** A logical (or physical) replication slot as PostgreSQL reports it: what a CDC outbox connector reads through. */
export interface SlotState {
  name: string;
  /** A connector is attached right now. */
  isActive: boolean;
  /** A logical slot, as a CDC connector's is; a physical one is a standby's (cluster-wide, no database's). */
  isLogical: boolean;
  /** WAL written since the position the connector confirmed: what it has yet to publish. */
  lagBytes: number;
}

export interface ReplicationSlotsSnapshot {
  /** The slots of the outbox's database; undefined when it could not be read. */
  slots: readonly SlotState[] | undefined;
  /** The slot the flow's connector uses; null: the database's only logical slot. */
  slot: string | null;
  /** Open findings, re-checked every cycle. */
  openKeys: readonly string[];
}
