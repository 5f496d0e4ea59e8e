import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import Toasts from '../components/Toasts.svelte';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import Overview from '../views/overview/Overview.svelte';
import { makeOverview, makePull } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

let data: FabricData;

beforeEach(async () => {
  resetState();
  data = new FabricData('demo');
  app.data = { demo: data };
  app.selected = 'demo';
  vi.mocked(api.fabricOverview).mockResolvedValue(
    makeOverview({
      counts: { synced: 40, modified: 2, new: 1, deleted: 0, conflict: 0, invalid: 3 },
      by_kind: { Connection: 26, Server: 10, Switch: 7, SwitchGroup: 3 },
      raw_pending: ['raw/prepop.yaml'],
      unmanaged: [{ path: 'unmanaged/configmap.yaml', reason: 'not a Hedgehog resource (ConfigMap)' }],
      drafts: 3,
      badge: 'local-changes',
      badge_count: 3,
    }),
  );
  await data.loadOverview();
});

test('shows counts by status and by kind, raw files waiting and unmanaged files with reasons', () => {
  render(Overview, { data });
  expect(screen.getByTestId('count-synced')).toHaveTextContent(/^40$/);
  expect(screen.getByTestId('count-modified')).toHaveTextContent(/^2$/);
  expect(screen.getByTestId('count-new')).toHaveTextContent(/^1$/);
  expect(screen.getByTestId('count-invalid')).toHaveTextContent(/^3$/);
  expect(screen.getByTestId('count-conflict')).toHaveTextContent(/^0$/);
  expect(screen.getByTestId('kind-count-Connection')).toHaveTextContent(/^26$/);
  expect(screen.getByTestId('kind-count-Switch')).toHaveTextContent(/^7$/);
  expect(within(screen.getByTestId('raw-pending')).getByText('raw/prepop.yaml')).toBeInTheDocument();
  expect(within(screen.getByTestId('unmanaged')).getByText(/not a Hedgehog resource/)).toBeInTheDocument();
  expect(screen.getByTestId('btn-push')).toHaveTextContent('Push (3)');
  expect(screen.getByTestId('btn-ingest')).toHaveTextContent('Ingest raw/ (1)');
  expect(screen.getByTestId('last-sync-commit')).toHaveTextContent('a1b2c3d4');
});

test('Pull shows a toast that says what changed, and reloads the overview', async () => {
  const user = userEvent.setup();
  vi.mocked(api.pull).mockResolvedValue(makePull());
  render(Overview, { data });
  render(Toasts);
  await user.click(screen.getByTestId('btn-pull'));
  const toast = await screen.findByTestId('toast');
  expect(toast).toHaveTextContent('Pulled 2 changes into demo');
  expect(toast).toHaveTextContent('Switch/leaf-01 changed, Server/server-09 added');
  expect(api.pull).toHaveBeenCalledWith('demo');
  await waitFor(() => expect(api.fabricOverview).toHaveBeenCalledTimes(2));
});

test('Pull with nothing new says it is up to date', async () => {
  const user = userEvent.setup();
  vi.mocked(api.pull).mockResolvedValue(makePull({ up_to_date: true, changed: [], commit_after: '1111111111111111111111111111111111111111' }));
  render(Overview, { data });
  render(Toasts);
  await user.click(screen.getByTestId('btn-pull'));
  expect(await screen.findByTestId('toast')).toHaveTextContent('demo is up to date');
});

test('a failed pull shows the error with what to do next', async () => {
  const user = userEvent.setup();
  vi.mocked(api.pull).mockRejectedValue(new api.BackendError('remote-unreachable', 'failed to connect to example.invalid'));
  render(Overview, { data });
  render(Toasts);
  await user.click(screen.getByTestId('btn-pull'));
  const toast = await screen.findByTestId('toast');
  expect(toast).toHaveAttribute('data-tone', 'error');
  expect(toast).toHaveTextContent('Remote unreachable');
  expect(toast).toHaveTextContent('failed to connect to example.invalid');
  expect(toast).toHaveTextContent('Check the network or the URL; your drafts are kept.');
});

