import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/client.ts';

export interface ApiState<T> {
  data: T | undefined;
  error: string | null;
  isLoading: boolean;
  /** Counts finished loads (answer or error): changes even when an answer equals the previous one. */
  version: number;
  reload(): void;
}

/**
 * Calls `load` (an `api` function) again whenever a value in `deps`, what it reads, changes; an answer to an older
 * request is dropped (aborted), so a fast typist never sees the results of a previous search land last. `load` null:
 * nothing to load.
 */
export function useApi<T>(load: ((signal: AbortSignal) => Promise<T>) | null, deps: readonly unknown[]): ApiState<T> {
  const isActive = load !== null;
  const [state, setState] = useState<{ data?: T; error: string | null; isLoading: boolean; version: number }>({
    error: null,
    isLoading: isActive,
    version: 0,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  // This render's loader: `deps` say when to call it, so a new closure each render does not load again.
  const latestLoad = useRef(load);
  latestLoad.current = load;

  // `generation` is the reload trigger.
  useEffect(() => {
    const current = latestLoad.current;
    if (current === null) return;
    const abort = new AbortController();
    setState((s) => ({ ...s, isLoading: true }));
    current(abort.signal).then(
      (data) => setState((s) => ({ data, error: null, isLoading: false, version: s.version + 1 })),
      (err) => {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, error: errorMessage(err), isLoading: false, version: s.version + 1 }));
      },
    );
    return () => abort.abort();
  }, [isActive, generation, ...deps]);

  return { data: state.data, error: state.error, isLoading: state.isLoading, version: state.version, reload };
}
