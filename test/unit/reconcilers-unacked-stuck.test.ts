import { describe, expect, it } from 'vitest';
import { unackedStuck } from '../../reconcilers/kinds/unacked-stuck.ts';
import { BROKER_CONFIG, makeFailedPoll, makePolls, makeQueue, NOW, QUEUE } from '../support/broker-builders.ts';

const detect = (polls: Parameters<typeof unackedStuck.detect>[0]['polls'], openKeys: string[] = []) =>
  unackedStuck.detect({ polls, openKeys }, NOW, BROKER_CONFIG);

describe('unacked-stuck', () => {
  it('flags a queue holding unacked messages whose ack counter stood still over three consecutive polls', () => {
    const consumers = [{ tag: 'amq.ctag-1', queue: QUEUE, channel: 'c (2)', connection: 'c', prefetch: 4 }];
    const polls = makePolls(3, (i) => ({ queues: [makeQueue()], ...(i === 2 ? { consumers } : {}) }));
    expect(detect(polls)).toEqual([
      expect.objectContaining({
        kind: 'unacked-stuck',
        key: QUEUE,
        verdict: 'mismatch',
        evidence: expect.objectContaining({
          queue: QUEUE,
          unacked: 4,
          ackCount: 10,
          consumers: [expect.objectContaining({ tag: 'amq.ctag-1', channel: 'c (2)' })],
          ackUnchangedSince: polls[0]!.at.toISOString(),
        }),
      }),
    ]);
  });

  it('ignores a queue whose ack counter moved during the window', () => {
    const polls = makePolls(3, (i) => ({ queues: [makeQueue({ counters: { ack: i === 2 ? 11 : 10 } })] }));
    expect(detect(polls)).toEqual([]);
  });

  it('ignores a queue that held unacked messages in only two of the three polls', () => {
    const polls = makePolls(3, (i) => ({ queues: [makeQueue({ unacked: i === 0 ? 0 : 4 })] }));
    expect(detect(polls)).toEqual([]);
  });

  it('does not count a drop of the ack counter (a consumer channel closed) as progress', () => {
    const polls = makePolls(3, (i) => ({ queues: [makeQueue({ counters: { ack: i === 0 ? 10 : 6 } })] }));
    expect(detect(polls)).toEqual([expect.objectContaining({ verdict: 'mismatch' })]);
  });

  it('waits until the polls span a statistics refresh and a margin when they come faster than the broker refreshes', () => {
    const stuck = () => ({ queues: [makeQueue()] });
    const judge = (count: number) =>
      unackedStuck.detect({ polls: makePolls(count, stuck, 1_000), openKeys: [QUEUE] }, NOW, BROKER_CONFIG);
    // Six polls 1 s apart (5 s) may all have read one 5 s sample of the broker's statistics.
    expect(judge(3)).toEqual([expect.objectContaining({ key: QUEUE, verdict: 'unknown' })]);
    expect(judge(6)).toEqual([expect.objectContaining({ key: QUEUE, verdict: 'unknown' })]);
    expect(judge(9)).toEqual([expect.objectContaining({ key: QUEUE, verdict: 'mismatch' })]);
  });

  it('resolves an open finding once nothing is unacked, or the queue is gone', () => {
    const drained = makePolls(3, (i) => ({ queues: [makeQueue({ unacked: i === 2 ? 0 : 4 })] }));
    expect(detect(drained, [QUEUE])).toEqual([expect.objectContaining({ key: QUEUE, verdict: 'ok' })]);
    const deleted = makePolls(3, (i) => ({ queues: i === 2 ? [] : [makeQueue()] }));
    expect(detect(deleted, [QUEUE])).toEqual([expect.objectContaining({ key: QUEUE, verdict: 'ok' })]);
  });

  it('says unknown, not stuck and not resolved, when the latest poll failed', () => {
    const polls = makePolls(4, () => ({ queues: [makeQueue()] }));
    polls[3] = makeFailedPoll();
    expect(detect(polls)).toEqual([]);
    expect(detect(polls, [QUEUE, 'orders.replenish'])).toEqual([
      expect.objectContaining({ key: QUEUE, verdict: 'unknown' }),
      expect.objectContaining({ key: 'orders.replenish', verdict: 'unknown' }),
    ]);
  });

  it('says unknown when the latest poll is stale (the poller stopped)', () => {
    const polls = makePolls(3, () => ({ queues: [] }));
    const later = new Date(NOW.getTime() + BROKER_CONFIG.staleAfterMs + 1);
    expect(unackedStuck.detect({ polls, openKeys: [QUEUE] }, later, BROKER_CONFIG)).toEqual([
      expect.objectContaining({ verdict: 'unknown' }),
    ]);
  });

  it('needs the polls to be consecutive: a failed poll in between restarts the count', () => {
    const polls = makePolls(5, () => ({ queues: [makeQueue()] }));
    polls[2] = makeFailedPoll(polls[2]!.at);
    expect(detect(polls, [QUEUE])).toEqual([expect.objectContaining({ verdict: 'unknown' })]);
  });

  it('says unknown, not stuck, without an ack counter (statistics disabled)', () => {
    const polls = makePolls(3, () => ({ queues: [makeQueue({ counters: {} })] }));
    expect(detect(polls, [QUEUE])).toEqual([expect.objectContaining({ verdict: 'unknown' })]);
  });

  it('reads a missing ack counter as zero when the queue reports other counters (versions omit zeros)', () => {
    const polls = makePolls(3, () => ({ queues: [makeQueue({ counters: { deliver: 4 } })] }));
    expect(detect(polls)).toEqual([
      expect.objectContaining({ verdict: 'mismatch', evidence: expect.objectContaining({ ackCount: 0 }) }),
    ]);
  });

  it('treats an ack counter that appears during the window as progress (it started from zero)', () => {
    const polls = makePolls(3, (i) => ({ queues: [makeQueue({ counters: i < 2 ? {} : { ack: 2 } })] }));
    expect(detect(polls, [QUEUE])).toEqual([expect.objectContaining({ verdict: 'ok' })]);
  });
});
