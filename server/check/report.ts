import { maskSecrets } from '../adapters/postgres.ts';

// What `recon check` found, one item per configuration issue, database, table, column, condition, index, broker
// object and feature: printed as text (print-report.ts) or as this JSON (`--json`), so CI and tests read the same.

/**
 * `missing` and `error` fail the check; `warn` does not (unless --strict): Recon works, but slower or with less.
 * `info` says something was not checked or cannot be helped; `on`/`off` are features, never a failure.
 */
export type CheckStatus = 'ok' | 'missing' | 'error' | 'warn' | 'info' | 'on' | 'off';

export type CheckKind =
  | 'config'
  | 'database'
  | 'table'
  | 'column'
  | 'condition'
  | 'index'
  | 'slot'
  | 'broker'
  | 'vhost'
  | 'exchange'
  | 'queue'
  | 'feature';

export type Section = 'config' | 'databases' | 'order' | 'outbox' | 'dispatch' | 'inbox' | 'broker' | 'features';

export interface CheckItem {
  section: Section;
  kind: CheckKind;
  status: CheckStatus;
  /** What the line is about: a table, a column, an index's columns, a queue, a feature. */
  name: string;
  /** Where the watched-system file says so; several when one column serves several keys. */
  configPaths: string[];
  detail: string;
  /** A column's type as PostgreSQL prints it. */
  sqlType?: string;
  /** What to run, e.g. the CREATE INDEX that serves a statement. */
  fix?: string;
  database?: string;
  table?: string;
}

export interface CheckReport {
  /** The file checked, or `defaults` / `RECON_MAPPING`. */
  origin: string;
  items: CheckItem[];
  errors: number;
  warnings: number;
  /** 0: all is well (warnings allowed unless strict); 1: something is missing or wrong. */
  exitCode: number;
}

export const isFailure = (status: CheckStatus) => status === 'missing' || status === 'error';

export function toReport(origin: string, items: CheckItem[], { isStrict = false } = {}): CheckReport {
  const errors = items.filter((item) => isFailure(item.status)).length;
  const warnings = items.filter((item) => item.status === 'warn').length;
  const masked = items.map(maskItem);
  return {
    origin: maskSecrets(origin),
    items: masked,
    errors,
    warnings,
    exitCode: errors > 0 || (isStrict && warnings > 0) ? 1 : 0,
  };
}

/** Credentials never leave the check: every text passes through the same mask as Recon's logs and API. */
function maskItem(item: CheckItem): CheckItem {
  return Object.fromEntries(
    Object.entries(item).map(([key, value]) => [
      key,
      typeof value === 'string' ? maskSecrets(value) : Array.isArray(value) ? value.map(maskSecrets) : value,
    ]),
  ) as unknown as CheckItem;
}
