import type { PublisherPort, RepairPorts, StoredLetter } from '../../reconcilers/ports/repair.ts';
import { createMessageEncoder } from '../adapters/message-envelope.ts';
import type { ReconConfig } from '../config.ts';
import type { FlowAdapters } from '../flow-adapters.ts';
import type { DeadLetter, DeadLetterStore } from '../store/dead-letter-types.ts';

/** Wires the domain's repair ports to the watched flow's databases, Recon's dead-letter store and the publisher. */
export function createRepairPorts(
  config: ReconConfig,
  repairs: FlowAdapters['repairs'],
  deadLetters: DeadLetterStore,
  publisher: PublisherPort,
  /** The queues custody consumes (the configuration's, unless a test names others). */
  deadLetterQueues: RepairPorts['deadLetterQueues'] = config.watched.flow.deadLetterQueues,
): RepairPorts {
  const { flow } = config.watched;
  return {
    orders: repairs.orders,
    dispatch: repairs.dispatch,
    deadLetters: {
      get: async (id) => {
        const letter = await deadLetters.getDeadLetter(id);
        return letter ? toStoredLetter(letter) : null;
      },
      settle: (id, state, reason) => deadLetters.settleDeadLetter(id, state, reason),
    },
    publisher,
    messageRoute: {
      exchange: flow.message.exchange,
      routingKey: flow.message.routingKey,
      headers: flow.message.headers,
      messageIdHeader: flow.message.messageIdHeader,
      encode: createMessageEncoder(flow.message.envelope),
    },
    madeUpStatus: flow.order.madeUpStatus,
    maxReplays: config.actions.maxReplays,
    deadLetterQueues,
  };
}

const toStoredLetter = (letter: DeadLetter): StoredLetter => ({
  id: letter.id,
  queue: letter.queue,
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
