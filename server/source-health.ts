import { maskSecrets } from './adapters/postgres.ts';
import type { SourceHealth } from './store/types.ts';

export type SourceName = 'orders' | 'dispatch' | 'rabbitmq' | 'recon';

/** In-memory health of each source, updated by every read; the leader persists it so every replica can show it. */
export interface SourceHealthTracker {
  success(source: SourceName, at?: Date): void;
  failure(source: SourceName, error: Error, at?: Date): void;
  snapshot(): SourceHealth[];
}

export function createSourceHealthTracker(sources: readonly SourceName[]): SourceHealthTracker {
  const health = new Map<string, SourceHealth>(
    sources.map((source) => [source, { source, up: false, lastSuccessAt: null, lastAttemptAt: null, lastError: null }]),
  );
  const entry = (source: SourceName) => {
    let current = health.get(source);
    if (!current) {
      current = { source, up: false, lastSuccessAt: null, lastAttemptAt: null, lastError: null };
      health.set(source, current);
    }
    return current;
  };
  return {
    success(source, at = new Date()) {
      Object.assign(entry(source), { up: true, lastSuccessAt: at, lastAttemptAt: at, lastError: null });
    },
    failure(source, error, at = new Date()) {
      Object.assign(entry(source), { up: false, lastAttemptAt: at, lastError: describe(error) });
    },
    snapshot: () => [...health.values()].map((h) => ({ ...h })),
  };
}

/** The message and its causes, masked: a connection error often quotes the URL it failed on. */
function describe(error: Error): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && parts.length < 4) {
    const code = (current as { code?: string }).code;
    parts.push(code ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return maskSecrets(parts.filter(Boolean).join(': ') || 'unknown error').slice(0, 500);
}
