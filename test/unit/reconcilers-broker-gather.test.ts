import { describe, expect, it } from 'vitest';
import { gatherBrokerPoll } from '../../reconcilers/engine/broker-judging.ts';
import type { BrokerOverview, ManagementPort, QueueStats } from '../../reconcilers/ports/broker.ts';
import { makeChannel, makePolls, makeQueue, NOW, QUEUE } from '../support/broker-builders.ts';

const OVERVIEW: BrokerOverview = { version: '3.10.8', objectTotals: { channels: 4 } };
const target = { vhost: 'shop', watchedQueues: [QUEUE] };

function fakePort(queues: QueueStats[], overview = OVERVIEW) {
  const calls: string[] = [];
  const consumersAskedFor: string[][] = [];
  const called = <T>(name: string, value: T) => {
    calls.push(name);
    return Promise.resolve(value);
  };
  const port: ManagementPort = {
    overview: () => called('overview', overview),
    watchedQueues: () => called('queues', queues),
    channels: () => called('channels', [makeChannel()]),
    consumers: (_vhost, names) => {
      consumersAskedFor.push([...names]);
      return called('consumers', [{ tag: 'a', queue: QUEUE }]);
    },
  };
  return { port, calls, consumersAskedFor };
}

describe('gathering one broker poll', () => {
  it('reads the consumers of a watched queue whose ack counter stood still, and of no other queue', async () => {
    const moving = makeQueue({ name: 'moving', counters: { ack: 11 } });
    const { port, calls, consumersAskedFor } = fakePort([makeQueue(), moving]);
    const before = [makeQueue(), { ...moving, counters: { ack: 10 } }];
    const previous = makePolls(1, () => ({ queues: before }))[0];
    const poll = await gatherBrokerPoll(port, target, previous?.ok ? previous : undefined, NOW);
    expect(calls).toEqual(['overview', 'queues', 'channels', 'consumers']);
    expect(consumersAskedFor).toEqual([[QUEUE]]);
    expect(poll.consumers).toEqual([{ tag: 'a', queue: QUEUE }]);
  });

  it('hands every request the poll deadline and keeps the statistics backlog', async () => {
    const signals: unknown[] = [];
    const deadline = new AbortController().signal;
    const { port } = fakePort([makeQueue()], { ...OVERVIEW, statisticsBacklog: 12 });
    const seen = <T>(options: { signal?: AbortSignal } | undefined, read: () => Promise<T>) => {
      signals.push(options?.signal);
      return read();
    };
    const spy: ManagementPort = {
      overview: (o) => seen(o, () => port.overview(o)),
      watchedQueues: (v, n, o) => seen(o, () => port.watchedQueues(v, n, o)),
      channels: (v, o) => seen(o, () => port.channels(v, o)),
      consumers: (v, q, o) => seen(o, () => port.consumers(v, q, o)),
    };
    const poll = await gatherBrokerPoll(spy, target, undefined, NOW, deadline);
    expect(signals).toEqual([deadline, deadline, deadline, deadline]);
    expect(poll.statisticsBacklog).toBe(12);
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
