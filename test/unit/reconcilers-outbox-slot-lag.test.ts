import { describe, expect, it } from 'vitest';
import { outboxSlotLag } from '../../reconcilers/kinds/outbox-slot-lag.ts';
import type { ReplicationSlotsSnapshot, SlotState } from '../../reconcilers/snapshots/replication-slots.ts';
import { NOW } from '../support/builders.ts';

const MAX_LAG_BYTES = 16 * 1024 * 1024;
const settings = { maxLagBytes: MAX_LAG_BYTES };

const makeSlot = (overrides: Partial<SlotState> = {}): SlotState => ({
  name: 'debezium',
  isActive: true,
  isLogical: true,
  lagBytes: 1_000,
  ...overrides,
});
// A streaming standby's slot: physical, cluster-wide, and no connector's.
const STANDBY = makeSlot({ name: 'standby_1', isLogical: false, lagBytes: 0 });

const detect = (snapshot: Partial<ReplicationSlotsSnapshot>) =>
  outboxSlotLag
    .detect({ slots: [], slot: null, openKeys: [], ...snapshot }, NOW, settings)
    .map((j) => [j.key, j.verdict, j.verdict === 'mismatch' ? j.evidence : null]);

describe('outbox-slot-lag', () => {
  it('flags the named slot when its connector is further behind than maxLagBytes', () => {
    const slots = [STANDBY, makeSlot({ isActive: false, lagBytes: MAX_LAG_BYTES + 1 })];
    expect(detect({ slots, slot: 'debezium' })).toEqual([
      [
        'debezium',
        'mismatch',
        {
          slot: 'debezium',
          exists: true,
          isActive: false,
          lagBytes: MAX_LAG_BYTES + 1,
          maxLagBytes: MAX_LAG_BYTES,
          candidates: [],
        },
      ],
    ]);
  });

  it('watches the one logical slot when none is named, beside a standby physical slot', () => {
    const slots = [STANDBY, makeSlot({ lagBytes: MAX_LAG_BYTES * 2 })];
    expect(detect({ slots })).toEqual([
      [
        'debezium',
        'mismatch',
        {
          slot: 'debezium',
          exists: true,
          isActive: true,
          lagBytes: MAX_LAG_BYTES * 2,
          maxLagBytes: MAX_LAG_BYTES,
          candidates: [],
        },
      ],
    ]);
  });

  it('takes no standby slot for the connector when none is named and there is no logical slot', () => {
    expect(detect({ slots: [STANDBY] })).toEqual([
      ['(no slot)', 'mismatch', expect.objectContaining({ slot: '(no slot)', exists: false })],
    ]);
  });

  it('says the named slot does not exist, and resolves an open finding of another slot', () => {
    expect(detect({ slots: [STANDBY], slot: 'debezium', openKeys: ['old_slot'] })).toEqual([
      [
        'debezium',
        'mismatch',
        { slot: 'debezium', exists: false, isActive: false, lagBytes: 0, maxLagBytes: MAX_LAG_BYTES, candidates: [] },
      ],
      ['old_slot', 'ok', null],
    ]);
  });

  it('asks for the slot to be named when none is and the database has several logical ones', () => {
    const slots = [makeSlot({ name: 'debezium_a' }), makeSlot({ name: 'debezium_b' })];
    const [judgement] = outboxSlotLag.detect({ slots, slot: null, openKeys: [] }, NOW, settings);
    expect(judgement).toMatchObject({
      key: '(no slot)',
      verdict: 'mismatch',
      evidence: { exists: false, candidates: ['debezium_a', 'debezium_b'] },
    });
    if (judgement?.verdict !== 'mismatch') throw new Error('expected a mismatch');
    expect(outboxSlotLag.explain(judgement.evidence, judgement.key)).toMatch(
      /no replication slot is named \(outbox\.replicationSlot\).*debezium_a, debezium_b/i,
    );
  });

  it('says unknown for the open findings when the slots could not be read', () => {
    expect(detect({ slots: undefined, slot: 'debezium', openKeys: ['debezium'] })).toEqual([
      ['debezium', 'unknown', null],
    ]);
  });
});
