import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import type { ResourceSummary } from '../lib/types';
import { columns } from '../views/resources/columns.svelte';
import Resources from '../views/resources/Resources.svelte';
import { ROW_HEIGHT, moveOf } from '../views/resources/table';
import { makeResources } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

let data: FabricData;

beforeEach(async () => {
  resetState();
  columns.file = false;
  vi.mocked(api.listResources).mockResolvedValue(makeResources(10_000));
  data = new FabricData('big');
  app.data = { big: data };
  app.selected = 'big';
  await data.loadResources();
});

const renderedRows = () => screen.getByTestId('resources-table').querySelectorAll('[data-testid^="row-"]');

test('10,000 resources: the count says so, but only the rows in view are in the DOM', async () => {
  render(Resources, { data });
  expect(screen.getByTestId('row-count')).toHaveTextContent('10000 of 10000');
  const rows = renderedRows();
  expect(rows.length).toBeGreaterThan(10);
  expect(rows.length).toBeLessThan(60);
  // conflicts first: the first conflict by kind then name
  expect(rows[0]).toHaveAttribute('data-testid', 'row-IPv4Namespace-ipv4namespace-00039');
  expect(rows[0]).toHaveAttribute('data-status', 'conflict');
  expect(screen.getByTestId('resources-table')).toHaveAttribute('aria-rowcount', '10001');
});

test('scrolling renders the rows of the new position', async () => {
  render(Resources, { data });
  const scroller = screen.getByTestId('resources-table').querySelector('.scroller') as HTMLElement;
  scroller.scrollTop = ROW_HEIGHT * 5000;
  await fireEvent.scroll(scroller);
  const rows = [...renderedRows()];
  expect(rows.length).toBeLessThan(60);
  const indexes = rows.map((r) => Number(r.getAttribute('data-index')));
  expect(Math.min(...indexes)).toBeGreaterThan(4900);
  expect(indexes).toContain(5000);
});

test('search filters the rows and updates the count', async () => {
  const user = userEvent.setup();
  render(Resources, { data });
  await user.type(screen.getByTestId('search'), 'switch-00042');
  expect(screen.getByTestId('row-count')).toHaveTextContent('1 of 10000');
  const rows = renderedRows();
  expect(rows).toHaveLength(1);
  expect(rows[0]).toHaveAttribute('data-testid', 'row-Switch-switch-00042');
});

test('kind and status selects filter, and the filter is kept on the fabric', async () => {
  const user = userEvent.setup();
  render(Resources, { data });
  await user.selectOptions(screen.getByTestId('filter-kind'), 'Server');
  expect(screen.getByTestId('row-count')).toHaveTextContent('1250 of 10000');
  await user.selectOptions(screen.getByTestId('filter-status'), 'invalid');
  expect(screen.getByTestId('row-count')).toHaveTextContent('250 of 10000');
  for (const row of renderedRows()) {
    expect(row.getAttribute('data-testid')).toMatch(/^row-Server-/);
    expect(row).toHaveAttribute('data-status', 'invalid');
    expect(within(row as HTMLElement).getByText(/1 error/)).toBeInTheDocument();
  }
  expect(data.filter).toEqual({ kind: 'Server', status: 'invalid', text: '' });
});

test('a search with no match says so', async () => {
  const user = userEvent.setup();
  render(Resources, { data });
  await user.type(screen.getByTestId('search'), 'no-such-thing');
  expect(screen.getByTestId('row-count')).toHaveTextContent('0 of 10000');
  expect(screen.getByText('No resource matches.')).toBeInTheDocument();
  // a line with one action, not an empty table
  expect(screen.queryByTestId('resources-table')).not.toBeInTheDocument();
  await user.click(within(screen.getByTestId('resources-no-match')).getByRole('button', { name: 'Clear the filter' }));
  expect(data.filter.text).toBe('');
  expect(screen.getByTestId('row-count')).toHaveTextContent('10000 of 10000');
  expect(screen.getByTestId('resources-table')).toBeInTheDocument();
});

test('a fabric without resources says so in one line', async () => {
  vi.mocked(api.listResources).mockResolvedValue([]);
  await data.loadResources();
  render(Resources, { data });
  expect(screen.getByTestId('resources-empty')).toHaveTextContent('No resources yet');
  expect(screen.queryByTestId('resources-table')).not.toBeInTheDocument();
});

function mockGetResource() {
  vi.mocked(api.getResource).mockImplementation(async (_f, kind, name) => ({
    kind,
    name,
    status: 'synced',
    path: null,
    errors: [],
    warnings: [],
    legacy: false,
    blob: null,
    commit: null,
    text: 'kind: x\n',
    draft_text: null,
  }));
}

test('clicking a row, or Enter on it, opens the resource in the editor', async () => {
  mockGetResource();
  const user = userEvent.setup();
  render(Resources, { data });
  const rows = data.rows!;
  await user.click(screen.getByTestId(`row-${rows[5].kind}-${rows[5].name}`));
  expect(app.view).toBe('editor');
  expect([app.editing?.kind, app.editing?.name]).toEqual([rows[5].kind, rows[5].name]);
  expect(api.getResource).toHaveBeenCalledWith('big', rows[5].kind, rows[5].name);

  app.view = 'resources';
  const first = screen.getByTestId(`row-${rows[0].kind}-${rows[0].name}`);
  first.focus();
  await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
  expect(app.editing?.name).toBe(rows[2].name);
});

