import { describe, expect, it } from 'vitest';
import { queueAttention } from '../../server/http/queue-attention.ts';
import { makePolls, makeQueue, NOW, QUEUE } from '../support/broker-builders.ts';

// Which watched queue the overview highlights: messages waiting with nobody to take them, or a backlog that keeps
// growing over the last minutes (a consumer slower than its producer).

const readyOver = (values: number[], consumers = 1) =>
  makePolls(values.length, (i) => ({ queues: [makeQueue({ ready: values[i], consumers })] }));

describe('queueAttention', () => {
  it('flags a queue with messages ready and no consumer', () => {
    expect(queueAttention(readyOver([3, 3], 0), QUEUE, NOW)).toMatchObject({ hasReadyWithoutConsumers: true });
  });

  it('does not flag an empty queue without consumers, or a queue whose consumers are there', () => {
    expect(queueAttention(readyOver([0, 0], 0), QUEUE, NOW).hasReadyWithoutConsumers).toBe(false);
    expect(queueAttention(readyOver([3, 3], 2), QUEUE, NOW).hasReadyWithoutConsumers).toBe(false);
  });

  it('flags a backlog that grew at every poll over the last minute and more', () => {
    const growing = readyOver([10, 14, 19, 25, 30, 41, 52, 60, 71, 80, 95, 101, 120, 130]);
    expect(queueAttention(growing, QUEUE, NOW).isBacklogGrowing).toBe(true);
  });

  it('ignores a backlog that is flat, draining, small or seen for less than a minute', () => {
    expect(queueAttention(readyOver(Array(14).fill(500)), QUEUE, NOW).isBacklogGrowing).toBe(false);
    expect(queueAttention(readyOver([130, 120, 100, 80, 60, 40, 30, 20, 15, 10, 5, 3, 1, 0]), QUEUE, NOW)).toEqual({
      hasReadyWithoutConsumers: false,
      isBacklogGrowing: false,
    });
    expect(queueAttention(readyOver([0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4]), QUEUE, NOW).isBacklogGrowing).toBe(
      false,
    );
    expect(queueAttention(readyOver([10, 40, 90]), QUEUE, NOW).isBacklogGrowing).toBe(false);
  });

  it('says nothing about a queue it has no numbers for', () => {
    expect(queueAttention([], QUEUE, NOW)).toEqual({ hasReadyWithoutConsumers: false, isBacklogGrowing: false });
  });
});
