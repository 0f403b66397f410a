import { REPAIRS } from '../../reconcilers/repairs.ts';
import type { FindingKind } from '../../reconcilers/types.ts';

/**
 * A fresh array each call: a Finding's `actions` is mutable and must not alias the registry. A row of a kind this
 * version no longer knows (written by an older one) gets no actions rather than failing the whole listing.
 */
export const actionsFor = (kind: FindingKind): string[] => Object.keys(REPAIRS[kind] ?? {});
