import { describe, expect, test } from 'vitest';
import { buildRows, filterRows, kindsOf, visibleWindow } from '../lib/filter';
import { makeResources } from './fixtures';

describe('resources filter at 10,000 rows', () => {
  const rows = buildRows(makeResources(10_000));

  test('builds one row per resource, sorted by kind then name, with lowercase search keys', () => {
    expect(rows).toHaveLength(10_000);
    expect(rows[0].kind <= rows[rows.length - 1].kind).toBe(true);
    const switches = rows.filter((r) => r.kind === 'Switch');
    expect(switches.map((r) => r.name)).toEqual([...switches.map((r) => r.name)].sort());
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
