// No edit is lost silently: unsaved editor buffers survive switching fabric and opening another
// resource (and come back as they were), closing the editor asks first, the window asks too.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { EditorView } from '@codemirror/view';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import { app, bufferKey } from '../lib/state/app.svelte';
import type { Fabric, ResourceDetail } from '../lib/types';
import { emitFabricChanged } from './api';
import { makeOverview, makeResources } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const demo = makeOverview().fabric;
const lab: Fabric = { ...demo, id: 2, name: 'lab', repository_id: 2, repository: 'infra', directory: 'gitops/hedgehog/lab' };

const yaml = (kind: string, name: string, description = 'original') =>
  `apiVersion: wiring.githedgehog.com/v1beta1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n  description: ${description}\n`;

function detail(kind: string, name: string, text = yaml(kind, name)): ResourceDetail {
  return { kind, name, status: 'synced', path: null, errors: [], warnings: [], legacy: false, blob: null, commit: null, text, draft_text: null };
}

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
});

async function start() {
  render(App);
  await screen.findByTestId('count-synced');
}

/** The CodeMirror view on screen, once it shows `kind/name`. */
async function editorView(name: string): Promise<EditorView> {
  return waitFor(() => {
    const el = screen.getByTestId('editor').querySelector('.cm-content') as HTMLElement | null;
    const view = el && EditorView.findFromDOM(el);
    if (!view || !view.state.doc.toString().includes(`name: ${name}`)) throw new Error(`no editor on ${name} yet`);
    return view;
  });
}

async function openAndEdit(kind: string, name: string, description: string): Promise<EditorView> {
  app.openResource(kind, name);
  const view = await editorView(name);
  const doc = view.state.doc.toString();
  const at = doc.indexOf('original');
  view.dispatch({ changes: { from: at, to: at + 'original'.length, insert: description } });
  await screen.findByTestId('editor-dirty');
  return view;
}

describe('unsaved editor buffers', () => {
  test('switching fabric keeps the unsaved buffer; switching back restores it, shown as unsaved', async () => {
    const user = userEvent.setup();
    await start();
    await openAndEdit('Switch', 'leaf-01', 'typed before switching');

    await user.click(screen.getByTestId('fabric-lab'));
    expect(app.selected).toBe('lab');
    expect(screen.queryByTestId('editor')).not.toBeInTheDocument();
    expect(screen.queryByTestId('tab-editor')).not.toBeInTheDocument();
    expect(screen.getByTestId('unsaved-fabric-demo')).toBeInTheDocument();
    expect(screen.getByTestId('fabric-demo')).toHaveAccessibleName(/unsaved editor changes/);

    await user.click(screen.getByTestId('fabric-demo'));
    expect(app.view).toBe('editor');
    const view = await editorView('leaf-01');
    expect(view.state.doc.toString()).toContain('description: typed before switching');
    expect(screen.getByTestId('editor-dirty')).toHaveTextContent('unsaved changes');
    expect(screen.getByTestId('tab-editor')).toHaveTextContent('(unsaved changes)');
    expect(api.getResource).toHaveBeenCalledTimes(1); // restored from the buffer, not reloaded
    expect(api.saveDraft).not.toHaveBeenCalled();
  });

  test('each fabric keeps its own editor', async () => {
    const user = userEvent.setup();
    await start();
    await openAndEdit('Switch', 'leaf-01', 'demo edit');
    await user.click(screen.getByTestId('fabric-lab'));
    await openAndEdit('Server', 'server-01', 'lab edit');
    expect(app.unsaved().map((d) => `${d.fabric}:${d.kind}/${d.name}`)).toEqual(['demo:Switch/leaf-01', 'lab:Server/server-01']);

    await user.click(screen.getByTestId('fabric-demo'));
    expect((await editorView('leaf-01')).state.doc.toString()).toContain('demo edit');
    await user.click(screen.getByTestId('fabric-lab'));
    expect((await editorView('server-01')).state.doc.toString()).toContain('lab edit');
  });

  test('opening another resource keeps the unsaved one, listed until it is reopened as it was', async () => {
    const user = userEvent.setup();
    await start();
    await openAndEdit('Switch', 'leaf-01', 'first edit');

    app.openResource('Switch', 'leaf-02');
    await editorView('leaf-02');
    const note = await screen.findByTestId('unsaved-buffers');
    expect(note).toHaveTextContent('Switch/leaf-01');
    expect(screen.queryByTestId('editor-dirty')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('unsaved-Switch-leaf-01'));
    const view = await editorView('leaf-01');
    expect(view.state.doc.toString()).toContain('description: first edit');
    expect(screen.getByTestId('editor-dirty')).toBeInTheDocument();
    expect(screen.queryByTestId('unsaved-buffers')).not.toBeInTheDocument();
    // leaf-02 had no changes: its buffer is gone, nothing to list
    expect(app.unsaved().map((d) => d.name)).toEqual(['leaf-01']);
  });

  test('a clean resource left for another one is simply dropped', async () => {
    await start();
    app.openResource('Switch', 'leaf-01');
    await editorView('leaf-01');
    app.openResource('Switch', 'leaf-02');
    await editorView('leaf-02');
    expect(Object.values(app.buffers).map((d) => d.name)).toEqual(['leaf-02']);
    expect(screen.queryByTestId('unsaved-buffers')).not.toBeInTheDocument();
  });

  test('a new resource from a template does not replace unsaved text of the same resource', async () => {
    await start();
    await openAndEdit('Switch', 'leaf-01', 'keep me');
    app.openResource('Switch', 'leaf-01', yaml('Switch', 'leaf-01', 'template'));
    expect((await editorView('leaf-01')).state.doc.toString()).toContain('keep me');
    expect(await screen.findByTestId('toast')).toHaveTextContent('Unsaved changes of Switch/leaf-01 kept');
  });

  test('a pull reloads clean buffers but leaves unsaved text alone', async () => {
    await start();
    await openAndEdit('Switch', 'leaf-01', 'mine');
    app.openResource('Switch', 'leaf-02'); // clean, on screen; leaf-01 waits with its changes
    await editorView('leaf-02');
    vi.mocked(api.getResource).mockImplementation(async (_f, kind, name) => detail(kind, name, yaml(kind, name, 'pulled')));
    emitFabricChanged({ fabric: 'demo', reason: 'pull' });
    await waitFor(() => expect((screen.getByTestId('editor').textContent ?? '')).toContain('description: pulled'));
    expect(vi.mocked(api.getResource).mock.calls.map(([, , name]) => name)).toEqual(['leaf-01', 'leaf-02', 'leaf-02']);
    expect(app.buffers[bufferKey('demo', 'Switch', 'leaf-01')].text).toContain('description: mine');
  });
});

