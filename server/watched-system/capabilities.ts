import type { Capability } from '../../reconcilers/repair.ts';
import type { Flow } from './model.ts';

/** What the flow's configuration provides to repairs: a repair that needs more is not offered. */
export function capabilitiesOf(flow: Flow): ReadonlySet<Capability> {
  const { outbox, order, dispatch, message } = flow;
  return new Set<Capability>([
    ...(message.body ? (['message-body'] as const) : []),
    ...(order.snapshot && dispatch.orderSnapshot ? (['order-snapshot'] as const) : []),
    ...(outbox?.payload && outbox.markPublished ? (['outbox-republish'] as const) : []),
    ...(dispatch.status && dispatch.cancelledStatuses.length > 0 ? (['dispatch-status'] as const) : []),
  ]);
}
