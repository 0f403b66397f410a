import type { BrokerDetectConfig, BrokerPoll, BrokerSnapshot } from './broker-types.ts';
import type { CycleStatePort } from './judge.ts';
import type { FindingKind, Judgement } from './types.ts';

/** A reconciler judged over the recent broker polls rather than per order. */
export interface BrokerReconciler {
  kind: FindingKind;
  detect(snapshot: BrokerSnapshot, now: Date, config: BrokerDetectConfig): Judgement[];
}

export interface BrokerJudgeOutcome {
  opened: number;
  resolved: number;
  unknown: number;
}

const OPEN_KEYS_PAGE = 1_000;

/** Runs each broker reconciler over the recent polls, re-checking its open findings, and stores the verdicts. */
export async function judgeBroker(
  store: Pick<CycleStatePort, 'applyJudgements' | 'openFindingKeys'>,
  reconcilers: readonly BrokerReconciler[],
  polls: readonly BrokerPoll[],
  now: Date,
  config: BrokerDetectConfig,
): Promise<BrokerJudgeOutcome> {
  const judgements: Judgement[] = [];
  for (const reconciler of reconcilers) {
    const openKeys: string[] = [];
    for (let after: string | null = null; ; ) {
      const page = await store.openFindingKeys(reconciler.kind, after, OPEN_KEYS_PAGE);
      openKeys.push(...page);
      if (page.length < OPEN_KEYS_PAGE) break;
      after = page.at(-1)!;
    }
    judgements.push(...reconciler.detect({ polls, openKeys }, now, config));
  }
  const { opened, resolved } = await store.applyJudgements(judgements, now);
  return { opened, resolved, unknown: judgements.filter((j) => j.verdict === 'unknown').length };
}
