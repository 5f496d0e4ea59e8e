import { describe, expect, test } from 'vitest';
import { buildRows, filterRows, kindsOf, naturalCompare, statusRank, visibleWindow } from '../lib/filter';
import type { ResourceSummary, Status } from '../lib/types';
import { makeResources } from './fixtures';

describe('resources filter at 10,000 rows', () => {
  const rows = buildRows(makeResources(10_000));

  test('builds one row per resource: conflicts, then drafts, then the rest, each by kind then name; lowercase search keys', () => {
    expect(rows).toHaveLength(10_000);
    const ranks = rows.map((r) => statusRank(r.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(rows[0].status).toBe('conflict');
    expect(rows.at(-1)?.status).toMatch(/^(synced|invalid)$/);
    const syncedSwitches = rows.filter((r) => r.kind === 'Switch' && r.status === 'synced');
    expect(syncedSwitches.map((r) => r.name)).toEqual([...syncedSwitches.map((r) => r.name)].sort());
    expect(rows.every((r) => r.key === r.key.toLowerCase())).toBe(true);
  });

  test('no filter returns every row', () => {
    expect(filterRows(rows, { kind: '', status: '', text: '' })).toHaveLength(10_000);
  });

  test('filters by kind', () => {
    const out = filterRows(rows, { kind: 'Switch', status: '', text: '' });
    expect(out).toHaveLength(1250);
    expect(out.every((r) => r.kind === 'Switch')).toBe(true);
  });

  test('filters by status', () => {
    const out = filterRows(rows, { kind: '', status: 'invalid', text: '' });
    expect(out).toHaveLength(1000);
    expect(out.every((r) => r.status === 'invalid' && r.errors === 1)).toBe(true);
  });

  test('text search is case-insensitive, matches name, file and messages, and needs every word', () => {
    expect(filterRows(rows, { kind: '', status: '', text: 'SWITCH-00042' }).map((r) => r.id)).toEqual(['Switch/switch-00042']);
    expect(filterRows(rows, { kind: '', status: '', text: 'managed/servers/server-00009' }).map((r) => r.id)).toEqual(['Server/server-00009']);
    const vlan = filterRows(rows, { kind: '', status: '', text: 'vlan 5000' });
    expect(vlan).toHaveLength(1000);
    expect(vlan.every((r) => r.status === 'invalid')).toBe(true);
    expect(filterRows(rows, { kind: '', status: '', text: 'vlan nothing-like-this' })).toHaveLength(0);
  });

  test('kind, status and text combine', () => {
    // resource i is kind i mod 8 (Server = 1) and invalid when i ≡ 7 (mod 10): Servers with i ≡ 17 (mod 40)
    expect(filterRows(rows, { kind: 'Server', status: 'invalid', text: '' })).toHaveLength(250);
    const out = filterRows(rows, { kind: 'Server', status: 'invalid', text: 'server-01' });
    expect(out).toHaveLength(25); // i in 1000..1999
    expect(out.every((r) => r.kind === 'Server' && r.status === 'invalid' && r.name.startsWith('server-01'))).toBe(true);
    // VPC = 4 is even, invalid ones are odd: none
    expect(filterRows(rows, { kind: 'VPC', status: 'invalid', text: '' })).toHaveLength(0);
  });

  test('lists the kinds present', () => {
    expect(kindsOf(rows)).toEqual(['Connection', 'IPv4Namespace', 'Server', 'Switch', 'SwitchGroup', 'VLANNamespace', 'VPC', 'VPCAttachment']);
  });
});

function resource(kind: string, name: string, status: Status = 'synced'): ResourceSummary {
  return { kind, name, status, path: `managed/${name}.yaml`, errors: [], warnings: [] };
}

describe('table order', () => {
  test('natural sort: E1/2 before E1/10, leaf-2 before leaf-10', () => {
    const names = ['leaf-10', 'leaf-2', 'leaf-1', 'E1/10', 'E1/2', 'E1/1', 'E10/1'];
    expect([...names].sort(naturalCompare)).toEqual(['E1/1', 'E1/2', 'E1/10', 'E10/1', 'leaf-1', 'leaf-2', 'leaf-10']);
    const rows = buildRows(['leaf-10', 'leaf-2', 'leaf-1--server-10', 'leaf-1--server-9'].map((n) => resource('Connection', n)));
    expect(rows.map((r) => r.name)).toEqual(['leaf-1--server-9', 'leaf-1--server-10', 'leaf-2', 'leaf-10']);
  });

  test('conflicts sort to the top, then drafts (modified, new, deleted), then synced and invalid', () => {
    const rows = buildRows([
      resource('Switch', 'leaf-1'),
      resource('Connection', 'a', 'invalid'),
      resource('VPC', 'vpc-2', 'new'),
      resource('Switch', 'leaf-10', 'conflict'),
      resource('Server', 'server-3', 'deleted'),
      resource('Switch', 'leaf-2', 'modified'),
      resource('Connection', 'z', 'conflict'),
    ]);
    expect(rows.map((r) => `${r.status} ${r.id}`)).toEqual([
      'conflict Connection/z',
      'conflict Switch/leaf-10',
      'deleted Server/server-3',
      'modified Switch/leaf-2',
      'new VPC/vpc-2',
      'invalid Connection/a',
      'synced Switch/leaf-1',
    ]);
  });

  test('names equal but for case keep a stable, total order', () => {
    expect(naturalCompare('Leaf-1', 'leaf-1')).not.toBe(0);
    expect(naturalCompare('leaf-1', 'leaf-1')).toBe(0);
  });
});

describe('virtual window', () => {
  test('renders only the rows in view plus overscan', () => {
    const w = visibleWindow(10_000, 32, 0, 640, 8);
    expect(w).toEqual({ start: 0, end: 28, offset: 0, height: 320_000 });
  });

  test('follows the scroll position', () => {
    const w = visibleWindow(10_000, 32, 32 * 5000, 640, 8);
    expect(w.start).toBe(4992);
    expect(w.end).toBe(5028);
    expect(w.offset).toBe(4992 * 32);
  });

  test('stops at the end of the list', () => {
    const w = visibleWindow(100, 32, 32 * 95, 640, 8);
    expect(w.end).toBe(100);
    expect(visibleWindow(0, 32, 0, 640).end).toBe(0);
  });
});
