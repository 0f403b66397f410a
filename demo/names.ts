// The reference system's wire contract (DESIGN.md, "The reference system"). Recon's defaults match these names.
export const ORDERS_EXCHANGE = 'orders';
export const DEAD_LETTER_EXCHANGE = 'orders.dlx';
export const ORDER_CREATED = 'order.created';
export const DISPATCH_QUEUE = 'dispatch.order-created';
export const DISPATCH_DEAD_LETTER_QUEUE = 'dispatch.order-created.dlq';
export const REPLENISH_QUEUE = 'orders.replenish';
/** Deliveries of one message before the quorum queue dead-letters it with reason `delivery_limit`. */
export const DISPATCH_DELIVERY_LIMIT = 20;
