import { type JudgeContext, type JudgeOutcome, judgeOrderIds } from './judge.ts';
import { changesStore, type OpenFinding } from './open-findings.ts';
import type { DispatchRow, FindingKind, Judgement, OrderRow } from './types.ts';

/** The open findings a cycle judges, per kind and key. */
export type OpenFindings = Map<FindingKind, Map<string, OpenFinding>>;

/**
 * Judges batches of order ids for one incremental cycle. Batches run concurrently (the changed orders, the changed
 * dispatches and the re-check of open findings are independent reads), except that a batch waits for every earlier
 * batch that shares an order id with it: the store must get the later lookup last, and it counts openings exactly
 * only without a concurrent writer on the same finding.
 */
export function createCycleJudge(judgeCtx: JudgeContext) {
  const inFlight = new Map<string, Promise<unknown>>();
  return async function judge(
    orderIds: readonly string[],
    knownOrders: readonly OrderRow[] = [],
    newDispatches: readonly DispatchRow[] = [],
  ): Promise<JudgeOutcome> {
    const earlier = new Set<Promise<unknown>>();
    for (const id of orderIds) {
      const batch = inFlight.get(id);
      if (batch) earlier.add(batch);
    }
    const run = Promise.allSettled(earlier).then(() =>
      judgeOrderIds(withKnownOrders(judgeCtx, knownOrders), orderIds, newDispatches),
    );
    const settled = run.catch(() => {});
    for (const id of orderIds) inFlight.set(id, settled);
    try {
      return await run;
    } finally {
      for (const id of orderIds) if (inFlight.get(id) === settled) inFlight.delete(id);
    }
  };
}

/**
 * The context with a store that is sent only the judgements that change it (see changesStore): nearly every
 * judgement of a changed row is an `ok` about a finding that is not open, and nearly every re-checked open finding
 * comes back exactly as stored. Exact because the cycle read the open findings it judges at its start and keeps them up
 * to date with what it stores, and only the leader's cycle or sweep, one at a time, writes these findings.
 */
export function withOpenFindings(ctx: JudgeContext, open: OpenFindings): JudgeContext {
  const findingsOf = (kind: FindingKind) => {
    const findings = open.get(kind) ?? new Map<string, OpenFinding>();
    open.set(kind, findings);
    return findings;
  };
  const applyJudgements = async (judgements: readonly Judgement[], at: Date) => {
    const changing = judgements.filter((j) => changesStore(open.get(j.kind)?.get(j.key), j, at));
    if (changing.length === 0) return { opened: 0, resolved: 0 };
    const applied = await ctx.store.applyJudgements(changing, at);
    for (const j of changing) {
      if (j.verdict === 'mismatch') {
        findingsOf(j.kind).set(j.key, { key: j.key, severity: j.severity, evidence: j.evidence ?? {}, lastSeenAt: at });
      } else findingsOf(j.kind).delete(j.key);
    }
    return applied;
  };
  return { ...ctx, store: { ...ctx.store, applyJudgements } };
}

/**
 * The context with an orders port that answers from rows the cycle has just read from the changed stream: looking
 * them up again would return the same rows, so only the other ids are queried.
 */
function withKnownOrders(ctx: JudgeContext, rows: readonly OrderRow[]): JudgeContext {
  if (rows.length === 0) return ctx;
  const known = new Map(rows.map((r) => [r.id, r]));
  const findOrders = async (ids: readonly string[]) => {
    const others = ids.filter((id) => !known.has(id));
    const found = others.length > 0 ? await ctx.orders.findOrders(others) : [];
    return [...ids.flatMap((id) => known.get(id) ?? []), ...found];
  };
  return { ...ctx, orders: { ...ctx.orders, findOrders } };
}
