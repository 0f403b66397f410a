import type { Pool } from 'pg';
import type { PublisherPort, RepairPorts, StoredLetter } from '../../reconcilers/ports/repair.ts';
import { createDispatchRepairDb } from '../adapters/dispatch-repair-db.ts';
import { createOrdersRepairDb } from '../adapters/orders-repair-db.ts';
import type { ReconConfig } from '../config.ts';
import type { DeadLetter, DeadLetterStore } from '../store/dead-letter-types.ts';

/** Wires the domain's repair ports to the real databases, Recon's dead-letter store and the action publisher. */
export function createRepairPorts(
  config: ReconConfig,
  pools: { orders: Pool; dispatch: Pool },
  deadLetters: DeadLetterStore,
  publisher: PublisherPort,
): RepairPorts {
  return {
    orders: createOrdersRepairDb(pools.orders, config.mapping),
    dispatch: createDispatchRepairDb(pools.dispatch, config.mapping),
    deadLetters: {
      get: async (id) => {
        const letter = await deadLetters.getDeadLetter(id);
        return letter ? toStoredLetter(letter) : null;
      },
      settle: (id, state, reason) => deadLetters.settleDeadLetter(id, state, reason),
    },
    publisher,
    orderCreated: {
      exchange: config.mapping.messages.exchange,
      routingKey: config.mapping.messages.orderCreatedRoutingKey,
    },
    madeUpStatus: config.mapping.orders.madeUpStatus,
    maxReplays: config.actions.maxReplays,
  };
}

const toStoredLetter = (letter: DeadLetter): StoredLetter => ({
  id: letter.id,
  state: letter.state,
  messageId: letter.messageId,
  body: letter.body,
  bodyTruncated: letter.bodyTruncated,
  contentType: letter.contentType,
  properties: letter.properties,
  headers: letter.headers,
  originExchange: letter.originExchange,
  originRoutingKeys: letter.originRoutingKeys,
  orderId: letter.orderId,
});
