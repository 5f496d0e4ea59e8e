import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import { offlineSince, sinceText } from '../lib/badge';
import { app } from '../lib/state/app.svelte';
import { newsNotice, watch } from '../lib/state/watch.svelte';
import type { Overview, RemoteNews } from '../lib/types';
import { emitFabricChanged, emitRemoteNews } from './api';
import { makeOverview, makePull } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const SYNCED = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const REMOTE = 'fedcba9876543210fedcba9876543210fedcba98';

const news = (partial: Partial<RemoteNews> = {}): RemoteNews => ({
  fabric: 'demo',
  remote_commit: REMOTE,
  synced_commit: SYNCED,
  behind: true,
  files: ['managed/switches/leaf-03.yaml', 'managed/servers/server-11.yaml'],
  author: 'Grace',
  summary: 'Add leaf-03',
  ...partial,
});

const offline = (): Overview =>
  makeOverview({
    badge: 'offline',
    last_operation: {
      id: 7,
      kind: 'poll',
      trigger: 'poll',
      started_at: '2026-12-01T09:58:00Z',
      finished_at: '2026-12-01T09:58:01Z',
      status: 'failed',
      commit_before: null,
      commit_after: null,
      counts: {},
      error: 'could not reach the remote',
      error_code: 'remote-unreachable',
      pr_url: null,
    },
  });

/** What `fabric_overview` answers for demo: in sync until the test says otherwise. */
let demoOverview: Overview;

beforeEach(() => {
  resetState();
  watch.reset();
  demoOverview = makeOverview();
  vi.mocked(api.appInfo).mockResolvedValue({ data_dir: '/d', version: '0.1.0', demo: { created: false, fabric: 'demo' } });
  vi.mocked(api.listRepositories).mockResolvedValue([
    { id: 1, name: 'demo', url: '/d/demo/remote.git', branch: 'main', clone_dir: '/d/clones/1', created_at: '' },
  ]);
  vi.mocked(api.listFabrics).mockResolvedValue([makeOverview().fabric]);
  vi.mocked(api.fabricOverview).mockImplementation(async () => demoOverview);
  vi.mocked(api.preferences).mockResolvedValue({
    author_name: null,
    author_email: null,
    default_author_name: 'Ada',
    default_author_email: 'ada@example.invalid',
    watch_interval: 60,
    theme: 'system',
  });
});

async function startApp(): Promise<void> {
  render(App);
  await screen.findByTestId('overview');
  await waitFor(() => expect(api.onRemoteNews).toHaveBeenCalled());
}

const overviewCalls = () => vi.mocked(api.fabricOverview).mock.calls.filter(([f]) => f === 'demo').length;

test('news of a remote commit makes one toast whose Pull pulls that fabric, and the badge says behind', async () => {
  const user = userEvent.setup();
  await startApp();
  demoOverview = makeOverview({ badge: 'behind', remote_commit: REMOTE });
  emitRemoteNews(news());
  const toast = await screen.findByTestId('toast');
  expect(toast).toHaveTextContent('demo: new commit by Grace: Add leaf-03 (2 files)');
  expect(toast).toHaveTextContent('managed/switches/leaf-03.yaml');
  await waitFor(() => expect(screen.getByTestId('fabric-demo')).toHaveAttribute('data-badge', 'behind'));
  expect(screen.getByTestId('fabric-demo')).toHaveTextContent('behind');

  vi.mocked(api.pull).mockResolvedValue(makePull());
  await user.click(within(toast).getByRole('button', { name: 'Pull' }));
  await waitFor(() => expect(api.pull).toHaveBeenCalledWith('demo'));
  expect(api.pull).toHaveBeenCalledTimes(1);
});

test('the same remote commit announced again makes no second toast', async () => {
  await startApp();
  emitRemoteNews(news());
  await screen.findByTestId('toast');
  emitRemoteNews(news());
  emitRemoteNews(news({ files: [] }));
  await new Promise((r) => setTimeout(r, 20));
  expect(screen.getAllByTestId('toast')).toHaveLength(1);
});

test('a newer commit replaces the fabric\'s older news instead of piling up', async () => {
  await startApp();
  emitRemoteNews(news());
  await screen.findByTestId('toast');
  emitRemoteNews(news({ remote_commit: '0123456789abcdef0123456789abcdef01234567', summary: 'Remove leaf-02', files: ['a.yaml'] }));
  await waitFor(() => expect(screen.getByTestId('toast')).toHaveTextContent('Remove leaf-02 (1 file)'));
  expect(screen.getAllByTestId('toast')).toHaveLength(1);
});

test('news that is not behind (the remote came back to the synced commit) reloads but says nothing', async () => {
  await startApp();
  const before = overviewCalls();
  emitRemoteNews(news({ behind: false, remote_commit: SYNCED, files: [] }));
  await waitFor(() => expect(overviewCalls()).toBe(before + 1));
  expect(screen.queryByTestId('toast')).not.toBeInTheDocument();
});

