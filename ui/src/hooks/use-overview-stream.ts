import { useEffect, useState } from 'preact/hooks';
import { errorMessage, isErrorJson } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import { sessionStore } from '../api/session-store.ts';
import type { EventsJson, Overview } from '../api/types.ts';

/** While the event stream is down, the overview is still fetched this often, so the page never freezes silently. */
const FALLBACK_POLL_MS = 5_000;
/** An event stream that fails may mean the session ended (EventSource cannot see a 401): check, but not in a loop. */
const SESSION_CHECK_MS = 15_000;

export interface OverviewStream {
  overview: Overview | undefined;
  /** When the overview arrived, by the browser's clock: with `overview.at` it gives the server's "now". */
  receivedAtMs: number;
  isLive: boolean;
  /** The stream is down and the last fetch failed: Recon itself cannot be reached, so nothing shown is current. */
  isUnreachable: boolean;
  error: string | null;
}

/**
 * The overview over the last `minutes`, once by GET and then from the live events (`overview`) as the server pushes
 * it. A new window opens a new stream; the numbers already shown stay until its first event.
 */
export function useOverviewStream(minutes: number): OverviewStream {
  const [state, setState] = useState<OverviewStream>({
    overview: undefined,
    receivedAtMs: 0,
    isLive: false,
    isUnreachable: false,
    error: null,
  });

  useEffect(() => {
    let isLive = false;
    let lastSessionCheck = 0;
    let isClosed = false;
    const accept = (overview: Overview) => {
      if (!isClosed) setState((s) => ({ ...s, overview, receivedAtMs: Date.now(), isUnreachable: false, error: null }));
    };
    const fetchOnce = () =>
      api.overview.get({ minutes }).then(accept, (err) => {
        if (!isClosed) setState((s) => ({ ...s, isUnreachable: !isLive, error: errorMessage(err) }));
      });

    void fetchOnce();
    const events = api.events.open(minutes);
    events.addEventListener('open', () => {
      isLive = true;
      setState((s) => ({ ...s, isLive: true }));
    });
    events.addEventListener('overview', (event) => {
      try {
        accept(JSON.parse((event as MessageEvent<string>).data) as EventsJson['overview']);
      } catch {
        // A malformed event is skipped; the next one replaces it.
      }
    });
    // Recon's own database could not be read for this tick: keep the last numbers on screen and say why.
    events.addEventListener('overview-unavailable', (event) => {
      setState((s) => ({ ...s, error: unavailableText((event as MessageEvent<string>).data) }));
    });
    // EventSource reconnects by itself after an error; until it does, fall back to polling.
    events.addEventListener('error', () => {
      isLive = false;
      setState((s) => ({ ...s, isLive: false }));
      // Find out now whether Recon answers at all, rather than at the next fallback tick.
      void fetchOnce();
      if (Date.now() - lastSessionCheck > SESSION_CHECK_MS) {
        lastSessionCheck = Date.now();
        void sessionStore.check();
      }
    });
    const fallback = setInterval(() => {
      if (!isLive) void fetchOnce();
    }, FALLBACK_POLL_MS);

    return () => {
      isClosed = true;
      events.close();
      clearInterval(fallback);
    };
  }, [minutes]);

  return state;
}

function unavailableText(data: string): string {
  try {
    const parsed: unknown = JSON.parse(data);
    if (isErrorJson(parsed)) return `The overview could not be refreshed: ${parsed.error.message}`;
  } catch {
    // Not JSON: the generic text below.
  }
  return 'The overview could not be refreshed.';
}
