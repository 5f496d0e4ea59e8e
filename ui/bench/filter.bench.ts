// `npm run bench`: how long building and filtering the resources table takes at 10,000 rows.
// Prints the figures; asserts only that the filters return what they should.
import { expect, test } from 'vitest';
import { buildRows, filterRows, type Filter } from '../src/lib/filter';
import { makeResources } from '../src/test/fixtures';

const N = 10_000;
const RUNS = 20;

function time(label: string, fn: () => number): void {
  fn(); // warm up
  const ms: number[] = [];
  let size = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    size = fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  console.log(`${label.padEnd(44)} median ${median.toFixed(2)} ms   max ${ms[ms.length - 1].toFixed(2)} ms   (${size} rows)`);
}

test(`filter ${N} rows`, () => {
  const resources = makeResources(N);
  time('build rows (lowercase keys, sort)', () => buildRows(resources).length);
  const rows = buildRows(resources);
  const filters: [string, Filter][] = [
    ['no filter', { kind: '', status: '', text: '' }],
    ['kind = Switch', { kind: 'Switch', status: '', text: '' }],
    ['status = invalid', { kind: '', status: 'invalid', text: '' }],
    ['text "vlan 5000"', { kind: '', status: '', text: 'vlan 5000' }],
    ['text "switch-0004" (prefix of 10)', { kind: '', status: '', text: 'switch-0004' }],
    ['kind + status + text', { kind: 'Server', status: 'synced', text: 'server-0' }],
    ['text with no match', { kind: '', status: '', text: 'nothing-like-this' }],
  ];
  for (const [label, f] of filters) time(`filter: ${label}`, () => filterRows(rows, f).length);
  expect(filterRows(rows, { kind: '', status: '', text: 'nothing-like-this' })).toHaveLength(0);
  expect(filterRows(rows, { kind: '', status: 'invalid', text: '' })).toHaveLength(N / 10);
});