test('a pull drops the fabric\'s news toast: it is old news', async () => {
  await startApp();
  emitRemoteNews(news());
  await screen.findByTestId('toast');
  emitFabricChanged({ fabric: 'demo', reason: 'pull' });
  await waitFor(() => expect(screen.queryByTestId('toast')).not.toBeInTheDocument());
});

test('fabric-changed "poll" (the remote went offline) reloads the overview, which says so calmly', async () => {
  await startApp();
  const before = overviewCalls();
  demoOverview = offline();
  emitFabricChanged({ fabric: 'demo', reason: 'poll' });
  await waitFor(() => expect(screen.getByTestId('fabric-demo')).toHaveAttribute('data-badge', 'offline'));
  expect(overviewCalls()).toBe(before + 1);
  const note = screen.getByTestId('offline-note');
  expect(note).toHaveTextContent(`Remote unreachable since ${sinceText('2026-12-01T09:58:01Z')} — checking again every 60 s`);
  // a state, not an error: no toast, no alert
  expect(screen.queryByTestId('toast')).not.toBeInTheDocument();
  expect(screen.queryByRole('alert')).not.toBeInTheDocument();

  demoOverview = makeOverview();
  // let the first reload settle: FabricData.refresh drops an event that arrives in the microtasks
  // between its last round and clearing its promise (reported; fabric.svelte.ts is not ours here)
  await new Promise((r) => setTimeout(r, 0));
  emitFabricChanged({ fabric: 'demo', reason: 'poll' });
  await waitFor(() => expect(screen.queryByTestId('offline-note')).not.toBeInTheDocument());
  expect(screen.getByTestId('fabric-demo')).toHaveAttribute('data-badge', 'in-sync');
});

test('the auto-pull checkbox shows the stored setting and changes it with set_auto_pull', async () => {
  const user = userEvent.setup();
  vi.mocked(api.setAutoPull).mockImplementation(async (_fabric, enabled) => ({ auto_pull: enabled }));
  await startApp();
  const box = screen.getByTestId('auto-pull');
  await waitFor(() => expect(box).toBeEnabled());
  expect(api.fabricSettings).toHaveBeenCalledWith('demo');
  expect(box).not.toBeChecked();
  expect(screen.getByLabelText('Pull automatically when I have no drafts')).toBe(box);
  expect(screen.getByTestId('watching')).toHaveTextContent('every 60 s');

  await user.click(box);
  await waitFor(() => expect(api.setAutoPull).toHaveBeenCalledWith('demo', true));
  await waitFor(() => expect(box).toBeChecked());
  expect(watch.settings.demo.auto_pull).toBe(true);

  await user.click(box);
  await waitFor(() => expect(api.setAutoPull).toHaveBeenLastCalledWith('demo', false));
  await waitFor(() => expect(box).not.toBeChecked());
});

test('a refused auto-pull change puts the box back and says why', async () => {
  const user = userEvent.setup();
  vi.mocked(api.setAutoPull).mockRejectedValue(new api.BackendError('storage', 'database is locked'));
  await startApp();
  const box = screen.getByTestId('auto-pull');
  await waitFor(() => expect(box).toBeEnabled());
  await user.click(box);
  expect(await screen.findByTestId('auto-pull-error')).toHaveTextContent('database is locked');
  expect(box).not.toBeChecked();
});

test('the stored setting shows as checked', async () => {
  vi.mocked(api.fabricSettings).mockResolvedValue({ auto_pull: true });
  await startApp();
  await waitFor(() => expect(screen.getByTestId('auto-pull')).toBeChecked());
});

test('no listener is left behind when the app closes', async () => {
  const { unmount } = render(App);
  await screen.findByTestId('overview');
  await waitFor(() => expect(api.onRemoteNews).toHaveBeenCalled());
  unmount();
  app.stop();
  emitRemoteNews(news());
  expect(screen.queryByTestId('toast')).not.toBeInTheDocument();
});

test('the words of the news, and the offline time', () => {
  expect(newsNotice(news({ author: null, summary: null, files: [] }))).toEqual({
    title: 'demo: new commit fedcba98 (0 files)',
    message: 'No file of this fabric changed; a pull moves it to the new commit.',
  });
  expect(newsNotice(news({ files: ['a', 'b', 'c', 'd'] })).message).toBe('Changed: a, b, c and 1 more.');
  expect(offlineSince(offline())).toBe('2026-12-01T09:58:01Z');
  expect(offlineSince(makeOverview())).toBeNull();
  expect(offlineSince(makeOverview({ badge: 'offline' }))).toBeNull();
  const now = new Date('2026-12-01T12:00:00');
  expect(sinceText('2026-12-01T09:58:00', now)).not.toContain('2026');
  expect(sinceText('2026-11-28T09:58:00', now)).toContain(new Date('2026-11-28T09:58:00').toLocaleDateString());
});
