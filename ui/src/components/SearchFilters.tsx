import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

interface Props {
  /** The search text in the URL; the box edits a draft of it until the operator submits. */
  q: string;
  onSearch(q: string): void;
  searchLabel: string;
  placeholder?: string;
  /** The page's other filters (selects that apply on change), before the search box. */
  children: ComponentChildren;
}

/** A list's filter form: the page's selects apply on change; the search text applies on submit, trimmed. */
export function SearchFilters({ q, onSearch, searchLabel, placeholder, children }: Props) {
  const [draft, setDraft] = useState(q);
  return (
    <search>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          onSearch(draft.trim());
        }}
      >
        {children}
        <label>
          {searchLabel}
          <input
            type="search"
            data-testid="search"
            value={draft}
            maxLength={200}
            placeholder={placeholder}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
        </label>
        <button type="submit" data-testid="search-submit">
          Search
        </button>
      </form>
    </search>
  );
}
