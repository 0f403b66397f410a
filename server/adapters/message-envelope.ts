import type { MessageEnvelope } from '../watched-system/model.ts';

// MassTransit's JSON serializer reads a message only inside its envelope: `messageType` names the contract the
// consumer subscribes to, `messageId` is what its inbox ("InboxState"."MessageId", a Guid) keys the message by, and
// the content type selects the deserializer. A bare body would fault into the `_error` queue.
// (MassTransit: src/MassTransit/Serialization/JsonMessageEnvelope.cs; content type from SystemTextJsonMessageSerializer.)
const MASSTRANSIT_CONTENT_TYPE = 'application/vnd.masstransit+json';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How a body Recon built is sent: inside the configured envelope, or as plain JSON when there is none. */
export function createMessageEncoder(envelope: MessageEnvelope | null, now: () => Date = () => new Date()) {
  if (envelope === null) return undefined;
  return (body: string, messageId: string) => ({
    body: `{${[
      ...(GUID.test(messageId) ? [`"messageId":${JSON.stringify(messageId)}`] : []),
      `"messageType":${JSON.stringify([envelope.messageType])}`,
      `"sentTime":${JSON.stringify(now().toISOString())}`,
      // The body as built, digits kept: parsing and re-serializing would round a 19-digit id.
      `"message":${body}`,
    ].join(',')}}`,
    contentType: MASSTRANSIT_CONTENT_TYPE,
  });
}
