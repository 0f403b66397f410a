// Dead letters in Recon's custody, as the dead-letter kind judges them (the store maps its rows to these).

export type DeadLetterState = 'stored' | 'redriven' | 'discarded' | 'consistent';

export interface DeadLetterFacts {
  /** The store's row id, so the UI can open the letter from its finding. */
  id: string;
  /** The message id, or the surrogate for a message without one: the finding's key. */
  key: string;
  messageId: string | null;
  state: DeadLetterState;
  queue: string;
  reason: string;
  deathCount: number;
  originExchange: string | null;
  originRoutingKeys: readonly string[];
  firstDeathQueue: string | null;
  orderId: string | null;
  bodySize: number;
  isParseable: boolean;
}

export interface DeadLetterSnapshot {
  letters: readonly DeadLetterFacts[];
  /** Keys of open findings that were looked up with `letters`: one missing from them no longer exists. */
  openKeys: readonly string[];
}
