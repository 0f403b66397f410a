import type { Wire } from './wire.ts';

/**
 * `value` as c.json sends it: JSON.stringify writes each Date as its ISO text, which is all `Wire` changes. A handler
 * hands the result to c.json<SomeJson>(…), so the compiler checks what it sends against what the UI reads.
 */
export const asJson = <T>(value: T): Wire<T> => value as Wire<T>;
