import type { BrokerReconciler } from './broker-judge.ts';
import { dispatchWithoutOrder } from './dispatch-without-order.ts';
import { duplicateDispatch } from './duplicate-dispatch.ts';
import type { OrderScopedReconciler } from './order-dispatch-snapshot.ts';
import { orderWithoutDispatch } from './order-without-dispatch.ts';
import { unackedStuck } from './unacked-stuck.ts';
import { unconfirmedPublishes } from './unconfirmed-publishes.ts';

/** Judged per order id over one shared snapshot of both databases. Adding one is a file and a line here. */
export const ORDER_SCOPED_RECONCILERS: readonly OrderScopedReconciler[] = [
  orderWithoutDispatch,
  dispatchWithoutOrder,
  duplicateDispatch,
];

/** Judged after each broker poll over the recent polls. */
export const BROKER_RECONCILERS: readonly BrokerReconciler[] = [unconfirmedPublishes, unackedStuck];
