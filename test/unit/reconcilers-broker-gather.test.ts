import { describe, expect, it } from 'vitest';
import { gatherBrokerPoll } from '../../reconcilers/broker-gather.ts';
import type { BrokerOverview, ManagementPort, QueueStats } from '../../reconcilers/broker-types.ts';
import { makeChannel, makePolls, makeQueue, NOW, QUEUE } from '../support/broker-builders.ts';

const OVERVIEW: BrokerOverview = { version: '3.10.8', queueTotals: {}, objectTotals: { channels: 4 }, counters: {} };
const target = { vhost: 'shop', watchedQueues: [QUEUE] };

function fakePort(queues: QueueStats[], overview = OVERVIEW) {
  const calls: string[] = [];
  const called = <T>(name: string, value: T) => {
    calls.push(name);
    return Promise.resolve(value);
  };
  const port: ManagementPort = {
    overview: () => called('overview', overview),
    watchedQueues: () => called('queues', queues),
    channels: () => called('channels', [makeChannel()]),
    consumers: () =>
      called('consumers', [
        { tag: 'a', queue: QUEUE },
        { tag: 'b', queue: 'not-watched' },
      ]),
  };
  return { port, calls };
}

describe('gathering one broker poll', () => {
  it('reads the consumers of a watched queue whose ack counter stood still', async () => {
    const { port, calls } = fakePort([makeQueue()]);
    const previous = makePolls(1, () => ({ queues: [makeQueue()] }))[0];
    const poll = await gatherBrokerPoll(port, target, previous?.ok ? previous : undefined, NOW);
    expect(calls).toEqual(['overview', 'queues', 'channels', 'consumers']);
    expect(poll.consumers).toEqual([{ tag: 'a', queue: QUEUE }]);
  });

  it('does not read consumers while acks move (the healthy case costs three requests)', async () => {
    const { port, calls } = fakePort([makeQueue({ counters: { ack: 11 } })]);
    const previous = makePolls(1, () => ({ queues: [makeQueue({ counters: { ack: 10 } })] }))[0];
    const poll = await gatherBrokerPoll(port, target, previous?.ok ? previous : undefined, NOW);
    expect(calls).toEqual(['overview', 'queues', 'channels']);
    expect(poll.consumers).toBeUndefined();
  });

  it('skips the channel listing when the broker has no channel at all', async () => {
    const { port, calls } = fakePort([], { ...OVERVIEW, objectTotals: { channels: 0 } });
    const poll = await gatherBrokerPoll(port, target, undefined, NOW);
    expect(calls).toEqual(['overview', 'queues']);
    expect(poll.channels).toEqual([]);
  });
});
