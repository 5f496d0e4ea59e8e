import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import Resources from '../views/resources/Resources.svelte';
import { makeResources } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

let data: FabricData;

beforeEach(async () => {
  resetState();
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
  expect(rows[0]).toHaveAttribute('data-testid', 'row-Connection-connection-00000');
  expect(rows[0]).toHaveAttribute('data-status', 'synced');
  expect(screen.getByTestId('resources-table')).toHaveAttribute('aria-rowcount', '10001');
});

test('scrolling renders the rows of the new position', async () => {
  render(Resources, { data });
  const scroller = screen.getByTestId('resources-table').querySelector('.scroller') as HTMLElement;
  scroller.scrollTop = 32 * 5000;
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
});

test('clicking a row, or Enter on it, opens the resource in the editor', async () => {
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
  const user = userEvent.setup();
  render(Resources, { data });
  await user.click(screen.getByTestId('row-Connection-connection-00008'));
  expect(app.view).toBe('editor');
  expect([app.editing?.kind, app.editing?.name]).toEqual(['Connection', 'connection-00008']);
  expect(api.getResource).toHaveBeenCalledWith('big', 'Connection', 'connection-00008');

  app.view = 'resources';
  const first = screen.getByTestId('row-Connection-connection-00000');
  first.focus();
  await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
  expect(app.editing?.name).toBe('connection-00016');
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
