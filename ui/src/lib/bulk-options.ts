import { ACTION_NAMES, FINDING_KINDS } from '../../../reconcilers/registry.ts';
import type { ActionName, BulkSelection } from '../api/types.ts';

type KindCount = BulkSelection['kinds'][number];

export interface ActionOptions {
  total: number;
  /** Only actions some selected finding allows, each with how many of the findings it applies to. */
  choices: Array<{ action: ActionName; applies: number }>;
  /**
   * Preselected only when it is the one choice: between make-up-order and cancel-dispatch, or across kinds, the
   * operator picks; a default there is a guess made for them.
   */
  defaultAction: ActionName | null;
}

export function toActionOptions(kinds: readonly KindCount[]): ActionOptions {
  const choices = ACTION_NAMES.flatMap((action) => {
    const applies = kinds.filter((k) => k.actions.includes(action)).reduce((sum, k) => sum + k.count, 0);
    return applies > 0 ? [{ action, applies }] : [];
  });
  return {
    total: kinds.reduce((sum, k) => sum + k.count, 0),
    choices,
    defaultAction: choices.length === 1 ? choices[0]!.action : null,
  };
}

/** Ticked findings as the server counts a filter (GET /api/bulk-selection): per kind, in the registry's order. */
export function kindsOfSelection(findings: ReadonlyArray<{ kind: string; actions: readonly string[] }>): KindCount[] {
  return FINDING_KINDS.flatMap((kind) => {
    const ofKind = findings.filter((f) => f.kind === kind);
    if (ofKind.length === 0) return [];
    const allowed = new Set(ofKind.flatMap((f) => f.actions));
    return [{ kind, count: ofKind.length, actions: ACTION_NAMES.filter((a) => allowed.has(a)) }];
  });
}
