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
