import type { TimelineEvent } from '../api/types.ts';
import { href } from '../routing/routes.ts';
import { Time } from './Time.tsx';

/** An order's events, oldest first: the order timeline page, and the finding page's record of its order. */
export function TimelineList({ events, testId = 'timeline' }: { events: readonly TimelineEvent[]; testId?: string }) {
  return (
    <ol class="timeline" data-testid={testId}>
      {events.map((event, index) => (
        <TimelineItem key={`${event.at}|${event.source}|${event.type}|${index}`} event={event} />
      ))}
    </ol>
  );
}

function TimelineItem({ event }: { event: TimelineEvent }) {
  return (
    <li class={`event ${event.source}`} data-testid="timeline-event" data-source={event.source} data-type={event.type}>
      <Time iso={event.at} />
      <span class="event-source">{event.source}</span>
      <span class="event-type">{event.type}</span>
      <dl class="event-detail">
        {Object.entries(event.detail).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>
              <DetailValue name={name} value={value} />
            </dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

/** Ids that have a page of their own become links; everything else is text. */
function DetailValue({ name, value }: { name: string; value: string | number | null }) {
  if (value === null) return <>—</>;
  const text = String(value);
  if (name === 'findingId') return <a href={href.finding(text)}>{text}</a>;
  if (name === 'deadLetterId') return <a href={href.deadLetter(text)}>{text}</a>;
  if (name === 'actionId') return <a href={href.action(text)}>{text}</a>;
  return <span class="mono">{text}</span>;
}
