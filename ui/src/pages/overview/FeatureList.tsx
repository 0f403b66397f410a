import type { Feature } from '../../api/types.ts';

interface Props {
  features: Feature[];
}

/** What the watched system's configuration turns off, and why: a check that cannot run must say so, not stay silent. */
export function FeatureList({ features }: Props) {
  const off = features.filter((f) => !f.isOn);
  if (off.length === 0) return null;
  return (
    <section aria-labelledby="features-title" data-testid="features-off">
      <h2 id="features-title">Turned off by the configuration</h2>
      <ul class="features">
        {off.map((f) => (
          <li key={f.feature} data-testid={`feature-${f.feature}`}>
            <strong>{f.feature}</strong>: {f.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}
