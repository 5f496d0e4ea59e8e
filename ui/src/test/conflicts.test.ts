import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import Toasts from '../components/Toasts.svelte';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import Conflicts from '../views/conflicts/Conflicts.svelte';
import { resolvedToast } from '../views/conflicts/resolvedToast';
import { makeConflict, makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const ok = { kind: 'Switch', name: 'leaf-01', status: 'modified' as const, path: null, errors: [], warnings: [] };

beforeEach(() => {
  resetState();
  app.data = { demo: new FabricData('demo') };
  app.selected = 'demo';
  vi.mocked(api.listConflicts).mockResolvedValue([makeConflict()]);
  vi.mocked(api.fabricOverview).mockResolvedValue(makeOverview());
  vi.mocked(api.resolveConflict).mockResolvedValue(ok);
  vi.mocked(api.checkText).mockResolvedValue({ errors: [], warnings: [] });
});

test('lists open conflicts and opens the merge editor, with ours and theirs as its panes', async () => {
  render(Conflicts, { data: app.data.demo });
  expect(await screen.findByTestId('conflict-Switch-leaf-01')).toHaveTextContent('spec.description');
  expect(screen.getByTestId('mode-merge')).toHaveAttribute('aria-selected', 'true');
  expect(screen.getByTestId('merge-ours').querySelector('.cm-content')).toHaveTextContent('description: ours');
  expect(screen.getByTestId('merge-theirs').querySelector('.cm-content')).toHaveTextContent('description: theirs');
  // the two-pane diff would show the same texts again: it is there in the other modes only
  expect(screen.queryByTestId('conflict-merge')).not.toBeInTheDocument();
  expect(screen.queryByTestId('mode-hunks')).not.toBeInTheDocument();
});

test('per field and edit text show ours and theirs side by side', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('mode-fields'));
  const merge = screen.getByTestId('conflict-merge');
  expect(merge).toHaveTextContent('Ours (your draft)');
  expect(merge).toHaveTextContent('Theirs (pulled from Git)');
  expect(merge.querySelectorAll('.cm-editor')).toHaveLength(2);
  expect(screen.queryByTestId('merge-editor')).not.toBeInTheDocument();
});

test('take theirs resolves with { take: theirs }', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('btn-take-theirs'));
  expect(api.resolveConflict).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', { take: 'theirs' });
});

test('per field and edited text', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('mode-fields'));
  await user.click(screen.getByLabelText('spec.description: theirs'));
  await user.click(screen.getByTestId('btn-resolve-fields'));
  expect(api.resolveConflict).toHaveBeenLastCalledWith('demo', 'Switch', 'leaf-01', { fields: { 'spec.description': 'theirs' } });

  await user.click(screen.getByTestId('mode-text'));
  const text = screen.getByTestId('resolve-text');
  await user.clear(text);
  await user.type(text, 'spec:{Enter}  description: both');
  await user.click(screen.getByTestId('btn-resolve-text'));
  await waitFor(() =>
    expect(api.resolveConflict).toHaveBeenLastCalledWith('demo', 'Switch', 'leaf-01', { text: 'spec:\n  description: both' }),
  );
});

test('a conflict where one side deleted the resource has no merge: it opens per field, or the text, as before', async () => {
  const deleted = { ...makeConflict(), type: 'edit-delete', theirs_text: null, merge_regions: [] };
  vi.mocked(api.listConflicts).mockResolvedValue([deleted]);
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  expect(await screen.findByTestId('field-spec.description')).toBeInTheDocument();
  expect(screen.getByTestId('mode-fields')).toHaveAttribute('aria-selected', 'true');
  expect(screen.queryByTestId('mode-merge')).not.toBeInTheDocument();
  expect(screen.getByTestId('conflict-merge')).toBeInTheDocument();
  await user.click(screen.getByTestId('btn-take-theirs'));
  expect(api.resolveConflict).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', { take: 'theirs' });
});

test('without fields nor a merge, it opens the text', async () => {
  vi.mocked(api.listConflicts).mockResolvedValue([{ ...makeConflict(), ours_text: null, fields: [], merge_regions: [] }]);
  render(Conflicts, { data: app.data.demo });
  expect(await screen.findByTestId('mode-text')).toHaveAttribute('aria-selected', 'true');
  expect(screen.getByTestId('resolve-text')).toHaveValue('spec:\n  description: theirs\n');
});

test('replacing with a whole side names what it drops first', async () => {
  const c = makeConflict();
  c.whole_ours_drops = ['spec.portBreakouts["E1/5"]'];
  vi.mocked(api.listConflicts).mockResolvedValue([c]);
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('btn-whole-ours'));
  expect(screen.getByTestId('whole-drops')).toHaveTextContent('spec.portBreakouts["E1/5"]');
  expect(api.resolveConflict).not.toHaveBeenCalled();
  await user.click(screen.getByTestId('btn-confirm-whole'));
  expect(api.resolveConflict).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', { whole: 'ours' });
});

