import type { MadeUpOrder } from '../../../reconcilers/ports/repair.ts';
import { parseJsonPath, readJsonPath, toKeyText } from '../../watched-system/json-path.ts';
import type { OrderSnapshotMapping } from '../../watched-system/model.ts';

/**
 * How make-up-order reads a dispatch's order snapshot, parsed once: the snapshot is a message body someone else
 * wrote, so every configured field is checked before it becomes an order, and one naming another order is refused.
 */
export function createSnapshotReader(mapping: OrderSnapshotMapping, createdAtColumn: string) {
  const orderIdSteps = parseJsonPath(mapping.orderIdPath);
  const createdAtSteps = parseJsonPath(mapping.createdAtPath);
  const columns = Object.entries(mapping.columns).map(([column, path]) => ({
    column,
    path,
    steps: parseJsonPath(path),
  }));
  return (orderId: string, snapshot: unknown): { order: MadeUpOrder } | { problem: string } => {
    if (toKeyText(readJsonPath(snapshot, orderIdSteps)) !== orderId)
      return { problem: `its ${mapping.orderIdPath} is not ${orderId}` };
    const createdAt = readJsonPath(snapshot, createdAtSteps);
    const at = typeof createdAt === 'string' || typeof createdAt === 'number' ? new Date(createdAt) : null;
    if (!at || Number.isNaN(at.getTime())) return { problem: `it has no time at ${mapping.createdAtPath}` };
    const values: Record<string, unknown> = {};
    for (const { column, path, steps } of columns) {
      const value = readJsonPath(snapshot, steps);
      if (value === undefined) return { problem: `it has nothing at ${path}` };
      values[column] = value;
    }
    return { order: { id: orderId, columns: { ...values, [createdAtColumn]: at } } };
  };
}
