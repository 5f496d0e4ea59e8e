// The window's colours. `data-theme` on <html> picks the light or the dark palette of app.css;
// without it the desktop's preference (prefers-color-scheme) decides, which is what `system` means.
import type { Theme } from './types';

export const THEMES = ['system', 'light', 'dark'] as const satisfies readonly Theme[];
const allThemes: Exclude<Theme, (typeof THEMES)[number]> extends never ? true : never = true;
void allThemes;

export const THEME_LABELS: Record<Theme, string> = { system: 'Same as the system', light: 'Light', dark: 'Dark' };

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
