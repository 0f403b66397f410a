import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../api/types.ts';
import { toAuditGroups } from './audit-groups.ts';

let id = 100;
const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
  id: String(id--),
  at: '2030-01-01T00:00:00.000Z',
  actionId: null,
  event: 'requested',
  actor: 'otto',
  role: 'operator',
  action: 'discard',
  target: 'dead-letter:1',
  idempotencyKey: 'k',
  reason: 'poison',
  outcome: 'pending',
  detail: null,
  oldRole: null,
  newRole: null,
  findingId: 'dead-letter:1',
  bulkId: null,
  ...overrides,
});

describe('toAuditGroups', () => {
  it('makes one row per action holding its events, newest first, and one group per bulk run', () => {
    const rows = [
      entry({ actionId: 'a2', event: 'outcome', outcome: 'done', bulkId: 'b1' }),
      entry({ actionId: 'a1', event: 'outcome', outcome: 'done', bulkId: 'b1' }),
      entry({ actionId: 'a2', event: 'requested', bulkId: 'b1' }),
      entry({ actionId: 'a1', event: 'requested', bulkId: 'b1' }),
      entry({ actionId: 'a3', event: 'outcome', outcome: 'failed', action: 'redeliver' }),
      entry({ actionId: 'a3', event: 'requested', action: 'redeliver' }),
      entry({ actionId: null, event: 'user-created', action: 'user', target: 'user:vera', findingId: null }),
    ];
    const groups = toAuditGroups(rows);
    expect(groups.map((g) => g.type)).toEqual(['bulk', 'action', 'user']);
    const [bulk, single] = groups as [Extract<(typeof groups)[0], { type: 'bulk' }>, { type: 'action' }];
    expect(bulk.bulkId).toBe('b1');
    expect(bulk.actions.map((a) => [a.actionId, a.events.length, a.latest.outcome])).toEqual([
      ['a2', 2, 'done'],
      ['a1', 2, 'done'],
    ]);
    expect(single).toMatchObject({ actionId: 'a3', latest: { outcome: 'failed' }, requested: { event: 'requested' } });
  });
});
