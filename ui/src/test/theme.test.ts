import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { applyTheme } from '../lib/theme';

// Read from disk: the test run does not process CSS, so importing it (even `?raw`) gives nothing.
// Vitest runs from ui/ (the package scripts and the config are there).
const css = readFileSync(join(process.cwd(), 'src/app.css'), 'utf8');

/** The custom properties a rule sets, as `name: value` lines, in order. */
function properties(selector: string): string[] {
  const start = css.indexOf(`${selector} {`);
  expect(start, `no rule for ${selector} in app.css`).toBeGreaterThanOrEqual(0);
  const body = css.slice(start, css.indexOf('}', start));
  return [...body.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)].map((m) => `${m[1]}: ${m[2].trim()}`);
}

test("the dark palette chosen in Settings is the desktop's dark palette, colour for colour", () => {
  const system = properties(":root:not([data-theme='light'])");
  expect(system.length).toBeGreaterThan(20);
  expect(properties(":root[data-theme='dark']")).toEqual(system);
});

test('every colour of the light palette has a dark one', () => {
  const names = (lines: string[]) => lines.map((l) => l.split(':')[0]);
  const light = names(properties(':root')).filter((n) => !['--radius', '--row-h', '--mono', '--toast-width'].includes(n));
  expect(names(properties(":root[data-theme='dark']")).sort()).toEqual(light.sort());
});

test('applyTheme sets data-theme on <html>, and system removes it', () => {
  applyTheme('dark');
  expect(document.documentElement.dataset.theme).toBe('dark');
  applyTheme('light');
  expect(document.documentElement.dataset.theme).toBe('light');
  applyTheme('system');
  expect(document.documentElement).not.toHaveAttribute('data-theme');
});

/** WCAG contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const v = parseInt(hex.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test.each([
  ['light', ':root'],
  ['dark', ":root[data-theme='dark']"],
])('the %s palette keeps text readable: 4.5:1 or more for body, muted, links, badges and diffs', (_name, selector) => {
  const p = Object.fromEntries(properties(selector).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
  const pairs: [string, string][] = [
    ['--fg', '--bg'],
    ['--fg-muted', '--bg'],
    ['--fg-muted', '--bg-alt'],
    ['--fg-muted', '--muted-bg'],
    ['--accent', '--bg'],
    ['--accent-fg', '--accent'],
    ['--ok', '--ok-bg'],
    ['--info', '--info-bg'],
    ['--warn', '--warn-bg'],
    ['--danger', '--danger-bg'],
    ['--fg', '--diff-add'],
    ['--fg', '--diff-del'],
  ];
  for (const [fg, bg] of pairs) expect(contrast(p[fg], p[bg]), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  // muted text is dimmer than body text, or the hierarchy is gone
  expect(contrast(p['--fg-muted'], p['--bg'])).toBeLessThan(contrast(p['--fg'], p['--bg']) * 0.6);
});