describe('closing the editor', () => {
  test('without changes it closes at once', async () => {
    const user = userEvent.setup();
    await start();
    app.openResource('Switch', 'leaf-01');
    await editorView('leaf-01');
    await user.click(screen.getByTestId('btn-close-editor'));
    expect(screen.queryByTestId('unsaved-dialog')).not.toBeInTheDocument();
    expect(app.editing).toBeNull();
    expect(app.view).toBe('resources');
  });

  test('with unsaved changes it asks; Escape is Cancel and keeps everything', async () => {
    const user = userEvent.setup();
    await start();
    await openAndEdit('Switch', 'leaf-01', 'not yet saved');
    await user.click(screen.getByTestId('btn-close-editor'));
    const dialog = screen.getByTestId('unsaved-dialog');
    expect(dialog).toHaveTextContent('Save draft');
    expect(dialog).toHaveTextContent('Discard changes');
    expect(screen.getByTestId('btn-unsaved-cancel')).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('unsaved-dialog')).not.toBeInTheDocument();
    expect(app.editing?.name).toBe('leaf-01');
    expect((await editorView('leaf-01')).state.doc.toString()).toContain('not yet saved');

    await user.click(screen.getByTestId('btn-close-editor'));
    await user.click(screen.getByTestId('btn-unsaved-cancel'));
    expect(app.editing?.dirty).toBe(true);
  });

  test('Discard changes drops the buffer and closes, saving nothing', async () => {
    const user = userEvent.setup();
    await start();
    await openAndEdit('Switch', 'leaf-01', 'throw away');
    await user.click(screen.getByTestId('btn-close-editor'));
    await user.click(screen.getByTestId('btn-unsaved-discard'));
    expect(app.editing).toBeNull();
    expect(app.hasUnsaved).toBe(false);
    expect(api.saveDraft).not.toHaveBeenCalled();
    expect(api.discardDraft).not.toHaveBeenCalled();
  });

  test('Save draft saves the text, then closes', async () => {
    const user = userEvent.setup();
    vi.mocked(api.saveDraft).mockResolvedValue({ kind: 'Switch', name: 'leaf-01', status: 'modified', path: null, errors: [], warnings: [] });
    await start();
    await openAndEdit('Switch', 'leaf-01', 'saved on close');
    await user.click(screen.getByTestId('btn-close-editor'));
    await user.click(screen.getByTestId('btn-unsaved-save'));
    await waitFor(() => expect(app.editing).toBeNull());
    expect(api.saveDraft).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', yaml('Switch', 'leaf-01', 'saved on close'));
  });

  test('a failed save keeps the editor open with the text', async () => {
    const user = userEvent.setup();
    vi.mocked(api.saveDraft).mockRejectedValue(new api.BackendError('storage', 'database is locked'));
    await start();
    await openAndEdit('Switch', 'leaf-01', 'still here');
    await user.click(screen.getByTestId('btn-close-editor'));
    await user.click(screen.getByTestId('btn-unsaved-save'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('database is locked');
    expect(app.editing?.dirty).toBe(true);
    expect((await editorView('leaf-01')).state.doc.toString()).toContain('still here');
  });
});

test('the window asks before closing while anything is unsaved', async () => {
  await start();
  const clean = new Event('beforeunload', { cancelable: true });
  fireEvent(window, clean);
  expect(clean.defaultPrevented).toBe(false);

  await openAndEdit('Switch', 'leaf-01', 'unsaved');
  app.openResource('Switch', 'leaf-02'); // the unsaved buffer is not even on screen
  await editorView('leaf-02');
  const dirty = new Event('beforeunload', { cancelable: true });
  fireEvent(window, dirty);
  expect(dirty.defaultPrevented).toBe(true);
});
