// Closing the window (Tauri's close-requested event, simulated through the API mock): it closes at
// once when nothing is unsaved; otherwise the app's close dialog lists the unsaved resources of
// every fabric and asks (Save all and close / Close without saving / Cancel, the default).
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { EditorView } from '@codemirror/view';
import { beforeEach, expect, test, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import type { DraftReport, Fabric, ResourceDetail } from '../lib/types';
import { requestWindowClose } from './api';
import { makeOverview, makeResources } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const demo = makeOverview().fabric;
const lab: Fabric = { ...demo, id: 2, name: 'lab', repository_id: 2, repository: 'infra', directory: 'gitops/hedgehog/lab' };

const yaml = (kind: string, name: string, description = 'original') =>
  `apiVersion: wiring.githedgehog.com/v1beta1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n  description: ${description}\n`;

function detail(kind: string, name: string): ResourceDetail {
  return { kind, name, status: 'synced', path: null, errors: [], warnings: [], legacy: false, blob: null, commit: null, text: yaml(kind, name), draft_text: null };
}

const report = (kind: string, name: string): DraftReport => ({ kind, name, status: 'modified', path: null, errors: [], warnings: [] });

beforeEach(() => {
  resetState();
  vi.mocked(api.appInfo).mockResolvedValue({ data_dir: '/d', version: '0.1.0', demo: { created: false, fabric: 'demo' } });
  vi.mocked(api.listRepositories).mockResolvedValue([
    { id: 1, name: 'demo', url: '/d/demo/remote.git', branch: 'main', clone_dir: '/d/clones/1', created_at: '' },
    { id: 2, name: 'infra', url: 'https://example.invalid/infra.git', branch: 'main', clone_dir: '/d/clones/2', created_at: '' },
  ]);
  vi.mocked(api.listFabrics).mockResolvedValue([demo, lab]);
  vi.mocked(api.fabricOverview).mockImplementation(async (name) => (name === 'lab' ? makeOverview({ fabric: lab }) : makeOverview()));
  vi.mocked(api.listResources).mockResolvedValue(makeResources(20));
  vi.mocked(api.getResource).mockImplementation(async (_fabric, kind, name) => detail(kind, name));
  vi.mocked(api.checkText).mockResolvedValue({ errors: [], warnings: [] });
  vi.mocked(api.saveDraft).mockImplementation(async (_fabric, kind, name) => report(kind, name));
});

async function start() {
  render(App);
  await screen.findByTestId('count-synced');
}

async function openAndEdit(kind: string, name: string, description: string): Promise<void> {
  app.openResource(kind, name);
  const view = await waitFor(() => {
    const el = screen.getByTestId('editor').querySelector('.cm-content') as HTMLElement | null;
    const v = el && EditorView.findFromDOM(el);
    if (!v || !v.state.doc.toString().includes(`name: ${name}`)) throw new Error(`no editor on ${name} yet`);
    return v;
  });
  const at = view.state.doc.toString().indexOf('original');
  view.dispatch({ changes: { from: at, to: at + 'original'.length, insert: description } });
  await screen.findByTestId('editor-dirty');
}

/** Unsaved text in two fabrics: demo's Switch/leaf-01 (not on screen) and lab's Server/server-01. */
async function twoUnsaved(): Promise<void> {
  await start();
  await openAndEdit('Switch', 'leaf-01', 'demo edit');
  app.select('lab');
  await openAndEdit('Server', 'server-01', 'lab edit');
}

test('the close handler is registered on start', async () => {
  await start();
  expect(api.onCloseRequested).toHaveBeenCalledTimes(1);
});

test('nothing unsaved: the window closes as usual, asking nothing', async () => {
  await start();
  const close = requestWindowClose();
  expect(close).toEqual({ closes: true, handlers: 1 });
  expect(screen.queryByTestId('close-dialog')).not.toBeInTheDocument();
  // Tauri destroys the window itself when nobody prevented the close
  expect(api.destroyWindow).not.toHaveBeenCalled();
});

test('unsaved text anywhere: the close waits, the dialog lists every unsaved resource, Cancel is focused', async () => {
  await twoUnsaved();
  expect(requestWindowClose().closes).toBe(false);
  const dialog = await screen.findByTestId('close-dialog');
  const items = within(dialog).getAllByRole('listitem');
  expect(items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Switch/leaf-01 in demo', 'Server/server-01 in lab']);
  expect(screen.getByTestId('btn-close-cancel')).toHaveFocus();
  expect(screen.getByTestId('btn-close-save')).toHaveTextContent('Save all and close');
  expect(screen.getByTestId('btn-close-discard')).toHaveTextContent('Close without saving');
  expect(api.destroyWindow).not.toHaveBeenCalled();
});

test('a new resource not saved yet counts, and is marked new', async () => {
  await start();
  app.openResource('Switch', 'leaf-99', yaml('Switch', 'leaf-99'));
  expect(requestWindowClose().closes).toBe(false);
  expect(await screen.findByTestId('close-dialog')).toHaveTextContent('Switch/leaf-99 in demo, new resource');
});

test('Cancel keeps the window and the text', async () => {
  const user = userEvent.setup();
  await twoUnsaved();
  requestWindowClose();
  await user.click(await screen.findByTestId('btn-close-cancel'));
  expect(screen.queryByTestId('close-dialog')).not.toBeInTheDocument();
  expect(app.unsaved().map((d) => d.text.includes('edit'))).toEqual([true, true]);
  expect(api.saveDraft).not.toHaveBeenCalled();
  expect(api.destroyWindow).not.toHaveBeenCalled();
});

test('Escape is Cancel, even over the editor’s own unsaved dialog', async () => {
  const user = userEvent.setup();
  await twoUnsaved();
  await user.click(screen.getByTestId('btn-close-editor'));
  expect(screen.getByTestId('unsaved-dialog')).toBeInTheDocument();
  requestWindowClose();
  await screen.findByTestId('close-dialog');
  await user.keyboard('{Escape}');
  expect(screen.queryByTestId('close-dialog')).not.toBeInTheDocument();
  expect(screen.getByTestId('unsaved-dialog')).toBeInTheDocument();
  expect(api.destroyWindow).not.toHaveBeenCalled();
});

test('asking again while the dialog shows keeps one dialog and the window open', async () => {
  await twoUnsaved();
  requestWindowClose();
  await screen.findByTestId('close-dialog');
  expect(requestWindowClose().closes).toBe(false);
  expect(screen.getAllByTestId('close-dialog')).toHaveLength(1);
});

test('Close without saving destroys the window, saving nothing; reloading no longer asks', async () => {
  const user = userEvent.setup();
  await twoUnsaved();
  requestWindowClose();
  await user.click(await screen.findByTestId('btn-close-discard'));
  expect(api.destroyWindow).toHaveBeenCalledTimes(1);
  expect(api.saveDraft).not.toHaveBeenCalled();
  const unload = new Event('beforeunload', { cancelable: true });
  fireEvent(window, unload);
  expect(unload.defaultPrevented).toBe(false);
});

test('Save all and close saves every unsaved resource, then destroys the window', async () => {
  const user = userEvent.setup();
  await twoUnsaved();
  requestWindowClose();
  await user.click(await screen.findByTestId('btn-close-save'));
  await waitFor(() => expect(api.destroyWindow).toHaveBeenCalledTimes(1));
  expect(api.saveDraft).toHaveBeenCalledTimes(2);
  expect(api.saveDraft).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', yaml('Switch', 'leaf-01', 'demo edit'));
  expect(api.saveDraft).toHaveBeenCalledWith('lab', 'Server', 'server-01', yaml('Server', 'server-01', 'lab edit'));
  expect(vi.mocked(api.saveDraft).mock.invocationCallOrder[1]).toBeLessThan(vi.mocked(api.destroyWindow).mock.invocationCallOrder[0]);
  expect(app.hasUnsaved).toBe(false);
});

test('a failed save keeps the window open: the error shows, the failed resource stays listed with its text', async () => {
  const user = userEvent.setup();
  vi.mocked(api.saveDraft).mockImplementation(async (fabric, kind, name) => {
    if (fabric === 'lab') throw new api.BackendError('storage', 'database is locked');
    return report(kind, name);
  });
  await twoUnsaved();
  requestWindowClose();
  await user.click(await screen.findByTestId('btn-close-save'));
  const dialog = screen.getByTestId('close-dialog');
  expect(await within(dialog).findByRole('alert')).toHaveTextContent('database is locked');
  expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Server/server-01 in lab']);
  expect(api.saveDraft).toHaveBeenCalledTimes(2);
  expect(api.destroyWindow).not.toHaveBeenCalled();
  expect(app.unsaved().map((d) => [d.fabric, d.text.includes('lab edit')])).toEqual([['lab', true]]);
  expect(screen.getByTestId('btn-close-save')).toBeEnabled();
});

test('Cancel while saving: the saves finish, the window stays', async () => {
  const user = userEvent.setup();
  let release = () => {};
  vi.mocked(api.saveDraft).mockImplementation(
    (_fabric, kind, name) => new Promise((resolve) => (release = () => resolve(report(kind, name)))),
  );
  await start();
  await openAndEdit('Switch', 'leaf-01', 'slow save');
  requestWindowClose();
  await user.click(await screen.findByTestId('btn-close-save'));
  expect(screen.getByTestId('btn-close-save')).toHaveTextContent('Saving…');
  await user.click(screen.getByTestId('btn-close-cancel'));
  release();
  await waitFor(() => expect(app.hasUnsaved).toBe(false));
  expect(api.destroyWindow).not.toHaveBeenCalled();
});

test('a window that cannot be destroyed says so and stays', async () => {
  const user = userEvent.setup();
  vi.mocked(api.destroyWindow).mockRejectedValue(new api.BackendError('internal', 'window.destroy not allowed'));
  await twoUnsaved();
  requestWindowClose();
  await user.click(await screen.findByTestId('btn-close-discard'));
  expect(await screen.findByRole('alert')).toHaveTextContent('window.destroy not allowed');
  expect(app.closing).toBe(false);
  expect(screen.getByTestId('close-dialog')).toBeInTheDocument();
});
