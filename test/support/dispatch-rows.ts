import { type DemoHarness, placeOrders } from './demo-harness.ts';
import { waitFor } from './wait-for.ts';

/** Dispatch rows of one order in the demo's dispatch database; `live` leaves out cancelled ones. */
export async function countDispatches(demo: DemoHarness, orderId: string, { live = false } = {}): Promise<number> {
  const { rows } = await demo.system.dispatchPool.query<{ n: string }>(
    `SELECT count(*) AS n FROM dispatches WHERE order_id = $1${live ? " AND status <> 'cancelled'" : ''}`,
    [orderId],
  );
  return Number(rows[0]!.n);
}

/** Places an order, waits for its dispatch, then deletes the dispatch row: a real order-without-dispatch. */
export async function placeOrderAndLoseItsDispatch(demo: DemoHarness): Promise<string> {
  const [orderId] = await placeOrders(demo, 1);
  await waitFor('the dispatch', async () => (await countDispatches(demo, orderId!)) === 1);
  await demo.system.dispatchPool.query('DELETE FROM dispatches WHERE order_id = $1', [orderId]);
  return orderId!;
}