test('the toast after a resolve opens the resource it was about, even once the conflict is gone', async () => {
  const user = userEvent.setup();
  const open = vi.spyOn(app, 'openResource').mockImplementation(() => {});
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('btn-take-ours'));
  expect(api.resolveConflict).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', { take: 'ours' });
  const { toasts } = await import('../lib/state/toasts.svelte');
  const toast = toasts.items.at(-1);
  vi.mocked(api.listConflicts).mockResolvedValue([]);
  toast?.action?.run();
  expect(open).toHaveBeenCalledWith('Switch', 'leaf-01');
});

test('with two conflicts open, the toast after resolving the first opens the first, not the one shown next', async () => {
  const user = userEvent.setup();
  const first = makeConflict();
  const second = { ...makeConflict(), id: 4, kind: 'Connection', name: 'leaf-02--server-10' };
  vi.mocked(api.listConflicts).mockResolvedValue([first, second]);
  vi.mocked(api.getResource).mockImplementation(async (_f, kind, name) => ({
    kind,
    name,
    status: 'modified',
    path: null,
    errors: [],
    warnings: [],
    legacy: false,
    blob: null,
    commit: null,
    text: 'kind: x\n',
    draft_text: null,
  }));
  render(Conflicts, { data: app.data.demo });
  render(Toasts);
  await user.click(await screen.findByTestId('btn-take-ours'));
  expect(api.resolveConflict).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', { take: 'ours' });
  // the reload after the resolve leaves only the second conflict: it is the one shown now
  vi.mocked(api.listConflicts).mockResolvedValue([second]);
  await app.data.demo.refresh();
  await waitFor(() => expect(screen.getByTestId('conflict-detail')).toHaveAccessibleName('Conflict on Connection/leaf-02--server-10'));
  const toast = screen.getAllByTestId('toast').find((t) => t.textContent?.includes('Conflict on Switch/leaf-01 resolved'));
  expect(toast).toBeDefined();
  await user.click(within(toast!).getByRole('button', { name: 'Open in editor' }));
  expect(app.view).toBe('editor');
  expect([app.editing?.fabric, app.editing?.kind, app.editing?.name]).toEqual(['demo', 'Switch', 'leaf-01']);
  expect(screen.queryAllByTestId('toast')).toHaveLength(0);
});

test('the toast action holds plain copies: it opens its resource in its fabric, whatever is shown by then', () => {
  const open = vi.spyOn(app, 'openResource').mockImplementation(() => {});
  const select = vi.spyOn(app, 'select').mockImplementation((name: string) => void (app.selected = name));
  const conflict = { kind: 'Switch', name: 'leaf-01' };
  const t = resolvedToast('demo', conflict.kind, conflict.name, 'took ours', 0);
  // what it was made from changes (or goes away) afterwards
  conflict.kind = 'Server';
  conflict.name = 'server-01';
  app.selected = 'other';
  expect(() => t.action?.run()).not.toThrow();
  expect(select).toHaveBeenCalledWith('demo');
  expect(open).toHaveBeenCalledWith('Switch', 'leaf-01');
  expect(resolvedToast('demo', 'Switch', 'leaf-01', 'per field', 2)).toMatchObject({ tone: 'warn', message: expect.stringContaining('with 2 errors to fix') });
});

test('one header line with the modes; the quick ways in one group, described by a hint naming the fields', async () => {
  render(Conflicts, { data: app.data.demo });
  const detail = await screen.findByTestId('conflict-detail');
  const header = detail.querySelector('header') as HTMLElement;
  expect(header).toHaveTextContent('Switch/leaf-01');
  expect(within(header).getByRole('tablist', { name: 'Resolve by' })).toContainElement(screen.getByTestId('mode-merge'));
  const quick = within(detail).getByRole('group', { name: 'Resolve at once' });
  for (const id of ['btn-take-ours', 'btn-take-theirs', 'btn-whole-ours', 'btn-whole-theirs']) {
    expect(within(quick).getByTestId(id)).toBeEnabled();
  }
  expect(within(quick).getByTestId('btn-whole-ours')).toHaveAttribute('title', expect.stringContaining('Replace with our whole version'));
  expect(within(quick).getByTestId('btn-whole-theirs')).toHaveAttribute('title', expect.stringContaining('Replace with their whole version'));
  expect(quick).toHaveAccessibleDescription(expect.stringContaining('Take decides only spec.description'));
  expect(screen.getByTestId('quick-hint')).toHaveAttribute('title', screen.getByTestId('quick-hint').textContent);
});

test('a failed resolve in the merge mode shows above the merge editor, which fills the column below it', async () => {
  vi.mocked(api.resolveConflict).mockRejectedValue(new Error('database is locked'));
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('btn-take-ours'));
  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('database is locked');
  expect(alert.compareDocumentPosition(screen.getByTestId('merge-editor')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  // in the other modes it stays under their resolve buttons
  await user.click(screen.getByTestId('mode-fields'));
  expect(screen.getByTestId('btn-resolve-fields').compareDocumentPosition(screen.getByRole('alert')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
});
