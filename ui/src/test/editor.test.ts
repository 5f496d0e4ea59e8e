import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { EditorView } from '@codemirror/view';
import { Text } from '@codemirror/state';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import Toasts from '../components/Toasts.svelte';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { ResourceDraft } from '../lib/state/resource.svelte';
import type { ResourceDetail, TextCheck } from '../lib/types';
import Editor from '../views/editor/Editor.svelte';
import { placeIssues, toDiagnostics } from '../views/editor/diagnostics';
import { withName } from '../views/editor/template';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const SWITCH = `apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-01
spec:
  role: server-leaf
  boot:
    mac: 0c:20:12:ff:00:00
  profile: vs
`;

function detail(partial: Partial<ResourceDetail> = {}): ResourceDetail {
  return {
    kind: 'Switch',
    name: 'leaf-01',
    status: 'synced',
    path: 'managed/switches/leaf-01.yaml',
    errors: [],
    warnings: [],
    legacy: false,
    blob: 'b10b',
    commit: 'c0ffee',
    text: SWITCH,
    draft_text: null,
    ...partial,
  };
}

const ROLE_ERROR: TextCheck = {
  errors: [{ path: 'spec.role', message: 'must be one of spine, server-leaf, border-leaf', severity: 'error', rule: 'schema' }],
  warnings: [],
};

describe('issues to diagnostics', () => {
  const doc = Text.of(SWITCH.split('\n'));

  test('an issue with a line is shown on that line, from its indentation to the end', () => {
    const [d] = toDiagnostics(doc, { errors: [{ path: 'spec.boot.mac', line: 8, message: 'bad MAC', severity: 'error', rule: 'schema' }], warnings: [] });
    expect(doc.sliceString(d.from, d.to)).toBe('mac: 0c:20:12:ff:00:00');
    expect(d.severity).toBe('error');
    expect(d.message).toBe('spec.boot.mac: bad MAC');
  });

  test('an issue without a line is placed at its field path', () => {
    const [d] = toDiagnostics(doc, ROLE_ERROR);
    expect(doc.lineAt(d.from).number).toBe(6);
    expect(doc.sliceString(d.from, d.to)).toBe('role: server-leaf');
  });

  test('warnings stay warnings; document-level issues go to line 1; lines past the end are clamped', () => {
    const placed = placeIssues(doc, {
      errors: [
        { path: '(document)', message: 'not a mapping', severity: 'error', rule: 'parse' },
        { path: 'x', line: 999, message: 'far', severity: 'error', rule: 'parse' },
      ],
      warnings: [{ path: 'spec.profile', message: 'deprecated', severity: 'warning', rule: 'mclag' }],
    });
    expect(placed.map((p) => [p.at, p.severity])).toEqual([
      [1, 'error'],
      [9, 'warning'],
      [doc.lines, 'error'],
    ]);
    expect(toDiagnostics(doc, { errors: [], warnings: [{ path: 'spec.profile', message: 'w', severity: 'warning', rule: 'r' }] })[0].severity).toBe('warning');
  });
});

