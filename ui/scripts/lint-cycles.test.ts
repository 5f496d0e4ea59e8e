import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findCycles, importGraph } from './lint-cycles.mjs';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cycles-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('finds a cycle that runs through a .svelte component and a rune module', () => {
  const root = tree({
    'lib/a.ts': "import { b } from './b.svelte';\nexport const a = b;\n",
    'lib/b.svelte.ts': "import View from '../views/View.svelte';\nexport const b = View;\n",
    'views/View.svelte': "<script lang=\"ts\">\n  import { a } from '../lib/a';\n</script>\n<p>{a}</p>\n",
    'views/Leaf.svelte': "<script lang=\"ts\">\n  import Leaf from './Leaf.svelte';\n</script>\n",
  });
  const cycles = findCycles(importGraph(root));
  expect(cycles).toHaveLength(1);
  expect(cycles[0].map((f: string) => f.slice(root.length + 1)).sort()).toEqual(['lib/a.ts', 'lib/b.svelte.ts', 'views/View.svelte']);
});

test('type-only imports count; packages do not', () => {
  const root = tree({
    'x.ts': "import type { Y } from './y';\nimport { svelte } from 'svelte';\nexport type X = Y;\n",
    'y.ts': "export type { X as Y } from './x';\n",
  });
  expect(findCycles(importGraph(root))).toHaveLength(1);
});

test('the app itself has no import cycle', () => {
  const graph = importGraph(join(__dirname, '..', 'src'));
  expect(graph.size).toBeGreaterThan(30);
  expect(findCycles(graph)).toEqual([]);
});
