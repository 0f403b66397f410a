import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

interface Props {
  testId: string;
  title: string;
  onClose(): void;
  children: ComponentChildren;
}

/**
 * A modal on the native <dialog>: showModal() makes the rest of the page inert and traps focus, and Escape fires
 * `cancel`, which closes it through `onClose` so the parent's state stays the one truth about whether it is open.
 * The focus goes to the element marked `data-autofocus`, or the first field.
 */
export function Dialog({ testId, title, onClose, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  // A layout effect: open and focus in the same task as the click that rendered the dialog, so keys typed right
  // after the click land in the field instead of the page behind.
  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    opener.current = document.activeElement;
    if (!element.open) element.showModal();
    const first = element.querySelector<HTMLElement>('[data-autofocus]') ?? element.querySelector<HTMLElement>(FIELDS);
    first?.focus();
    return () => {
      element.close();
      // Back to the button that opened it, so a keyboard user is where they were.
      if (opener.current instanceof HTMLElement) opener.current.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      class="dialog"
      data-testid={testId}
      aria-labelledby={`${testId}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${testId}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}

const FIELDS = 'textarea, input, select, button';
