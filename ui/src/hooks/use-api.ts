import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorMessage, getJson, type Query, withQuery } from '../api/client.ts';

export interface ApiState<T> {
  data: T | undefined;
  error: string | null;
  isLoading: boolean;
  /** Counts finished loads (answer or error): changes even when an answer equals the previous one. */
  version: number;
  reload(): void;
}

/**
 * GETs `path` whenever it or the query changes; an answer to an older request is dropped (aborted), so a fast
 * typist never sees the results of a previous search land last. `path` null: nothing to load.
 */
export function useApi<T>(path: string | null, query?: Query): ApiState<T> {
  const url = path === null ? null : withQuery(path, query);
  const [state, setState] = useState<{ data?: T; error: string | null; isLoading: boolean; version: number }>({
    error: null,
    isLoading: url !== null,
    version: 0,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  // `generation` is the reload trigger.
  useEffect(() => {
    if (url === null) return;
    const abort = new AbortController();
    setState((s) => ({ ...s, isLoading: true }));
    getJson<T>(url, undefined, abort.signal).then(
      (data) => setState((s) => ({ data, error: null, isLoading: false, version: s.version + 1 })),
      (err) => {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, error: errorMessage(err), isLoading: false, version: s.version + 1 }));
      },
    );
    return () => abort.abort();
  }, [url, generation]);

  return { data: state.data, error: state.error, isLoading: state.isLoading, version: state.version, reload };
}
