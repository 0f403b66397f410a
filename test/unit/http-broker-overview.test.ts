import { describe, expect, it } from 'vitest';
import type { BrokerPoll } from '../../reconcilers/snapshots/broker-polls.ts';
import type { BrokerView } from '../../server/broker-poller.ts';
import { toBrokerNow, toQueueHistory, toQueuesNow } from '../../server/http/broker-overview.ts';
import { makeFailedPoll, makePolls, makeQueue, NOW, QUEUE } from '../support/broker-builders.ts';

const viewOf = (polls: BrokerPoll[], watchedQueues = [QUEUE, 'orders.replenish']): BrokerView => ({
  watchedQueues,
  polls: () => polls,
  staleAfterMs: 20_000,
});

describe('the watched queues as the API shows them', () => {
  it('shows each watched queue from the latest poll, and a missing one as not existing', () => {
    const polls = makePolls(2, (i) => ({ queues: [makeQueue({ unacked: i, rates: { ack: 1.5 } })] }));
    expect(toQueuesNow(viewOf(polls), NOW)).toEqual([
      {
        name: QUEUE,
        exists: true,
        at: NOW,
        isStale: false,
        ready: 0,
        unacked: 1,
        total: 4,
        consumers: 1,
        rates: { ack: 1.5 },
        hasReadyWithoutConsumers: false,
        isBacklogGrowing: false,
      },
      {
        name: 'orders.replenish',
        exists: false,
        at: NOW,
        isStale: false,
        hasReadyWithoutConsumers: false,
        isBacklogGrowing: false,
      },
    ]);
  });

  it('keeps the last known numbers, marked stale, when the latest poll failed', () => {
    const polls = [...makePolls(2, () => ({ queues: [makeQueue()] })), makeFailedPoll(new Date(NOW.getTime() + 5_000))];
    const [queue] = toQueuesNow(viewOf(polls, [QUEUE]), new Date(NOW.getTime() + 5_000));
    expect(queue).toMatchObject({ name: QUEUE, exists: true, isStale: true, unacked: 4, at: NOW });
    expect(toBrokerNow(viewOf(polls), new Date(NOW.getTime() + 5_000))).toBeNull();
  });

  it('says "not known" rather than "absent" before the broker was ever read', () => {
    expect(toQueuesNow(viewOf([makeFailedPoll()], [QUEUE]), NOW)).toEqual([
      { name: QUEUE, exists: null, at: null, isStale: true, hasReadyWithoutConsumers: false, isBacklogGrowing: false },
    ]);
  });

  it('lists recent polls for the charts, failed ones included, leaving out what the broker did not send', () => {
    const polls = [...makePolls(1, () => ({ queues: [makeQueue({ consumers: undefined })] })), makeFailedPoll()];
    const history = toQueueHistory(viewOf(polls), new Date(0));
    expect(history).toEqual([
      { at: polls[0]!.at, ok: true, queues: [{ name: QUEUE, ready: 0, unacked: 4, consumers: undefined, rates: {} }] },
      { at: NOW, ok: false, queues: [] },
    ]);
    expect(JSON.parse(JSON.stringify(history))[0].queues[0]).not.toHaveProperty('consumers');
  });
});