test('j and k move the selection like the arrow keys; Enter opens the selected row', async () => {
  mockGetResource();
  const user = userEvent.setup();
  render(Resources, { data });
  const rows = data.rows!;
  const row = (i: number) => screen.getByTestId(`row-${rows[i].kind}-${rows[i].name}`);
  row(0).focus();
  await user.keyboard('jjj');
  expect(row(3)).toHaveFocus();
  expect(row(3)).toHaveAttribute('aria-selected', 'true');
  expect(row(0)).toHaveAttribute('aria-selected', 'false');
  await user.keyboard('k');
  expect(row(2)).toHaveFocus();
  await user.keyboard('{ArrowUp}{ArrowDown}{ArrowDown}');
  expect(row(3)).toHaveFocus();
  await user.keyboard('{Enter}');
  expect([app.editing?.kind, app.editing?.name]).toEqual([rows[3].kind, rows[3].name]);
});

test('keys with Ctrl, Alt or Meta are left to the app; others do nothing', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => moveOf({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods }, 20);
  expect([key('j'), key('ArrowDown'), key('k'), key('ArrowUp'), key('PageDown'), key('Home'), key('End'), key('Enter')]).toEqual([1, 1, -1, -1, 20, 'first', 'last', 'open']);
  expect(key('j', { ctrlKey: true })).toBeNull();
  expect(key('x')).toBeNull();
});

test('dense rows: 30 or more fit in a 900-px-high window', () => {
  // fabric header, tabs, search bar and table head take about 200 px of the 900
  expect(Math.floor((900 - 200) / ROW_HEIGHT)).toBeGreaterThanOrEqual(30);
  render(Resources, { data });
  const row = renderedRows()[0] as HTMLElement;
  expect(row.style.height).toBe(`${ROW_HEIGHT}px`);
});

test('File is hidden by default; the toggle shows it, and the search still finds by file', async () => {
  const user = userEvent.setup();
  render(Resources, { data });
  const table = screen.getByTestId('resources-table');
  expect(screen.queryByTestId('col-file')).not.toBeInTheDocument();
  expect(table.querySelector('.file')).toBeNull();
  await user.click(screen.getByTestId('toggle-file-column'));
  expect(screen.getByTestId('col-file')).toBeInTheDocument();
  expect(table.querySelector('.file')).not.toBeNull();
  await user.click(screen.getByTestId('toggle-file-column'));
  expect(screen.queryByTestId('col-file')).not.toBeInTheDocument();
  await user.type(screen.getByTestId('search'), 'managed/servers/server-00009');
  expect(screen.getByTestId('row-count')).toHaveTextContent('1 of 10000');
});

test('Validation shows only when something is wrong: no column for valid rows, no "valid" text', async () => {
  const valid: ResourceSummary[] = ['leaf-2', 'leaf-10', 'leaf-1'].map((name) => ({ kind: 'Switch', name, status: 'synced', path: `managed/switches/${name}.yaml`, errors: [], warnings: [] }));
  vi.mocked(api.listResources).mockResolvedValue(valid);
  const clean = new FabricData('clean');
  await clean.loadResources();
  const { unmount } = render(Resources, { data: clean });
  expect(screen.queryByTestId('col-validation')).not.toBeInTheDocument();
  expect(screen.getByTestId('resources-table')).not.toHaveTextContent('valid');
  // natural order in the table too
  expect([...renderedRows()].map((r) => r.getAttribute('data-testid'))).toEqual(['row-Switch-leaf-1', 'row-Switch-leaf-2', 'row-Switch-leaf-10']);
  unmount();

  vi.mocked(api.listResources).mockResolvedValue([
    ...valid,
    { kind: 'Switch', name: 'leaf-3', status: 'invalid', path: null, errors: [{ path: 'spec.role', message: 'bad role', severity: 'error', rule: 'schema' }], warnings: [] },
  ]);
  await clean.loadResources();
  render(Resources, { data: clean });
  expect(screen.getByTestId('col-validation')).toBeInTheDocument();
  expect(screen.getByTestId('row-Switch-leaf-3')).toHaveTextContent('1 error — bad role');
  expect(screen.getByTestId('row-Switch-leaf-1').querySelector('.validation')).toHaveTextContent(/^$/);
});

test('conflicts and drafts come first in the table', () => {
  render(Resources, { data });
  const statuses = [...renderedRows()].slice(0, 5).map((r) => r.getAttribute('data-status'));
  expect(statuses).toEqual(['conflict', 'conflict', 'conflict', 'conflict', 'conflict']);
});

test('a failed load shows the advice and is not retried by itself', async () => {
  vi.mocked(api.listResources).mockReset();
  vi.mocked(api.listResources).mockRejectedValue(new api.BackendError('storage', 'database is locked'));
  const fresh = new FabricData('broken');
  render(Resources, { data: fresh });
  expect(await screen.findByRole('alert')).toHaveTextContent('database is locked');
  await new Promise((r) => setTimeout(r, 50));
  expect(api.listResources).toHaveBeenCalledTimes(1);
});

test('ArrowDown in the search moves into the table, on the first match', async () => {
  const user = userEvent.setup();
  render(Resources, { data });
  await user.type(screen.getByTestId('search'), 'server-001');
  await user.keyboard('{ArrowDown}');
  const first = renderedRows()[0] as HTMLElement;
  expect(first).toHaveFocus();
  await user.keyboard('j');
  expect(renderedRows()[1]).toHaveFocus();
});
