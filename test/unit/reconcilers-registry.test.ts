import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Reconciler } from '../../reconcilers/define-kind.ts';
import { ACTION_NAMES, actionsOf, FINDING_KINDS, KINDS, kindNamed, repairOf } from '../../reconcilers/registry.ts';

// The registry is the one list of kinds: everything else (names, actions, engines) is derived from it. A kind that
// is registered without its parts, or a file in kinds/ that is not registered, fails here.

const kindFiles = readdirSync(new URL('../../reconcilers/kinds/', import.meta.url)).filter((f) => f.endsWith('.ts'));

describe('the registry of finding kinds', () => {
  it('lists one kind per file of reconcilers/kinds, the file named as the kind', () => {
    expect([...FINDING_KINDS].sort()).toEqual(kindFiles.map((f) => f.replace(/\.ts$/, '')).sort());
  });

  it.each(KINDS.map((k) => [k.kind, k as Reconciler] as const))(
    '%s says what it is, what it reads and why',
    (_, kind) => {
      expect(kind.kind).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(kind.title.trim()).not.toBe('');
      expect(['critical', 'warning', 'info']).toContain(kind.severity);
      expect(['order-dispatch', 'order-references', 'outbox', 'replication-slots', 'broker', 'dead-letters']).toContain(
        kind.reads,
      );
      expect(typeof kind.detect).toBe('function');
      const { key, evidence } = kind.example;
      expect(kind.explain(evidence, key)).toMatch(/\w+.*[.:]$/);
      const subjects = kind.subjects(evidence, key);
      expect(Object.keys(subjects).sort()).toEqual(['messageId', 'orderId']);
    },
  );

  // The finding page shows these words first: a kind without them leaves the operator with a data dump.
  it.each(KINDS.map((k) => [k.kind, k as Reconciler] as const))(
    '%s says the likely cause and what to do, from its evidence',
    (_, kind) => {
      const { key, evidence } = kind.example;
      expect(typeof kind.cause).toBe('function');
      expect(kind.cause(evidence, key)).toMatch(/^\S.{20,}[.]$/s);
      expect(typeof kind.recommend).toBe('function');
      const advice = kind.recommend(evidence, key);
      if (advice === null) return;
      expect(advice.why).toMatch(/^\S.{20,}[.]$/s);
      if (advice.action !== null) expect(Object.keys(kind.repairs)).toContain(advice.action);
    },
  );

  it.each(KINDS.flatMap((k) => Object.keys(k.repairs).map((action) => [k.kind, action] as const)))(
    "%s's %s describes its effect, names its target, and has a premise and an effect",
    (kindName, action) => {
      const kind = kindNamed(kindName)!;
      const repair = repairOf(kindName, action)!;
      const { key, evidence } = kind.example;
      expect(repair.describe(evidence, key).length).toBeGreaterThan(20);
      expect(repair.target(evidence, key)).toMatch(/^[a-z-]+:.+/);
      expect(typeof repair.premise).toBe('function');
      expect(typeof repair.effect).toBe('function');
      // What the customer gets, and when this is the right button: what decides between two repairs at night.
      expect(typeof repair.customerEffect).toBe('function');
      expect(repair.customerEffect(evidence, key)).toMatch(/^\S.{20,}[.]$/s);
      expect(repair.whenToChoose).toMatch(/^\S.{20,}[.]$/s);
    },
  );

  it('derives the action names from the kinds, each once', () => {
    expect([...ACTION_NAMES].sort()).toEqual([...new Set(KINDS.flatMap((k) => actionsOf(k.kind)))].sort());
    expect(new Set(ACTION_NAMES).size).toBe(ACTION_NAMES.length);
  });

  it('knows no action on a kind that does not declare it, and no kind it does not list', () => {
    expect(repairOf('unacked-stuck', 'redrive')).toBeUndefined();
    expect(repairOf('dead-letter', 'toString')).toBeUndefined();
    expect(kindNamed('no-such-kind')).toBeUndefined();
  });
});
