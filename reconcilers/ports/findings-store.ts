import type { FindingSubjects, Severity } from '../vocabulary.ts';

// Recon's own store as the engines write findings to it (server/store implements it). Only the leader writes.

/** An open finding as a writer reads it: what a new verdict on the same key is compared against. */
export interface OpenFinding {
  key: string;
  severity: Severity;
  evidence: unknown;
  lastSeenAt: Date;
}

/** A verdict the store acts on, exactly: a mismatch opens or refreshes its finding, an ok resolves an open one. */
export type FindingChange =
  | {
      verdict: 'mismatch';
      kind: string;
      key: string;
      severity: Severity;
      evidence: unknown;
      /** Promoted to columns, so search and an order's timeline never read evidence by key name. */
      subjects: FindingSubjects;
    }
  | { verdict: 'ok'; kind: string; key: string };

export interface FindingsPort {
  /** Applies every change given, in one statement; no finding id appears twice. */
  writeFindings(changes: readonly FindingChange[], now: Date): Promise<{ opened: number; resolved: number }>;
  /** A page of one kind's open findings in key order. */
  openFindings(kind: string, afterKey: string | null, limit: number): Promise<OpenFinding[]>;
  /** The open findings among these ids (`${kind}:${key}`); the others are not open. */
  openFindingsByIds(ids: readonly string[]): Promise<Array<OpenFinding & { kind: string }>>;
}

/** Where each incremental stream has been read up to. */
export interface WatermarkPort {
  getWatermark(stream: string): Promise<Date | null>;
  setWatermark(stream: string, at: Date): Promise<void>;
}
