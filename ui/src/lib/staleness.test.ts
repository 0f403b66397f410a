import { describe, expect, it } from 'vitest';
import type { SourceHealth } from '../api/types.ts';
import { staleReasons } from './staleness.ts';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const source = (overrides: Partial<SourceHealth>): SourceHealth => ({
  source: 'orders',
  up: true,
  lastSuccessAt: new Date(NOW - 2_000).toISOString(),
  lastAttemptAt: null,
  lastError: null,
  ...overrides,
});

describe('staleReasons', () => {
  it('is empty when every source was read within three poll intervals', () => {
    expect(staleReasons({ sources: [source({})], nowMs: NOW, overviewAgeSeconds: 1 })).toEqual([]);
  });

  it('names a source that is down, with its error', () => {
    const reasons = staleReasons({
      sources: [source({ source: 'rabbitmq', up: false, lastError: 'ECONNREFUSED' })],
      nowMs: NOW,
      overviewAgeSeconds: 1,
    });
    expect(reasons).toEqual(['rabbitmq is down (last read 2 s ago): ECONNREFUSED']);
  });

  it('flags a source that is up but was last read long ago', () => {
    const reasons = staleReasons({
      sources: [source({ lastSuccessAt: new Date(NOW - 60_000).toISOString() })],
      nowMs: NOW,
      overviewAgeSeconds: 1,
    });
    expect(reasons).toEqual(['orders was last read 1 min ago.']);
  });

  it('follows the poll interval the server gives', () => {
    const sources = [source({ lastSuccessAt: new Date(NOW - 20_000).toISOString() })];
    expect(staleReasons({ sources, nowMs: NOW, overviewAgeSeconds: 1, pollIntervalSeconds: 10 })).toEqual([]);
    expect(staleReasons({ sources, nowMs: NOW, overviewAgeSeconds: 1 })).toHaveLength(1);
  });

  it('flags the page itself when live updates stopped', () => {
    expect(staleReasons({ sources: [], nowMs: NOW, overviewAgeSeconds: 40 })).toEqual([
      'This page has not been updated for 40 s.',
    ]);
  });
});