describe('editor', () => {
  beforeEach(() => {
    resetState();
    app.selected = 'demo';
    vi.mocked(api.getResource).mockResolvedValue(detail());
    vi.mocked(api.checkText).mockResolvedValue({ errors: [], warnings: [] });
  });

  async function open(): Promise<{ draft: ResourceDraft; view: EditorView }> {
    const draft = new ResourceDraft('demo', 'Switch', 'leaf-01');
    await draft.load();
    render(Editor, { draft });
    render(Toasts);
    const content = await waitFor(() => {
      const el = screen.getByTestId('editor').querySelector('.cm-content');
      if (!el) throw new Error('no .cm-content yet');
      return el as HTMLElement;
    });
    const view = EditorView.findFromDOM(content)!;
    return { draft, view };
  }

  function type(view: EditorView, from: string, to: string) {
    const at = view.state.doc.toString().indexOf(from);
    view.dispatch({ changes: { from: at, to: at + from.length, insert: to } });
  }

  test('shows the resource in a YAML editor with line numbers', async () => {
    const { view } = await open();
    expect(view.state.doc.toString()).toBe(SWITCH);
    expect(screen.getByTestId('editor').querySelector('.cm-lineNumbers')).not.toBeNull();
    expect(screen.getByTestId('editor-status')).toHaveTextContent('synced');
  });

  test('an invalid edit gets an inline error at the field and in the error list (check_text, debounced)', async () => {
    const { view } = await open();
    vi.mocked(api.checkText).mockResolvedValue(ROLE_ERROR);
    type(view, 'role: server-leaf', 'role: nonsense');
    await waitFor(() => expect(api.checkText).toHaveBeenLastCalledWith('demo', 'Switch', 'leaf-01', SWITCH.replace('server-leaf', 'nonsense')));
    const item = await screen.findByTestId('editor-error');
    expect(item).toHaveTextContent('line 6');
    expect(item).toHaveTextContent('must be one of spine, server-leaf, border-leaf');
    const mark = await waitFor(() => {
      const el = screen.getByTestId('editor').querySelector('.cm-lintRange-error');
      if (!el) throw new Error('no inline error yet');
      return el;
    });
    expect(mark.textContent).toContain('role: nonsense');
  });

  test('Save draft sends the text and shows the saved draft’s errors', async () => {
    const user = userEvent.setup();
    const { view } = await open();
    type(view, 'profile: vs', 'profile: vs\n  description: edited');
    vi.mocked(api.saveDraft).mockResolvedValue({ kind: 'Switch', name: 'leaf-01', status: 'invalid', path: null, ...ROLE_ERROR });
    await user.click(screen.getByTestId('btn-save'));
    expect(api.saveDraft).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', SWITCH.replace('profile: vs', 'profile: vs\n  description: edited'));
    expect(await screen.findByTestId('editor-error')).toHaveTextContent('line 6');
    expect(screen.getByTestId('editor-status')).toHaveTextContent('invalid');
    expect(await screen.findByTestId('toast')).toHaveTextContent('Draft saved: Switch/leaf-01');
    expect(screen.getByTestId('toast')).toHaveTextContent('1 error to fix');
  });

  test('Ctrl+S saves from the keyboard', async () => {
    const user = userEvent.setup();
    const { view } = await open();
    vi.mocked(api.saveDraft).mockResolvedValue({ kind: 'Switch', name: 'leaf-01', status: 'modified', path: null, errors: [], warnings: [] });
    type(view, 'profile: vs', 'profile: vs2');
    view.focus();
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(api.saveDraft).toHaveBeenCalledTimes(1));
    expect(vi.mocked(api.saveDraft).mock.calls[0][3]).toContain('profile: vs2');
    expect(await screen.findByTestId('toast')).toHaveTextContent('Valid. Push when you are ready.');
  });

  test('a refused save shows the backend’s reason and advice', async () => {
    const user = userEvent.setup();
    const { view } = await open();
    type(view, 'profile: vs', 'profile: vs2');
    vi.mocked(api.saveDraft).mockRejectedValue(new api.BackendError('invalid-input', 'the text is for Switch/leaf-02, not Switch/leaf-01'));
    await user.click(screen.getByTestId('btn-save'));
    const toast = await screen.findByTestId('toast');
    expect(toast).toHaveTextContent('Save failed');
    expect(toast).toHaveTextContent('not Switch/leaf-01');
    expect(toast).toHaveTextContent('Check what you entered');
  });

  test('Save draft is disabled until there are edits, and again once they are saved', async () => {
    const user = userEvent.setup();
    const { view } = await open();
    const button = screen.getByTestId('btn-save');
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute('title', 'Nothing to save: edit the text first');
    type(view, 'profile: vs', 'profile: vs2');
    await waitFor(() => expect(button).toBeEnabled());
    vi.mocked(api.saveDraft).mockResolvedValue({ kind: 'Switch', name: 'leaf-01', status: 'modified', path: null, errors: [], warnings: [] });
    await user.click(button);
    await waitFor(() => expect(button).toBeDisabled());
    expect(await screen.findByTestId('toast')).toHaveTextContent('Draft saved');
    // typing it back to what was saved leaves nothing to save either
    type(view, 'profile: vs2', 'profile: vs3');
    await waitFor(() => expect(button).toBeEnabled());
    type(view, 'profile: vs3', 'profile: vs2');
    await waitFor(() => expect(button).toBeDisabled());
  });

  test('Ctrl+S with nothing edited saves nothing and claims nothing', async () => {
    const user = userEvent.setup();
    const { view } = await open();
    view.focus();
    await user.keyboard('{Control>}s{/Control}');
    await new Promise((r) => setTimeout(r, 20));
    expect(api.saveDraft).not.toHaveBeenCalled();
    expect(screen.queryByTestId('toast')).not.toBeInTheDocument();
  });

  test('a new resource from a template can be saved at once', async () => {
    const draft = new ResourceDraft('demo', 'VPC', 'vpc-7');
    draft.startNew('kind: VPC\nmetadata:\n  name: vpc-7\n');
    render(Editor, { draft });
    await waitFor(() => expect(screen.getByTestId('btn-save')).toBeEnabled());
  });

  test('a saved draft opens with its errors already shown', async () => {
    vi.mocked(api.getResource).mockResolvedValue(detail({ status: 'invalid', draft_text: SWITCH.replace('server-leaf', 'bad'), ...ROLE_ERROR }));
    vi.mocked(api.checkText).mockResolvedValue(ROLE_ERROR);
    const { view } = await open();
    expect(view.state.doc.toString()).toContain('role: bad');
    expect(await screen.findByTestId('editor-error')).toHaveTextContent('spec.role');
  });

  test('Delete asks first, then marks the resource deleted', async () => {
    const user = userEvent.setup();
    await open();
    vi.mocked(api.deleteResource).mockResolvedValue({ kind: 'Switch', name: 'leaf-01', status: 'deleted', path: null, errors: [], warnings: [] });
    await user.click(screen.getByTestId('btn-delete'));
    expect(api.deleteResource).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('btn-confirm'));
    expect(api.deleteResource).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01');
    expect(await screen.findByTestId('editor-deleted')).toBeInTheDocument();
  });

  test('Escape closes the confirmation dialog', async () => {
    const user = userEvent.setup();
    await open();
    await user.click(screen.getByTestId('btn-delete'));
    expect(screen.getByTestId('confirm-dialog')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument();
  });

  test('New resource starts from the kind template with the name filled in', () => {
    const template = 'apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: example\nspec:\n  subnets: {}\n';
    expect(withName(template, 'vpc-7')).toBe(template.replace('example', 'vpc-7'));
    expect(withName('kind: VPC\nmetadata:\n  labels: {}\n', 'v')).toBe('kind: VPC\nmetadata:\n  name: v\n  labels: {}\n');
  });
});
