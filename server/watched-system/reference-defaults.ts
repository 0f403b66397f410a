import { child, type IssueList } from './issues.ts';

// A key left out of an entity takes the reference system's name only when the entity's table is the reference
// system's; on a table of the system's own, a name Recon guessed would be a stand-in column. There, what the
// features cannot do without is required (with null allowed where the system may have no such column), and what is
// optional is absent.

export interface EntityTable {
  /** e.g. `flows[0].order` */
  path: string;
  table: string;
  referenceTable: string;
}

export const isReferenceTable = (entity: EntityTable) => entity.table === entity.referenceTable;

/** Why Recon has no default for a key of this entity. */
export const whyRequired = (entity: EntityTable) =>
  `${child(entity.path, 'table')} is "${entity.table}", not the reference system's "${entity.referenceTable}"`;

export function createDefaults<T extends object>(
  given: { [K in keyof T]?: T[K] | undefined },
  reference: T,
  entity: EntityTable,
  issues: IssueList,
  /** Where the keys are, when not in the entity itself (the message's keys follow the order's table). */
  keysPath = entity.path,
) {
  const isReference = isReferenceTable(entity);
  const why = whyRequired(entity);
  return {
    /** The given value; else the reference system's on its table; else an issue (`orNull`: null is a valid answer). */
    required<K extends keyof T & string>(key: K, { orNull = false } = {}): T[K] {
      const value = given[key];
      if (value !== undefined) return value as T[K];
      if (!isReference)
        issues.add(child(keysPath, key), `required: ${why}${orNull ? ' (null if the table has no such column)' : ''}`);
      return reference[key];
    },
    /** The given value; else the reference system's on its table; else `absent`. */
    optional<K extends keyof T & string, A>(key: K, absent: A): T[K] | A {
      const value = given[key];
      if (value !== undefined) return value as T[K];
      return isReference ? reference[key] : absent;
    },
  };
}