test('Ingest reports what happened to the documents', async () => {
  const user = userEvent.setup();
  vi.mocked(api.ingest).mockResolvedValue({
    fabric: 'demo',
    dry_run: false,
    operation_id: 2,
    commit: 'feedfacefeedfacefeedfacefeedfacefeedface',
    documents: [
      { file: 'raw/prepop.yaml', index: 0, line: 1, kind: 'Switch', name: 'leaf-01', outcome: 'managed', path: 'managed/switches/leaf-01.yaml', reason: null },
      { file: 'raw/prepop.yaml', index: 1, line: 9, kind: null, name: null, outcome: 'unmanaged', path: 'unmanaged/x.yaml', reason: 'ConfigMap' },
    ],
    archived: [],
    raw_files: 1,
  });
  render(Overview, { data });
  render(Toasts);
  await user.click(screen.getByTestId('btn-ingest'));
  const toast = await screen.findByTestId('toast');
  expect(toast).toHaveTextContent('Ingested 2 documents');
  expect(toast).toHaveTextContent('1 managed, 1 unmanaged. Commit feedface.');
});

test('clicking a status count shows those resources', async () => {
  const user = userEvent.setup();
  render(Overview, { data });
  await user.click(screen.getByTestId('count-invalid'));
  expect(app.view).toBe('resources');
  expect(data.filter).toEqual({ kind: '', status: 'invalid', text: '' });
});

test('Push is disabled while conflicts are open, with a link into Conflicts', async () => {
  vi.mocked(api.fabricOverview).mockResolvedValue(
    makeOverview({ counts: { synced: 40, modified: 2, new: 0, deleted: 0, conflict: 2, invalid: 0 }, drafts: 4, badge: 'conflicts', badge_count: 2 }),
  );
  await data.loadOverview();
  const user = userEvent.setup();
  render(Overview, { data });
  const push = screen.getByTestId('btn-push');
  expect(push).toBeDisabled();
  expect(push).toHaveAccessibleDescription('Resolve 2 conflicts first');
  await user.click(screen.getByTestId('push-resolve-first'));
  expect(app.view).toBe('conflicts');
  expect(app.dialog).toBeNull();
});

test('Push is enabled again once no conflict is open, and the link is gone', () => {
  render(Overview, { data });
  expect(screen.getByTestId('btn-push')).toBeEnabled();
  expect(screen.queryByTestId('push-resolve-first')).not.toBeInTheDocument();
});

test('zero counts are grey and no link: "invalid 0" is no alarm', async () => {
  vi.mocked(api.fabricOverview).mockResolvedValue(makeOverview());
  await data.loadOverview();
  render(Overview, { data });
  const invalid = screen.getByTestId('count-box-invalid');
  expect(invalid).toHaveClass('zero');
  expect(invalid).not.toHaveClass('status-invalid');
  expect(screen.getByTestId('count-invalid')).toHaveTextContent(/^0$/);
  expect(screen.getByTestId('count-invalid').closest('button')).toBeNull();
  const synced = screen.getByTestId('count-box-synced');
  expect(synced).not.toHaveClass('zero');
  expect(synced).toHaveClass('status-synced');
});

test('the counts link to the table filtered by status, and the conflict count to Conflicts', async () => {
  vi.mocked(api.fabricOverview).mockResolvedValue(
    makeOverview({ counts: { synced: 40, modified: 2, new: 0, deleted: 0, conflict: 1, invalid: 3 }, drafts: 3 }),
  );
  await data.loadOverview();
  const user = userEvent.setup();
  render(Overview, { data });
  await user.click(screen.getByRole('button', { name: '2 modified: show them' }));
  expect(app.view).toBe('resources');
  expect(data.filter).toEqual({ kind: '', status: 'modified', text: '' });

  app.view = 'overview';
  await user.click(screen.getByRole('button', { name: '1 conflict: resolve it' }));
  expect(app.view).toBe('conflicts');

  app.view = 'overview';
  await user.click(screen.getByTestId('kind-count-Switch'));
  expect(app.view).toBe('resources');
  expect(data.filter).toEqual({ kind: 'Switch', status: '', text: '' });
});
