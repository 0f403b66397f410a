import { createLimiter } from '../../reconcilers/engine/async.ts';

/** A lookup of this many keys or fewer is one statement. */
const MIN_CHUNK = 250;
/** A lookup splits into at most this many statements. */
const MAX_CHUNKS = 4;

export type KeyLookup = <T>(
  keys: readonly string[],
  lookUp: (chunk: readonly string[]) => Promise<T[]>,
) => Promise<T[]>;

/**
 * Looks up many keys as a few concurrent `= ANY($1)` statements instead of one. A thousand keys changed at random
 * touch a thousand random pages, and one statement reads them one after another on one backend; split, the
 * database's backends read them side by side (BENCHMARKS.md measures it). Never one statement per key, and each
 * key once.
 *
 * A cycle runs several lookups at once (changed rows, the re-check), so the statements of all of them share
 * `maxStatements` slots (the pool's size): the rest wait here rather than in the pool, whose queue gives up after
 * its connect timeout. A page read beside them waits for at most one statement.
 */
export function createKeyLookup(maxStatements: number): KeyLookup {
  const slot = createLimiter(Math.max(1, maxStatements));
  return async (keys, lookUp) => {
    const unique = [...new Set(keys)];
    if (unique.length === 0) return [];
    const size = Math.max(MIN_CHUNK, Math.ceil(unique.length / MAX_CHUNKS));
    const chunks: Array<readonly string[]> = [];
    for (let i = 0; i < unique.length; i += size) chunks.push(unique.slice(i, i + size));
    return (await Promise.all(chunks.map((chunk) => slot(() => lookUp(chunk))))).flat();
  };
}
