import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { LINGER_MS, operations } from '../lib/state/operations.svelte';
import FabricView from '../views/fabric/FabricView.svelte';
import { emitProgress } from './api';
import { makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

beforeEach(async () => {
  resetState();
  vi.mocked(api.appInfo).mockResolvedValue({ data_dir: '/d', version: '0.1.0', demo: null });
  vi.mocked(api.listRepositories).mockResolvedValue([]);
  vi.mocked(api.listFabrics).mockResolvedValue([makeOverview().fabric]);
  vi.mocked(api.fabricOverview).mockResolvedValue(makeOverview());
  await app.start();
});

afterEach(() => {
  vi.useRealTimers();
});

test('progress events show the operation, its step and done/total', async () => {
  render(FabricView, { data: app.data.demo });
  expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
  emitProgress({ fabric: 'demo', operation_id: 7, operation: 'pull', step: 'fetching', done: 1, total: 4, cancellable: true });
  const bar = await screen.findByTestId('progress');
  expect(bar).toHaveTextContent('pull');
  expect(bar).toHaveTextContent('fetching');
  expect(bar).toHaveTextContent('1/4');
  expect(bar.querySelector('progress')).toHaveAttribute('value', '1');
  expect(bar.querySelector('progress')).toHaveAttribute('max', '4');
});

test('Cancel is offered while the operation is cancellable and asks the backend to stop', async () => {
  const user = userEvent.setup();
  vi.mocked(api.cancelOperation).mockResolvedValue(true);
  render(FabricView, { data: app.data.demo });
  emitProgress({ fabric: 'demo', operation_id: 7, operation: 'ingest', step: 'planning', done: 0, total: 3, cancellable: true });
  await user.click(await screen.findByTestId('btn-cancel'));
  expect(api.cancelOperation).toHaveBeenCalledTimes(1);
  // the operation this fabric shows, by id: never another fabric's
  expect(api.cancelOperation).toHaveBeenCalledWith('demo', 7);
  expect(screen.getByTestId('btn-cancel')).toHaveTextContent('Cancelling…');

  emitProgress({ fabric: 'demo', operation_id: 7, operation: 'ingest', step: 'committing', done: 2, total: 3, cancellable: false });
  await vi.waitFor(() => expect(screen.queryByTestId('btn-cancel')).not.toBeInTheDocument());
  expect(screen.getByTestId('progress')).toHaveTextContent('committing');
});

test('events of another fabric do not show here', async () => {
  render(FabricView, { data: app.data.demo });
  emitProgress({ fabric: 'other', operation_id: 7, operation: 'pull', step: 'fetching', done: 0, total: 2, cancellable: false });
  await Promise.resolve();
  expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
});

test('an operation started elsewhere (CLI, poll) disappears a moment after its last step', async () => {
  vi.useFakeTimers();
  emitProgress({ fabric: 'demo', operation_id: 7, operation: 'pull', step: 'applying', done: 2, total: 3, cancellable: false });
  emitProgress({ fabric: 'demo', operation_id: 7, operation: 'pull', step: 'done', done: 3, total: 3, cancellable: false });
  expect(operations.get('demo')?.step).toBe('done');
  vi.advanceTimersByTime(LINGER_MS + 10);
  expect(operations.get('demo')).toBeUndefined();
});

test('an operation started here shows a bar from the first moment and clears when the command returns', async () => {
  let finish: (v: Awaited<ReturnType<typeof api.pull>>) => void = () => {};
  vi.mocked(api.pull).mockImplementation(() => new Promise((resolve) => (finish = resolve)));
  const { pullFabric } = await import('../lib/state/actions');
  const done = pullFabric('demo');
  expect(operations.get('demo')).toMatchObject({ operation: 'pull', step: 'starting', ours: true });
  emitProgress({ fabric: 'demo', operation_id: 7, operation: 'pull', step: 'done', done: 3, total: 3, cancellable: false });
  expect(operations.get('demo')?.step).toBe('done');
  finish({ ...(await import('./fixtures')).makePull(), up_to_date: true, changed: [] });
  await done;
  expect(operations.get('demo')).toBeUndefined();
});
