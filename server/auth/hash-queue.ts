/**
 * Bounds the password checks running at once. scrypt runs on libuv's thread pool (4 threads by default), which also
 * reads the UI's files and resolves names: unbounded, a flood of wrong passwords queues every static file behind
 * hundreds of hashes. `atOnce` checks run, `waiting` more wait their turn, and anything beyond is refused at once,
 * so the cost of a flood is a fast refusal, never a slower server.
 */
export function createHashQueue({ atOnce, waiting }: { atOnce: number; waiting: number }) {
  let running = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };
  return {
    /** Runs `work` when a slot is free; undefined (decided at once) when the queue is full. */
    tryRun<T>(work: () => Promise<T>): Promise<T> | undefined {
      if (running < atOnce) {
        running++;
        return work().finally(release);
      }
      if (queue.length >= waiting) return undefined;
      // release() hands its slot straight to the next waiter: `running` stays counted.
      return new Promise<void>((resolve) => queue.push(resolve)).then(work).finally(release);
    },
  };
}

export type HashQueue = ReturnType<typeof createHashQueue>;
