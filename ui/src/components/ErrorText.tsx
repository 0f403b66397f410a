interface Props {
  error: string | null | undefined;
  testId?: string;
}

/** A server or network error, as text (it may quote attacker-controlled input). `role="alert"` reads it out. */
export function ErrorText({ error, testId = 'error' }: Props) {
  if (!error) return null;
  return (
    <p class="error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}
