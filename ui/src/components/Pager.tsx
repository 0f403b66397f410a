interface Props {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  /** "Page 2", or whatever says where the operator is. */
  label: string;
}

export function Pager({ hasPrevious, hasNext, onPrevious, onNext, label }: Props) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" data-testid="prev-page" disabled={!hasPrevious} onClick={onPrevious}>
        ← Previous
      </button>
      <span>{label}</span>
      <button type="button" data-testid="next-page" disabled={!hasNext} onClick={onNext}>
        Next →
      </button>
    </nav>
  );
}
