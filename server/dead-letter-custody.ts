import type { DeadLetterJudging } from '../reconcilers/engine/dead-letter-judging.ts';
import type { DeadLetterCustodyPort, DeadLetterRecord } from '../reconcilers/ports/dead-letters.ts';

/**
 * Stores one letter, then judges it (its finding opens, or a repeat delivery's is applied again: its first attempt
 * may have stored the letter but failed before its finding). Resolves only when both committed: the consumer acks
 * then.
 */
export function createDeadLetterCustody(deps: {
  store: Pick<DeadLetterCustodyPort, 'storeDeadLetter'>;
  judging: DeadLetterJudging;
  now?: () => Date;
}): (record: DeadLetterRecord) => Promise<void> {
  const { store, judging, now = () => new Date() } = deps;
  return async (record) => {
    const outcome = await store.storeDeadLetter(record);
    const state = outcome.stored ? 'stored' : outcome.state;
    await judging.judgeArrived({ ...record, id: outcome.id, key: record.dedupeKey, state }, now());
  };
}
