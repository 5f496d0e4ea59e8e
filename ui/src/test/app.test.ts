import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import type { Fabric } from '../lib/types';
import { emitFabricChanged } from './api';
import { makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const demo = makeOverview().fabric;
const lab: Fabric = { ...demo, id: 2, name: 'lab', repository_id: 2, repository: 'infra', directory: 'gitops/hedgehog/lab' };

beforeEach(() => {
  resetState();
  vi.mocked(api.appInfo).mockResolvedValue({ data_dir: '/d', version: '0.1.0', demo: { created: true, fabric: 'demo' } });
  vi.mocked(api.listRepositories).mockResolvedValue([
    { id: 1, name: 'demo', url: '/d/demo/remote.git', branch: 'main', clone_dir: '/d/clones/1', created_at: '' },
    { id: 2, name: 'infra', url: 'https://example.invalid/infra.git', branch: 'main', clone_dir: '/d/clones/2', created_at: '' },
  ]);
  vi.mocked(api.listFabrics).mockResolvedValue([demo, lab]);
  vi.mocked(api.fabricOverview).mockImplementation(async (name) =>
    name === 'lab' ? makeOverview({ fabric: lab, badge: 'conflicts', badge_count: 2 }) : makeOverview({ badge: 'local-changes', badge_count: 3, drafts: 3 }),
  );
});

test('first run: app_info made the demo workspace, which opens with a banner', async () => {
  render(App);
  expect(await screen.findByTestId('demo-banner')).toHaveTextContent('Demo workspace');
  expect(api.appInfo).toHaveBeenCalledTimes(1);
  expect(app.selected).toBe('demo');
  expect(await screen.findByTestId('count-synced')).toHaveTextContent('46');
});

test('later runs open the demo fabric without the banner once there are other fabrics', async () => {
  vi.mocked(api.appInfo).mockResolvedValue({ data_dir: '/d', version: '0.1.0', demo: { created: false, fabric: 'demo' } });
  render(App);
  expect(await screen.findByTestId('count-synced')).toBeInTheDocument();
  expect(app.selected).toBe('demo');
  expect(screen.queryByTestId('demo-banner')).not.toBeInTheDocument();
});

test('the sidebar lists repositories and their fabrics with status badges', async () => {
  render(App);
  const demoItem = await screen.findByTestId('fabric-demo');
  await waitFor(() => expect(demoItem).toHaveAttribute('data-badge', 'local-changes'));
  expect(demoItem).toHaveTextContent('3 local changes');
  expect(screen.getByTestId('fabric-lab')).toHaveTextContent('2 conflicts');
  expect(screen.getByRole('region', { name: 'Repository infra' })).toContainElement(screen.getByTestId('fabric-lab'));
});

test('choosing a fabric in the sidebar opens its overview', async () => {
  const user = userEvent.setup();
  render(App);
  await user.click(await screen.findByTestId('fabric-lab'));
  expect(app.selected).toBe('lab');
  expect(screen.getByRole('heading', { level: 1, name: 'lab' })).toBeInTheDocument();
});

test('a fabric-changed event reloads that fabric', async () => {
  render(App);
  await screen.findByTestId('count-synced');
  const before = vi.mocked(api.fabricOverview).mock.calls.filter(([f]) => f === 'demo').length;
  vi.mocked(api.fabricOverview).mockImplementation(async () => makeOverview({ counts: { synced: 45, modified: 1, new: 0, deleted: 0, conflict: 0, invalid: 0 } }));
  emitFabricChanged({ fabric: 'demo', reason: 'pull' });
  await waitFor(() => expect(screen.getByTestId('count-modified')).toHaveTextContent('1'));
  expect(vi.mocked(api.fabricOverview).mock.calls.filter(([f]) => f === 'demo').length).toBe(before + 1);
});

test('a failed start says what went wrong and offers to try again', async () => {
  vi.mocked(api.appInfo).mockRejectedValue(new api.BackendError('storage', 'database is locked'));
  render(App);
  const box = await screen.findByTestId('start-error');
  expect(box).toHaveTextContent('database is locked');
  expect(box).toHaveTextContent('restart hhsync');
});

test('Add repository / fabric: adds the repository, the fabric, initialises it and selects it', async () => {
  const user = userEvent.setup();
  render(App);
  await user.click(await screen.findByTestId('btn-add'));
  const dialog = screen.getByTestId('add-dialog');
  expect(dialog).toBeInTheDocument();
  vi.mocked(api.addRepository).mockResolvedValue({ id: 3, name: 'corp', url: 'https://example.invalid/corp.git', branch: 'prod', clone_dir: '', created_at: '' });
  const corp: Fabric = { ...demo, id: 3, name: 'dc1', repository_id: 3, repository: 'corp', directory: 'fabrics/dc1' };
  vi.mocked(api.addFabric).mockResolvedValue(corp);
  vi.mocked(api.initFabric).mockResolvedValue({ fabric: 'dc1', operation_id: 1, commit: 'abcdef0123', already_initialized: false, created: ['README.md', '.hnp/manifest.yaml'], findings: [] });
  await user.click(screen.getByLabelText('New repository'));
  await user.type(screen.getByTestId('add-repo-name'), 'corp');
  await user.type(screen.getByTestId('add-repo-url'), 'https://example.invalid/corp.git');
  await user.clear(screen.getByTestId('add-repo-branch'));
  await user.type(screen.getByTestId('add-repo-branch'), 'prod');
  await user.type(screen.getByTestId('add-fabric-name'), 'dc1');
  expect(screen.getByTestId('add-fabric-directory')).toHaveValue('gitops/hedgehog/dc1');
  await user.clear(screen.getByTestId('add-fabric-directory'));
  await user.type(screen.getByTestId('add-fabric-directory'), 'fabrics/dc1');
  vi.mocked(api.listFabrics).mockResolvedValue([demo, lab, corp]);
  await user.click(screen.getByTestId('btn-add-confirm'));
  await waitFor(() => expect(api.initFabric).toHaveBeenCalledWith('dc1'));
  expect(api.addRepository).toHaveBeenCalledWith('corp', 'https://example.invalid/corp.git', 'prod');
  expect(api.addFabric).toHaveBeenCalledWith('dc1', 'corp', 'fabrics/dc1', undefined);
  await waitFor(() => expect(app.selected).toBe('dc1'));
  expect(screen.queryByTestId('add-dialog')).not.toBeInTheDocument();
  expect(await screen.findByTestId('fabric-dc1')).toBeInTheDocument();
});

test('toasts take a strip of their own below the screen, never a place over it', async () => {
  render(App);
  const screenArea = (await screen.findByTestId('count-synced')).closest('.content') as HTMLElement;
  const { toasts } = await import('../lib/state/toasts.svelte');
  toasts.show({ tone: 'success', title: 'Pulled' });
  const toast = await screen.findByTestId('toast');
  const strip = screen.getByTestId('toasts');
  expect(strip).toHaveClass('docked');
  // a sibling after the screen in the main column: laid out below it, not floating over it
  expect(screenArea.contains(toast)).toBe(false);
  expect(strip.parentElement).toBe(screenArea.parentElement);
  expect(screenArea.compareDocumentPosition(strip) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  expect(screen.getAllByTestId('toasts')).toHaveLength(1);
});
