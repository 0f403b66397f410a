import { useState } from 'preact/hooks';
import { ErrorText } from '../components/ErrorText.tsx';
import { QueueTable } from '../components/QueueTable.tsx';
import { useNow } from '../hooks/use-now.ts';
import { useOverviewStream } from '../hooks/use-overview-stream.ts';
import { toHeadline } from '../lib/headline.ts';
import { staleReasons } from '../lib/staleness.ts';
import { FeatureList } from './overview/FeatureList.tsx';
import { Headline } from './overview/Headline.tsx';
import { KindCards } from './overview/KindCards.tsx';
import { LiveIndicator } from './overview/LiveIndicator.tsx';
import { OverviewCharts } from './overview/OverviewCharts.tsx';
import { SourceList } from './overview/SourceList.tsx';
import { WindowPicker } from './overview/WindowPicker.tsx';

export function OverviewPage() {
  const [minutes, setMinutes] = useState(60);
  const { overview, receivedAtMs, isLive, isUnreachable, error } = useOverviewStream(minutes);
  const now = useNow(1000);

  if (!overview) {
    return (
      <section>
        <h1>Overview</h1>
        <LiveIndicator isLive={isLive} />
        {error ? <ErrorText error={error} testId="overview-error" /> : <p data-testid="loading">Loading…</p>}
      </section>
    );
  }

  // The server's clock now: its `at` plus the time since the overview arrived (a laptop clock may be off).
  const elapsedSeconds = Math.max(0, (now - receivedAtMs) / 1000);
  const serverNowMs = Date.parse(overview.at) + elapsedSeconds * 1000;
  const reasons = staleReasons({
    sources: overview.sources,
    nowMs: serverNowMs,
    pollIntervalSeconds: overview.pollIntervalSeconds,
    overviewAgeSeconds: elapsedSeconds,
  });
  const headline = isUnreachable
    ? { level: 'unknown' as const, text: 'Recon cannot be reached: what follows is its last word, not the state now' }
    : toHeadline(overview.findings, { isDataCurrent: reasons.length === 0 });

  return (
    <section class="overview">
      <div class="page-head">
        <h1>Overview</h1>
        <LiveIndicator isLive={isLive} />
      </div>
      <Headline headline={headline} />
      <ErrorText error={error} testId="overview-error" />
      {reasons.length > 0 && (
        <div class="banner warn" role="status" data-testid="stale-banner">
          <strong>Data may be stale — findings are neither opened nor resolved on data that could not be read.</strong>
          <ul>
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
      <SourceList sources={overview.sources} nowMs={serverNowMs} isUnknown={isUnreachable} />
      <FeatureList features={overview.features} />
      <KindCards findings={overview.findings} elapsedSeconds={elapsedSeconds} />
      <WindowPicker minutes={minutes} onChange={setMinutes} />
      <OverviewCharts overview={overview} />
      <section aria-labelledby="queues-title">
        <h2 id="queues-title">Watched queues</h2>
        <QueueTable queues={overview.queues} isLive />
        {overview.queues.length === 0 && <p class="muted">The broker is not being polled.</p>}
      </section>
    </section>
  );
}
