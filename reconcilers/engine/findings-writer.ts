import type { Reconciler } from '../define-kind.ts';
import type { FindingChange, FindingsPort, OpenFinding } from '../ports/findings-store.ts';
import { findingId, type Judgement } from '../vocabulary.ts';
import { changesStore } from './store-changes.ts';

/** Open findings read per page when a kind is loaded whole. */
const LOAD_PAGE = 1_000;

export interface WriteOutcome {
  opened: number;
  resolved: number;
}

/**
 * Writes verdicts to the store through the one rule of store-changes.ts, knowing which findings are open: for a
 * loaded kind from what it read whole (a key missing from it is not open), for any other by asking the store about
 * exactly the keys at hand. It keeps what it knows up to date with what it writes, so a writer held across cycles
 * stays exact for as long as nobody else writes its kinds: only the leader's engine does, one step at a time.
 */
export interface FindingsWriter {
  /** Reads every open finding of these kinds, replacing what was known of them. */
  load(kinds: readonly string[]): Promise<void>;
  isLoaded(kind: string): boolean;
  /** Keys of the open findings of a loaded kind. */
  openKeys(kind: string): string[];
  /** Sends the store the judgements that change it; a failed write forgets everything (the store's state is unknown). */
  apply(judgements: readonly Judgement[], now: Date): Promise<WriteOutcome>;
  /** Forgets what was loaded, so the next use reads again (leadership lost or regained). */
  forget(): void;
}

export function createFindingsWriter(store: FindingsPort, kinds: readonly Reconciler[]): FindingsWriter {
  const byName = new Map(kinds.map((k) => [k.kind, k]));
  const loaded = new Map<string, Map<string, OpenFinding>>();

  const kindOf = (name: string) => {
    const kind = byName.get(name);
    if (!kind) throw new Error(`this writer does not write ${name} findings`);
    return kind;
  };

  async function readOpen(kind: string): Promise<Map<string, OpenFinding>> {
    const open = new Map<string, OpenFinding>();
    for (let after: string | null = null; ; ) {
      const page = await store.openFindings(kind, after, LOAD_PAGE);
      for (const finding of page) open.set(finding.key, finding);
      if (page.length < LOAD_PAGE) return open;
      after = page.at(-1)!.key;
    }
  }

  /** The open finding (or none) behind each judgement's id; unloaded kinds are asked about in one query. */
  async function openFindingsOf(judgements: readonly Judgement[]): Promise<Map<string, OpenFinding>> {
    const known = new Map<string, OpenFinding>();
    const unknownIds: string[] = [];
    for (const j of judgements) {
      const view = loaded.get(j.kind);
      const id = findingId(j.kind, j.key);
      if (!view) unknownIds.push(id);
      else {
        const open = view.get(j.key);
        if (open) known.set(id, open);
      }
    }
    if (unknownIds.length > 0) {
      for (const open of await store.openFindingsByIds(unknownIds)) known.set(findingId(open.kind, open.key), open);
    }
    return known;
  }

  return {
    async load(names) {
      const views = await Promise.all(names.map(async (name) => [name, await readOpen(name)] as const));
      for (const [name, view] of views) loaded.set(name, view);
    },
    isLoaded: (kind) => loaded.has(kind),
    openKeys: (kind) => [...(loaded.get(kind)?.keys() ?? [])],
    async apply(judgements, now) {
      // One statement may change a row only once: the last verdict on a finding wins.
      const latest = new Map<string, Judgement>();
      for (const j of judgements) if (j.verdict !== 'unknown') latest.set(findingId(j.kind, j.key), j);
      if (latest.size === 0) return { opened: 0, resolved: 0 };
      const open = await openFindingsOf([...latest.values()]);
      const changing = [...latest].filter(([id, j]) => changesStore(open.get(id), j, now)).map(([, j]) => j);
      if (changing.length === 0) return { opened: 0, resolved: 0 };
      let outcome: WriteOutcome;
      try {
        outcome = await store.writeFindings(changing.map(toChange), now);
      } catch (error) {
        loaded.clear();
        throw error;
      }
      for (const j of changing) {
        const view = loaded.get(j.kind);
        if (!view) continue;
        if (j.verdict === 'mismatch')
          view.set(j.key, { key: j.key, severity: j.severity, evidence: j.evidence, lastSeenAt: now });
        else view.delete(j.key);
      }
      return outcome;
    },
    forget: () => loaded.clear(),
  };

  function toChange(j: Judgement): FindingChange {
    if (j.verdict !== 'mismatch') return { verdict: 'ok', kind: j.kind, key: j.key };
    const subjects = kindOf(j.kind).subjects(j.evidence, j.key);
    return { verdict: 'mismatch', kind: j.kind, key: j.key, severity: j.severity, evidence: j.evidence, subjects };
  }
}
