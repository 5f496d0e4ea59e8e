// One type scale (app.css: --text-xs … --text-xl): a size written in px anywhere else is a size
// the scale does not have, and screens drift apart again.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';

const SRC = join(process.cwd(), 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test' ? [] : files(path);
    return /\.(svelte|css|ts)$/.test(name) ? [path] : [];
  });
}

test('every font size in the UI is a step of the type scale', () => {
  const css = readFileSync(join(SRC, 'app.css'), 'utf8');
  const scale = [...css.matchAll(/(--text-[a-z]+):\s*(\d+)px/g)].map((m) => m[1]);
  expect(scale).toEqual(['--text-xs', '--text-sm', '--text-md', '--text-base', '--text-lg', '--text-xl']);

  const stray: string[] = [];
  for (const path of files(SRC)) {
    const rel = relative(SRC, path);
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/font-?[sS]ize['"]?\s*:\s*['"]?([^;'",}\n]+)/g)) {
      const value = m[1].trim();
      // TYPE_SCALE (views/topology/diagramSvg.ts) is the scale written out for a standalone SVG
      // file, which has no CSS variables; diagramSvg.test.ts checks it against app.css.
      const step = /^var\(--text-(xs|sm|md|base|lg|xl)\)$/.test(value) || /^TYPE_SCALE\.(xs|sm|md|base|lg|xl)$/.test(value);
      if (!step && value !== 'inherit') stray.push(`${rel}: ${value}`);
    }
  }
  expect(stray).toEqual([]);
});
