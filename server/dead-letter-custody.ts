import { type DeadLetterFacts, deadLetter } from '../reconcilers/dead-letter.ts';
import type { Judgement } from '../reconcilers/types.ts';
import type {
  DeadLetterCount,
  DeadLetterRecord,
  DeadLetterStore,
  DeadLetterSummary,
} from './store/dead-letter-types.ts';
import type { ReconStore } from './store/types.ts';

/** The reasons RabbitMQ dead-letters with; any other (a forged x-death) is reported as `other`. */
const KNOWN_REASONS = ['rejected', 'expired', 'maxlen', 'delivery_limit', 'unknown'] as const;
/** Open dead-letter findings re-checked per page. */
const PAGE_SIZE = 500;

export interface DeadLetterCustody {
  /**
   * Stores one letter, then opens its finding (or re-applies it for a repeat delivery, whose first attempt may have
   * stored the letter but failed before its finding). Resolves only when both committed: the consumer acks then.
   */
  handle(record: DeadLetterRecord): Promise<void>;
  /** Resolves the open findings whose letter was redriven, discarded or removed. Leader only. */
  recheckOpen(now: Date): Promise<void>;
}

export function createDeadLetterCustody(deps: {
  store: DeadLetterStore;
  findings: Pick<ReconStore, 'applyJudgements' | 'openFindingKeys'>;
  now?: () => Date;
}): DeadLetterCustody {
  const { store, findings, now = () => new Date() } = deps;
  return {
    async handle(record) {
      const outcome = await store.storeDeadLetter(record);
      const state = outcome.stored ? 'stored' : outcome.state;
      const facts: DeadLetterFacts = { ...record, id: outcome.id, key: record.dedupeKey, state };
      await findings.applyJudgements(deadLetter.detect({ letters: [facts], openKeys: [] }), now());
    },
    async recheckOpen(at) {
      let after: string | null = null;
      for (;;) {
        const keys = await findings.openFindingKeys(deadLetter.kind, after, PAGE_SIZE);
        if (keys.length === 0) return;
        const letters = (await store.findByKeys(keys)).map(toFacts);
        // Only the settled ones: a letter still stored has nothing new to say, and refreshing every open finding
        // each time would rewrite rows for nothing.
        const settled = deadLetter.detect({ letters, openKeys: keys }).filter((j: Judgement) => j.verdict === 'ok');
        await findings.applyJudgements(settled, at);
        after = keys.at(-1)!;
        if (keys.length < PAGE_SIZE) return;
      }
    },
  };
}

const toFacts = (letter: DeadLetterSummary): DeadLetterFacts => ({ ...letter, key: letter.dedupeKey });

/**
 * `recon_dead_letters{queue,reason}`: every watched queue with every known reason is present (0 when none), so
 * alert rules never see a series appear out of nowhere; unknown reasons are folded into `other` to keep labels
 * bounded whatever a producer writes into x-death.
 */
export function toDeadLetterMetrics(counts: readonly DeadLetterCount[], queues: readonly string[]): DeadLetterCount[] {
  const totals = new Map<string, DeadLetterCount>();
  const add = (queue: string, reason: string, count: number) => {
    const key = JSON.stringify([queue, reason]);
    const entry = totals.get(key) ?? { queue, reason, count: 0 };
    entry.count += count;
    totals.set(key, entry);
  };
  for (const queue of queues) for (const reason of KNOWN_REASONS) add(queue, reason, 0);
  for (const c of counts) {
    const reason = (KNOWN_REASONS as readonly string[]).includes(c.reason) ? c.reason : 'other';
    add(c.queue, reason, c.count);
  }
  return [...totals.values()];
}
