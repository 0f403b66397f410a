import { Time } from './Time.tsx';

// The server writes instants into its sentences as ISO text in UTC ("placed at 2026-12-05T08:07:56.083Z"); the page
// shows every time in the one zone the operator chose, so each instant in the words is rendered like any other time.
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

interface Props {
  text: string;
}

/** A sentence from the server, its ISO instants shown as times in the UI's zone. */
export function Words({ text }: Props) {
  const parts: Array<string | { iso: string }> = [];
  let at = 0;
  for (const match of text.matchAll(ISO_INSTANT)) {
    parts.push(text.slice(at, match.index), { iso: match[0] });
    at = match.index + match[0].length;
  }
  parts.push(text.slice(at));
  return <>{parts.map((part) => (typeof part === 'string' ? part : <Time iso={part.iso} />))}</>;
}
