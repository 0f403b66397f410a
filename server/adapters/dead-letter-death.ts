import type { DeadLetterRecord } from '../../reconcilers/ports/dead-letters.ts';

// How a letter died, as its queue's style tells it: the broker's x-death (dead-letter-exchange), or the headers a
// library writes when it moves a failed message to its error queue itself (masstransit). Every value is read from
// headers a producer wrote, so each is bounded for the column it goes into.

/** Texts that end up in a btree index (reason, message id) stay far below PostgreSQL's index row limit. */
export const MAX_INDEXED_TEXT = 255;
/** death_count is an int column: a forged count must not make the insert fail. */
export const MAX_INT = 2_147_483_647;

export type Death = Pick<
  DeadLetterRecord,
  'reason' | 'deathCount' | 'originExchange' | 'originRoutingKeys' | 'firstDeathQueue'
> & {
  /** Plain JSON that tells this death from another one of the same body: hashed for a letter without an id. */
  identity: unknown;
};

/** A letter without the marks its queue's style leaves: stored all the same, with nothing to redrive it by. */
export const UNKNOWN_DEATH: Death = {
  reason: 'unknown',
  deathCount: 0,
  originExchange: null,
  originRoutingKeys: [],
  firstDeathQueue: null,
  identity: null,
};
