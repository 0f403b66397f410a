import { dispatchWithoutOrder } from './dispatch-without-order.ts';
import { duplicateDispatch } from './duplicate-dispatch.ts';
import type { OrderScopedReconciler } from './order-dispatch-snapshot.ts';
import { orderWithoutDispatch } from './order-without-dispatch.ts';

/** Judged per order id over one shared snapshot of both databases. Adding one is a file and a line here. */
export const ORDER_SCOPED_RECONCILERS: readonly OrderScopedReconciler[] = [
  orderWithoutDispatch,
  dispatchWithoutOrder,
  duplicateDispatch,
];
