import { api } from '../api/endpoints.ts';
import type { DeadLetter } from '../api/types.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { Time } from '../components/Time.tsx';
import { useApi } from '../hooks/use-api.ts';
import { formatCount, toPrettyJson } from '../lib/format.ts';
import { href } from '../routing/routes.ts';
import { LetterActions } from './dead-letters/LetterActions.tsx';
import { ReplayNote } from './dead-letters/ReplayNote.tsx';
import { XDeathTable } from './dead-letters/XDeathTable.tsx';

// Everything on this page came from a producer or the broker: it is rendered as text only, in <pre> and cells.
export function DeadLetterDetailPage({ id }: { id: string }) {
  const { data: letter, error, reload } = useApi((signal) => api.deadLetters.get(id, signal), [id]);

  if (!letter) {
    return (
      <section>
        <h1>Dead letter {id}</h1>
        {error ? <ErrorText error={error} /> : <p data-testid="loading">Loading…</p>}
      </section>
    );
  }

  return (
    <section>
      <p>
        <a href={href.deadLetters()}>← Dead letters</a>
      </p>
      <h1>Dead letter {letter.id}</h1>
      {letter.replay && <ReplayNote replay={letter.replay} />}
      <dl class="facts">
        <dt>Queue</dt>
        <dd>{letter.queue}</dd>
        <dt>Reason</dt>
        <dd>
          {letter.reason} ({formatCount(letter.deathCount)} deaths)
        </dd>
        <dt>State</dt>
        <dd data-testid="dead-letter-state">
          {letter.state}
          {letter.stateReason ? ` — ${letter.stateReason}` : ''}
        </dd>
        <dt>Received</dt>
        <dd>
          <Time iso={letter.receivedAt} />
        </dd>
        <dt>Message id</dt>
        <dd class="mono">{letter.messageId ?? '—'}</dd>
        <dt>Origin</dt>
        <dd class="mono">
          exchange {letter.originExchange === '' ? '(default)' : (letter.originExchange ?? '—')}, routing keys{' '}
          {letter.originRoutingKeys.join(', ') || '—'}
        </dd>
        <dt>Order</dt>
        <dd class="mono">{letter.orderId ? <a href={href.order(letter.orderId)}>{letter.orderId}</a> : '—'}</dd>
        <dt>Finding</dt>
        <dd>
          <a href={href.finding(`dead-letter:${letter.dedupeKey}`)}>dead-letter finding</a>
        </dd>
      </dl>

      <LetterActions letter={letter} onActed={reload} />

      <h2>Body</h2>
      <BodyView letter={letter} />

      <h2>x-death</h2>
      <XDeathTable entries={letter.xDeath} />

      <h2>Headers</h2>
      {letter.headerEntries !== null && (letter.headerEntriesOmitted ?? 0) > 0 && (
        <p class="banner warn" data-testid="dead-letter-headers-trimmed">
          headers trimmed: {formatCount(letter.headerEntriesOmitted ?? 0)} of {formatCount(letter.headerEntries)} not
          stored
        </p>
      )}
      <pre class="json" data-testid="dead-letter-headers">
        {toPrettyJson(letter.headers)}
      </pre>

      <h2>Properties</h2>
      <pre class="json" data-testid="dead-letter-properties">
        {toPrettyJson(letter.properties)}
      </pre>
    </section>
  );
}

function BodyView({ letter }: { letter: DeadLetter }) {
  const isJson = letter.parsed !== undefined;
  const label = isJson
    ? 'JSON, pretty-printed'
    : letter.body.encoding === 'base64'
      ? 'base64 (the body is not valid UTF-8)'
      : 'text (not parseable as JSON)';
  return (
    <>
      <p class="muted" data-testid="dead-letter-body-encoding" data-encoding={isJson ? 'json' : letter.body.encoding}>
        {label}, {formatCount(letter.bodySize)} bytes
        {letter.bodyTruncated ? ' — cut to the stored limit' : ''}
        {letter.contentType ? `, content type ${letter.contentType}` : ''}
      </p>
      <pre class="json body" data-testid="dead-letter-body">
        {isJson ? toPrettyJson(letter.parsed) : letter.body.text}
      </pre>
    </>
  );
}
