import { describe, expect, it } from 'vitest';
import { createFindingsWriter } from '../../reconcilers/engine/findings-writer.ts';
import type { FindingChange, FindingsPort, OpenFinding } from '../../reconcilers/ports/findings-store.ts';
import { KINDS } from '../../reconcilers/registry.ts';
import { findingId, type Judgement } from '../../reconcilers/vocabulary.ts';
import { NOW } from '../support/builders.ts';

const judge = (key: string, verdict: Judgement['verdict'], evidence: unknown = { orderId: key }): Judgement =>
  verdict === 'mismatch'
    ? { kind: 'order-without-dispatch', key, verdict, severity: 'critical', evidence }
    : { kind: 'order-without-dispatch', key, verdict, severity: 'critical' };

/** Recon's store in memory: which findings are open, and every call the writer made. */
function makeStore(open: Record<string, OpenFinding> = {}) {
  const calls = { byIds: [] as string[][], pages: 0, writes: [] as FindingChange[][] };
  let failWrites = false;
  const store: FindingsPort = {
    async writeFindings(changes) {
      if (failWrites) throw new Error('recon store down');
      calls.writes.push([...changes]);
      return { opened: changes.filter((c) => c.verdict === 'mismatch').length, resolved: 0 };
    },
    async openFindings(kind) {
      calls.pages += 1;
      return Object.entries(open)
        .filter(([id]) => id.startsWith(`${kind}:`))
        .map(([, finding]) => finding);
    },
    async openFindingsByIds(ids) {
      calls.byIds.push([...ids]);
      return ids.flatMap((id) => (open[id] ? [{ kind: id.slice(0, id.indexOf(':')), ...open[id]! }] : []));
    },
  };
  return {
    store,
    calls,
    failWrites() {
      failWrites = true;
    },
  };
}

const openFinding = (key: string): OpenFinding => ({
  key,
  severity: 'critical',
  evidence: { orderId: key },
  lastSeenAt: NOW,
});

describe('the findings writer', () => {
  it('asks the store about exactly the findings at hand when their kind is not loaded', async () => {
    const { store, calls } = makeStore({ [findingId('order-without-dispatch', 'a')]: openFinding('a') });
    const writer = createFindingsWriter(store, KINDS);
    await writer.apply([judge('a', 'ok'), judge('b', 'ok'), judge('c', 'unknown')], NOW);

    expect(calls.byIds).toEqual([[findingId('order-without-dispatch', 'a'), findingId('order-without-dispatch', 'b')]]);
    expect(calls.writes).toEqual([[{ verdict: 'ok', kind: 'order-without-dispatch', key: 'a' }]]);
  });

  it('answers from what it loaded, and keeps that up to date with what it writes', async () => {
    const { store, calls } = makeStore({ [findingId('order-without-dispatch', 'a')]: openFinding('a') });
    const writer = createFindingsWriter(store, KINDS);
    await writer.load(['order-without-dispatch']);
    await writer.apply([judge('a', 'mismatch'), judge('b', 'mismatch'), judge('c', 'ok')], NOW);
    await writer.apply([judge('b', 'mismatch'), judge('a', 'ok')], NOW);

    expect(calls.byIds).toEqual([]);
    expect(calls.writes.map((w) => w.map((c) => `${c.verdict} ${c.key}`))).toEqual([['mismatch b'], ['ok a']]);
    expect(writer.openKeys('order-without-dispatch')).toEqual(['b']);
  });

  it('sends the subjects its kind names, so the store can find the finding by order and message', async () => {
    const { store, calls } = makeStore();
    await createFindingsWriter(store, KINDS).apply([judge('a', 'mismatch')], NOW);

    expect(calls.writes[0]![0]).toMatchObject({ subjects: { orderId: 'a', messageId: null } });
  });

  it('forgets what it loaded after a failed write, whose effect on the store is unknown', async () => {
    const { store, failWrites } = makeStore();
    const writer = createFindingsWriter(store, KINDS);
    await writer.load(['order-without-dispatch']);
    failWrites();

    await expect(writer.apply([judge('a', 'mismatch')], NOW)).rejects.toThrow('recon store down');
    expect(writer.isLoaded('order-without-dispatch')).toBe(false);
  });
});
