/**
 * A value built on first use and kept, or built again on the next use after its build failed: a watched database
 * that is down (or a table created later) must not stop Recon from starting, only the reads that need it.
 */
export function onFirstUse<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
}
