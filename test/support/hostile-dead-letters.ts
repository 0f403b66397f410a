import { randomUUID } from 'node:crypto';

// The O4 corpus (reliability.md): what a hostile or broken producer can put into a dead-letter queue.
export const MAX_BYTES = 1_048_576; // the default RECON_DEAD_LETTER_MAX_BYTES
export const HUGE_BYTES = 10 * 1024 * 1024;
/** The order of the one real dead letter (rejected by the dispatch service); the huge body names it too. */
export const REAL_ORDER = randomUUID();
export const PROTO_ORDER = randomUUID();
export const realMessageId = randomUUID();

export const corpus: Array<{ messageId?: string; body: Buffer; headers?: Record<string, unknown> }> = [
  { messageId: 'h-text', body: Buffer.from('hello <script>alert(1)</script>') },
  { messageId: 'h-bytes', body: Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x7b]) },
  { messageId: 'h-huge', body: Buffer.from(`{"orderId":"${REAL_ORDER}","pad":"${'a'.repeat(HUGE_BYTES)}"}`) },
  { messageId: 'h-deep', body: Buffer.from(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) },
  { messageId: 'h-proto', body: Buffer.from(`{"__proto__":{"polluted":1},"orderId":"${PROTO_ORDER}"}`) },
  { messageId: 'h-no-order', body: Buffer.from('{"hello":"world"}') },
  { body: Buffer.from('an anonymous twin') },
  { body: Buffer.from('an anonymous twin') },
  {
    messageId: 'h-headers',
    body: Buffer.from('{}'),
    headers: {
      'x-death': [{ reason: 'r'.repeat(3_000), count: 10 ** 12, queue: 'q', exchange: 'e', 'routing-keys': ['k', 7] }],
      'x-evil': 'a\u0000b',
    },
  },
];
