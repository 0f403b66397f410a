import type { PublishResult, RepairPorts } from './ports/repair.ts';

// A repair, as each kind declares it (DESIGN: Actions, steps 3–5): a premise re-checked on fresh data, then an
// effect through ports, idempotent. Expected outcomes are values; only the unexpected throws.

/** `done` only after the effect is certain (a publisher confirm, a committed write). */
export type RepairStatus = 'done' | 'failed' | 'superseded' | 'in-doubt';

export interface RepairOutcome {
  status: RepairStatus;
  /** Operator-readable: why, in a sentence. */
  detail: string;
}

export interface RepairRequest<E> {
  action: string;
  /** The finding's key. */
  key: string;
  evidence: E;
  /** Fixed at intent time: every publish of this action, retries included, uses it. */
  messageId: string;
  reason: string;
  /** The sweeper re-running an action that may have had its effect already: check the effect first. */
  isRetry: boolean;
}

/** The premise holds (with the facts the effect needs), or the action settles here with this outcome. */
export type Premise<F> = { holds: true; facts: F } | { holds: false; outcome: RepairOutcome };

/**
 * What a repair needs the watched system's configuration to say; a repair whose needs are not met is not offered
 * (no button, and the API refuses it) rather than guessing.
 */
export type Capability =
  /** How to build the order's message from its row (`message.body`). */
  | 'message-body'
  /** A dispatch's order snapshot and how it maps onto the order's columns. */
  | 'order-snapshot'
  /** An outbox payload to send again and how its library marks a row published. */
  | 'outbox-republish'
  /** A dispatch status column to write the cancelled status into. */
  | 'dispatch-status';

export interface Repair<E, F = unknown> {
  /** What the configuration must provide; none: always offered. */
  requires?: readonly Capability[];
  /** What the action will do, in the operator's words, from the finding alone (confirmations, dry runs). */
  describe(evidence: E, key: string): string;
  /** What the customer gets once it has run: what an operator weighs before pressing. */
  customerEffect(evidence: E, key: string): string;
  /** When this repair is the right one, and when it is not. */
  whenToChoose: string;
  /** What the action changes, for "one live action per target" (two actions on one target never run at once). */
  target(evidence: E, key: string): string;
  /**
   * Re-checks, on fresh data, that the inconsistency still holds; on a retry, first whether this action's own
   * effect is already there. When it does not hold, it settles the action (and may record why, idempotently).
   */
  premise(request: RepairRequest<E>, ports: RepairPorts): Promise<Premise<F>>;
  /** The effect, idempotent and keyed by the business id or the action's message id. */
  effect(request: RepairRequest<E>, facts: F, ports: RepairPorts): Promise<RepairOutcome>;
}

/**
 * A repair whose premise facts are its own business: the engine only ever hands a premise's facts to the effect of
 * the same repair, so erasing their type here loses nothing and lets one kind hold repairs of different facts.
 */
export const defineRepair = <E, F>(repair: Repair<E, F>): Repair<E> => repair as unknown as Repair<E>;

export const holds = <F>(facts: F): Premise<F> => ({ holds: true, facts });
export const settle = (outcome: RepairOutcome): Premise<never> => ({ holds: false, outcome });

export const done = (detail: string): RepairOutcome => ({ status: 'done', detail });
export const superseded = (detail: string): RepairOutcome => ({ status: 'superseded', detail });
export const failed = (detail: string): RepairOutcome => ({ status: 'failed', detail });

/** Never `done` without a confirm: a return is unroutable, a nack retryable, a lost confirm in doubt. */
export function toPublishOutcome(result: PublishResult, what: string): RepairOutcome {
  switch (result.status) {
    case 'confirmed':
      return done(`${what}: confirmed by the broker`);
    case 'returned':
      return failed(`${what}: unroutable (${result.detail})`);
    case 'nacked':
      return failed(`${what}: refused by the broker, retry later (${result.detail})`);
    case 'in-doubt':
      return { status: 'in-doubt', detail: `${what}: no confirm (${result.detail})` };
  }
}

/** The protocol of one repair: the premise on fresh data, then the effect only if it holds. */
export async function runRepair<E>(repair: Repair<E>, request: RepairRequest<E>, ports: RepairPorts) {
  const premise = await repair.premise(request, ports);
  return premise.holds ? repair.effect(request, premise.facts, ports) : premise.outcome;
}
