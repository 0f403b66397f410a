import { type Advice, defineKind } from '../define-kind.ts';
import type { ReplicationSlotsSnapshot } from '../snapshots/replication-slots.ts';
import { type Judgement, judgementsOf } from '../vocabulary.ts';

const KIND = 'outbox-slot-lag';

export interface OutboxSlotLagEvidence {
  slot: string;
  /** False when the slot the flow names does not exist (dropped, or the connector never created it). */
  exists: boolean;
  isActive: boolean;
  lagBytes: number;
  maxLagBytes: number;
  /** With no slot named: the database's logical slots, when there are several to choose from (else empty). */
  candidates: string[];
}

const judge = judgementsOf<typeof KIND, OutboxSlotLagEvidence>(KIND, 'critical');

/**
 * A CDC outbox (Debezium's) deletes its rows in the transaction that wrote them, so nothing in a table says what is
 * not yet published: the connector's replication slot does. WAL it has not confirmed past `maxLagBytes` means the
 * outbox's messages are not going out (the connector is down, or stuck); a slot that is gone means none will.
 * Keyed by the slot's name.
 */
function detect(snapshot: ReplicationSlotsSnapshot, _now: Date, { maxLagBytes }: { maxLagBytes: number }) {
  if (!snapshot.slots) return snapshot.openKeys.map(judge.unknown);
  const judgements: Judgement<typeof KIND, OutboxSlotLagEvidence>[] = [];
  // Unnamed, the connector's slot is the database's only logical one: a standby's physical slot is never it.
  const logical = snapshot.slots.filter((s) => s.isLogical);
  const watched = snapshot.slot
    ? snapshot.slots.filter((s) => s.name === snapshot.slot)
    : logical.length === 1
      ? logical
      : [];
  const name = snapshot.slot ?? watched[0]?.name ?? '(no slot)';
  const candidates = snapshot.slot || logical.length < 2 ? [] : logical.map((s) => s.name);
  const slot = watched[0];
  if (!slot) {
    const evidence = { slot: name, exists: false, isActive: false, lagBytes: 0, maxLagBytes, candidates };
    judgements.push(judge.mismatch(name, evidence));
  } else if (slot.lagBytes > maxLagBytes) {
    const { isActive, lagBytes } = slot;
    judgements.push(judge.mismatch(name, { slot: name, exists: true, isActive, lagBytes, maxLagBytes, candidates }));
  } else judgements.push(judge.ok(name));
  for (const key of snapshot.openKeys) if (key !== name) judgements.push(judge.ok(key));
  return judgements;
}

export const outboxSlotLag = defineKind({
  kind: KIND,
  title: 'Outbox connector behind',
  severity: 'critical',
  reads: 'replication-slots',
  detect,
  explain: (e: OutboxSlotLagEvidence) =>
    e.exists
      ? `Replication slot ${e.slot} has ${e.lagBytes} bytes of WAL its connector has not confirmed (more than ` +
        `${e.maxLagBytes})${e.isActive ? '' : ', and no connector is attached'}: the outbox's messages are not going out.`
      : e.candidates.length > 1
        ? `No replication slot is named (outbox.replicationSlot) and the database has several logical slots ` +
          `(${e.candidates.join(', ')}): name the connector's, so Recon can watch its lag.`
        : e.slot === '(no slot)'
          ? `The database has no logical replication slot: no connector reads the outbox, so its messages are not going out.`
          : `Replication slot ${e.slot} does not exist: no connector reads the outbox, so its messages are not going out.`,
  cause: causeOf,
  recommend: recommendFor,
  example: {
    key: 'debezium_orders',
    evidence: {
      slot: 'debezium_orders',
      exists: true,
      isActive: false,
      lagBytes: 48_000_000,
      maxLagBytes: 16_777_216,
      candidates: [],
    },
  },
  subjects: () => ({ orderId: null, messageId: null }),
  repairs: {},
});

function causeOf(e: OutboxSlotLagEvidence): string {
  if (!e.exists && e.candidates.length > 1)
    return "Recon is not told which slot is the connector's, so it cannot tell whether the connector keeps up.";
  if (!e.exists)
    return "The connector's replication slot is gone (dropped, or the connector never started), so nothing reads the outbox.";
  if (!e.isActive)
    return 'No connector is attached to the slot: the connector (Debezium) is stopped or crashed; the slot keeps the WAL for it.';
  return 'A connector is attached but confirms WAL too slowly: it is retrying an error or is overloaded.';
}

function recommendFor(e: OutboxSlotLagEvidence): Advice<never> {
  if (!e.exists && e.candidates.length > 1)
    return { action: null, why: "Name the connector's slot in outbox.replicationSlot and restart Recon." };
  if (!e.exists)
    return {
      action: null,
      why:
        'Restart the connector so it creates its slot again; outbox rows written while it was gone are lost to it ' +
        'and need a re-snapshot.',
    };
  return {
    action: null,
    why: `${e.isActive ? 'Read the connector logs, then restart it' : 'Start the connector'} and watch the lag fall; no Recon action repairs this.`,
  };
}
