import type { Headline as HeadlineValue } from '../../lib/headline.ts';

/** The overview's first line: the worst severity open and its trend, in words (the colour only repeats them). */
export function Headline({ headline }: { headline: HeadlineValue }) {
  return (
    <p class={`headline ${headline.level}`} data-testid="overview-headline" data-level={headline.level} role="status">
      {headline.text}
    </p>
  );
}
