// The small async toolkit every loop and adapter shares: a fair limiter, map-with-a-limit, wait-for-all-then-fail,
// an abortable sleep and a one-shot signal. Written once, so each ordering rule has one home.

/** Runs at most `limit` tasks at once; the others start in the order they came, as slots free up. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  const slots = Math.max(1, limit);
  let running = 0;
  const waiting = createQueue<() => void>();
  return async (task) => {
    if (running < slots) running += 1;
    // A released slot passes straight to the oldest waiter, so a newcomer cannot overtake it.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/**
 * `fn` over `items`, at most `limit` at once, results in order. After a failure no further item starts, and the
 * first failure is thrown only once the items already running have settled: nothing of a failed run is still at
 * work when its caller moves on.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let hasFailed = false;
  const worker = async () => {
    while (!hasFailed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!);
      } catch (error) {
        hasFailed = true;
        throw error;
      }
    }
  };
  await settleAll(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/** Promise.all that waits for every promise before it rethrows the first failure. */
export async function settleAll<T extends readonly unknown[]>(
  promises: {
    [K in keyof T]: Promise<T[K]>;
  },
): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Resolves after `ms`, or at once when `signal` aborts (a loop that is stopping does not wait out its interval). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A promise and the function that resolves it, for "wait until that step has happened". */
export function createSignal() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve: () => resolve() };
}

/**
 * A FIFO with a head index: Array.shift() copies the array, quadratic with 100k waiters. The spent head is
 * dropped once it is most of the array.
 */
function createQueue<T>() {
  let items: Array<T | undefined> = [];
  let head = 0;
  return {
    push(item: T) {
      items.push(item);
    },
    shift(): T | undefined {
      if (head >= items.length) return undefined;
      const item = items[head];
      items[head] = undefined;
      head += 1;
      if (head === items.length) {
        items = [];
        head = 0;
      } else if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
  };
}
