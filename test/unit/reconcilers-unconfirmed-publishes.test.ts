import { describe, expect, it } from 'vitest';
import { unconfirmedPublishes } from '../../reconcilers/kinds/unconfirmed-publishes.ts';
import { BROKER_CONFIG, CHANNEL, makeChannel, makeFailedPoll, makePolls, NOW } from '../support/broker-builders.ts';

const detect = (polls: Parameters<typeof unconfirmedPublishes.detect>[0]['polls'], openKeys: string[] = []) =>
  unconfirmedPublishes.detect({ polls, openKeys }, NOW, BROKER_CONFIG);

describe('unconfirmed-publishes', () => {
  it('flags a confirm channel holding unconfirmed publishes over three consecutive polls with no confirm', () => {
    const polls = makePolls(3, () => ({ channels: [makeChannel()] }));
    expect(detect(polls)).toEqual([
      expect.objectContaining({
        kind: 'unconfirmed-publishes',
        key: CHANNEL,
        verdict: 'mismatch',
        evidence: expect.objectContaining({
          channel: CHANNEL,
          connection: '10.0.0.5:51234 -> 10.0.0.9:5672',
          unconfirmed: 3,
          unconfirmedByPoll: [3, 3, 3],
          publishCount: 100,
          confirmCount: 97,
          unconfirmedSince: polls[0]!.at.toISOString(),
        }),
      }),
    ]);
  });

  it('ignores a busy channel whose confirms since the window began cover what was outstanding then', () => {
    const polls = makePolls(3, (i) => ({
      channels: [makeChannel({ unconfirmed: 5, counters: { publish: 1000 + 500 * i, confirm: 995 + 500 * i } })],
    }));
    expect(detect(polls)).toEqual([]);
  });

  it('flags a channel whose few confirms do not cover what was outstanding at the start', () => {
    const polls = makePolls(3, (i) => ({
      channels: [makeChannel({ unconfirmed: 5 + i, counters: { publish: 100 + 2 * i, confirm: 95 + i } })],
    }));
    expect(detect(polls)).toEqual([expect.objectContaining({ verdict: 'mismatch' })]);
  });

  it('ignores a channel with nothing unconfirmed in one poll of the window', () => {
    const polls = makePolls(3, (i) => ({ channels: i === 1 ? [] : [makeChannel()] }));
    expect(detect(polls)).toEqual([]);
  });

  it('ignores a channel that is not in confirm mode', () => {
    const polls = makePolls(3, () => ({ channels: [makeChannel({ isConfirm: false })] }));
    expect(detect(polls)).toEqual([]);
  });

  it('flags on the broker gauge alone when the channel has no counters (statistics off)', () => {
    const polls = makePolls(3, () => ({ channels: [makeChannel({ counters: {} })] }));
    expect(detect(polls)).toEqual([expect.objectContaining({ verdict: 'mismatch' })]);
  });

  it('counts a confirm counter that appears during the window from zero (a new busy channel)', () => {
    const polls = makePolls(3, (i) => ({
      channels: [
        makeChannel({ unconfirmed: 2, counters: i === 0 ? { publish: 2 } : { publish: 40 * i, confirm: 38 * i } }),
      ],
    }));
    expect(detect(polls)).toEqual([]);
  });

  it('resolves an open finding when the channel closed or its publishes were confirmed', () => {
    const closed = makePolls(3, (i) => ({ channels: i === 2 ? [] : [makeChannel()] }));
    expect(detect(closed, [CHANNEL])).toEqual([expect.objectContaining({ key: CHANNEL, verdict: 'ok' })]);
    const confirmed = makePolls(3, (i) => ({ channels: [makeChannel({ unconfirmed: i === 2 ? 0 : 3 })] }));
    expect(detect(confirmed, [CHANNEL])).toEqual([expect.objectContaining({ key: CHANNEL, verdict: 'ok' })]);
  });

  it('says unknown for open findings, and opens nothing, when the latest poll failed', () => {
    const polls = makePolls(4, () => ({ channels: [makeChannel()] }));
    polls[3] = makeFailedPoll();
    expect(detect(polls)).toEqual([]);
    expect(detect(polls, [CHANNEL])).toEqual([expect.objectContaining({ key: CHANNEL, verdict: 'unknown' })]);
  });

  it('says unknown while there are too few polls to judge an open finding (just started)', () => {
    const polls = makePolls(1, () => ({ channels: [makeChannel()] }));
    expect(detect(polls, [CHANNEL])).toEqual([expect.objectContaining({ verdict: 'unknown' })]);
  });
});
