import type { ReconcilerReading } from '../define-kind.ts';
import type { DeadLetterCustodyPort } from '../ports/dead-letters.ts';
import type { FindingsPort } from '../ports/findings-store.ts';
import type { DeadLetterFacts } from '../snapshots/dead-letters.ts';
import { createFindingsWriter } from './findings-writer.ts';

/** Open dead-letter findings re-checked per lookup of their letters. */
const RECHECK_PAGE = 500;

export interface DeadLetterJudging {
  /** Judges a letter just taken into custody (or a repeat delivery of one): its finding opens, or stays as it is. */
  judgeArrived(letter: DeadLetterFacts, now: Date): Promise<void>;
  /** Resolves the open findings whose letter was redriven, discarded or removed. Leader only. */
  recheckOpen(now: Date): Promise<void>;
}

export function createDeadLetterJudging(deps: {
  letters: Pick<DeadLetterCustodyPort, 'findFactsByKeys'>;
  store: FindingsPort;
  kinds: readonly ReconcilerReading<'dead-letters'>[];
}): DeadLetterJudging {
  const { letters, store, kinds } = deps;
  // Letters arrive while a re-check runs: an arrival asks the store about its own finding, and a re-check reads the
  // open findings afresh each time, so neither relies on what the other has read.
  const arrivals = createFindingsWriter(store, kinds);
  const recheck = createFindingsWriter(store, kinds);
  return {
    async judgeArrived(letter, now) {
      await arrivals.apply(
        kinds.flatMap((kind) => kind.detect({ letters: [letter], openKeys: [] }, now, {})),
        now,
      );
    },
    async recheckOpen(now) {
      await recheck.load(kinds.map((k) => k.kind));
      for (const kind of kinds) {
        const open = recheck.openKeys(kind.kind);
        for (let i = 0; i < open.length; i += RECHECK_PAGE) {
          const keys = open.slice(i, i + RECHECK_PAGE);
          const found = await letters.findFactsByKeys(keys);
          // Only the settled ones: a letter still stored has nothing new to say.
          const settled = kind.detect({ letters: found, openKeys: keys }, now, {}).filter((j) => j.verdict === 'ok');
          await recheck.apply(settled, now);
        }
      }
    },
  };
}
