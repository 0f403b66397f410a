import { createStore, useStore } from './store.ts';

// Light or dark: the operator's choice when they made one (kept in localStorage), the system's otherwise. The
// effective theme goes on <html data-theme>, which styles.css and the charts read.

export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'recon-theme';
const systemDark = matchMedia('(prefers-color-scheme: dark)');

const stored = (): Theme | null => {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    // Storage can be disabled (privacy settings): the system theme still works.
    return null;
  }
};

const effective = (): Theme => stored() ?? (systemDark.matches ? 'dark' : 'light');

export const themeStore = createStore<Theme>(effective());

const apply = (theme: Theme) => {
  document.documentElement.dataset.theme = theme;
};

export function startTheme(): void {
  apply(themeStore.get());
  themeStore.subscribe(apply);
  systemDark.addEventListener('change', () => themeStore.set(effective()));
}

export function toggleTheme(): void {
  const next: Theme = themeStore.get() === 'dark' ? 'light' : 'dark';
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, still applied.
  }
  themeStore.set(next);
}

export const useTheme = (): Theme => useStore(themeStore);
