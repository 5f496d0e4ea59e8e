// The three-way merge editor in the Conflicts view: the counter and Resolve, the accept buttons in
// the result and the toolbar, the merged text sent to the engine, live validation, the keyboard,
// and the empty state once the last conflict is resolved.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { EditorView } from '@codemirror/view';
import { beforeEach, expect, test, vi } from 'vitest';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import { toasts } from '../lib/state/toasts.svelte';
import type { Conflict } from '../lib/types';
import Conflicts from '../views/conflicts/Conflicts.svelte';
import { makeConflict, makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const ok = { kind: 'Switch', name: 'leaf-01', status: 'modified' as const, path: null, errors: [], warnings: [] };

/** Two conflicts (description, mtu) around upstream's role change, which only they made. */
function twoConflicts(): Conflict {
  return {
    ...makeConflict(),
    merge_regions: [
      { kind: 'unchanged', base: 'spec:\n', ours: 'spec:\n', theirs: 'spec:\n' },
      { kind: 'conflict', base: '  description: base\n', ours: '  description: ours\n', theirs: '  description: theirs\n' },
      { kind: 'theirs', base: '  role: leaf\n', ours: '  role: leaf\n', theirs: '  role: spine\n' },
      { kind: 'conflict', base: '  mtu: 1500\n', ours: '  mtu: 1400\n', theirs: '  mtu: 9000\n' },
    ],
  };
}

const resultText = () => resultView().state.doc.toString();
function resultView(): EditorView {
  const content = screen.getByTestId('merge-result').querySelector('.cm-content');
  const view = content && EditorView.findFromDOM(content as HTMLElement);
  if (!view) throw new Error('no result editor');
  return view;
}

beforeEach(() => {
  resetState();
  app.data = { demo: new FabricData('demo') };
  app.selected = 'demo';
  vi.mocked(api.listConflicts).mockResolvedValue([makeConflict()]);
  vi.mocked(api.fabricOverview).mockResolvedValue(makeOverview({ drafts: 1 }));
  vi.mocked(api.resolveConflict).mockResolvedValue(ok);
  vi.mocked(api.checkText).mockResolvedValue({ errors: [], warnings: [] });
});

test('Resolve waits for the last conflict; accepting incoming sends the merged text and says so', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  const left = await screen.findByTestId('merge-left');
  expect(left).toHaveTextContent('1 conflict left');
  expect(screen.getByTestId('btn-resolve-merge')).toBeDisabled();
  // the conflict shows its base until a choice
  expect(resultText()).toBe('spec:\n  description: base\n');

  await user.click(screen.getByTestId('merge-accept-theirs-1'));
  expect(left).toHaveTextContent('No conflicts left');
  expect(resultText()).toBe('spec:\n  description: theirs\n');
  expect(screen.getByTestId('merge-conflict-1')).toHaveTextContent(/^Conflict 1.*incoming taken/);
  expect(screen.getByTestId('btn-resolve-merge')).toBeEnabled();

  await user.click(screen.getByTestId('btn-resolve-merge'));
  expect(api.resolveConflict).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', { text: 'spec:\n  description: theirs\n' });
  await waitFor(() => expect(toasts.items.at(-1)?.title).toBe('Conflict on Switch/leaf-01 resolved (merged)'));
});

test("what only upstream changed is in the result already, marked as upstream's; both conflicts decided, in any order", async () => {
  vi.mocked(api.listConflicts).mockResolvedValue([twoConflicts()]);
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  expect(await screen.findByTestId('merge-left')).toHaveTextContent('2 conflicts left');
  expect(resultText()).toBe('spec:\n  description: base\n  role: spine\n  mtu: 1500\n');
  const marked = screen.getByTestId('merge-result').querySelector('.cm-merge-line-theirs');
  expect(marked).toHaveTextContent('role: spine');
  expect(marked).toHaveAttribute('title', expect.stringContaining('From upstream'));

  await user.click(screen.getByTestId('merge-accept-both-2'));
  expect(screen.getByTestId('merge-left')).toHaveTextContent('1 conflict left');
  expect(screen.getByTestId('btn-resolve-merge')).toBeDisabled();
  await user.click(screen.getByTestId('merge-accept-ours-1'));
  expect(screen.getByTestId('merge-left')).toHaveTextContent('No conflicts left');

  await user.click(screen.getByTestId('btn-resolve-merge'));
  expect(api.resolveConflict).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', {
    text: 'spec:\n  description: ours\n  role: spine\n  mtu: 1400\n  mtu: 9000\n',
  });
});

test('Alt+ArrowDown and the Next button go to the next conflict; the toolbar accepts the one shown', async () => {
  vi.mocked(api.listConflicts).mockResolvedValue([twoConflicts()]);
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  const shown = await screen.findByTestId('merge-current');
  expect(shown).toHaveTextContent('Conflict 1 of 2');
  expect(screen.getByTestId('merge-next')).toHaveAttribute('aria-keyshortcuts', 'Alt+ArrowDown');

  await fireEvent.keyDown(resultView().contentDOM, { key: 'ArrowDown', altKey: true });
  expect(shown).toHaveTextContent('Conflict 2 of 2');
  // CodeMirror's own Alt+ArrowDown (move line down) did not run
  expect(resultText()).toBe('spec:\n  description: base\n  role: spine\n  mtu: 1500\n');
  expect(resultView().state.selection.main.head).toBe(resultText().indexOf('  mtu'));

  await user.click(screen.getByTestId('merge-accept-theirs'));
  expect(resultText()).toContain('  mtu: 9000\n');
  expect(shown).toHaveTextContent('Conflict 2 of 2: incoming taken');
  // only conflict 1 is left: next and previous both lead there
  await user.click(screen.getByTestId('merge-next'));
  expect(shown).toHaveTextContent('Conflict 1 of 2: unresolved');
  await user.click(screen.getByTestId('merge-prev'));
  expect(shown).toHaveTextContent('Conflict 1 of 2');
});

test('an edit by hand inside a conflict counts as deciding it; undo brings it back', async () => {
  render(Conflicts, { data: app.data.demo });
  const left = await screen.findByTestId('merge-left');
  const view = resultView();
  const at = resultText().indexOf('base');
  view.dispatch({ changes: { from: at, to: at + 4, insert: 'both of us' }, userEvent: 'input.type' });
  await waitFor(() => expect(left).toHaveTextContent('No conflicts left'));
  expect(screen.getByTestId('merge-conflict-1')).toHaveTextContent('edited by hand');
  expect(screen.getByTestId('btn-resolve-merge')).toBeEnabled();
  const { undo } = await import('@codemirror/commands');
  undo(view);
  await waitFor(() => expect(left).toHaveTextContent('1 conflict left'));
  expect(screen.getByTestId('btn-resolve-merge')).toBeDisabled();
});

test('the result is checked as it changes: errors and warnings with their field path', async () => {
  vi.mocked(api.checkText).mockImplementation(async (_f, _k, _n, text) =>
    text.includes('theirs')
      ? {
          errors: [{ path: 'spec.description', line: 2, message: 'too long', severity: 'error', rule: 'length' }],
          warnings: [{ path: 'spec', message: 'deprecated layout', severity: 'warning', rule: 'layout' }],
        }
      : { errors: [], warnings: [] },
  );
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  const findings = await screen.findByTestId('merge-findings');
  await waitFor(() => expect(findings).toHaveTextContent('No validation issues in the result.'));
  await user.click(screen.getByTestId('merge-accept-theirs-1'));
  await waitFor(() => expect(findings).toHaveTextContent('1 error, 1 warning'), { timeout: 2000 });
  expect(within(findings).getByTestId('merge-error')).toHaveTextContent('spec.description too long');
  expect(within(findings).getByTestId('merge-warning')).toHaveTextContent('spec deprecated layout');
  expect(api.checkText).toHaveBeenLastCalledWith('demo', 'Switch', 'leaf-01', 'spec:\n  description: theirs\n');
});

test('Resolve is off while a resolve is under way', async () => {
  let answer: (r: typeof ok) => void = () => {};
  vi.mocked(api.resolveConflict).mockImplementation(() => new Promise((r) => (answer = r)));
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('merge-accept-ours-1'));
  await user.click(screen.getByTestId('btn-resolve-merge'));
  expect(api.resolveConflict).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01', { text: 'spec:\n  description: ours\n' });
  expect(screen.getByTestId('btn-resolve-merge')).toBeDisabled();
  answer(ok);
  await waitFor(() => expect(screen.getByTestId('btn-resolve-merge')).toBeEnabled());
});

test('Show base adds the base as a third pane', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  expect(await screen.findByTestId('merge-editor')).toBeInTheDocument();
  expect(screen.queryByTestId('merge-base')).not.toBeInTheDocument();
  await user.click(screen.getByTestId('merge-show-base'));
  expect(screen.getByTestId('merge-base').querySelector('.cm-content')).toHaveTextContent('description: base');
});

test('after the last conflict is resolved, the empty state offers review and push', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('merge-accept-ours-1'));
  vi.mocked(api.listConflicts).mockResolvedValue([]);
  await user.click(screen.getByTestId('btn-resolve-merge'));
  const empty = await screen.findByTestId('conflicts-empty');
  expect(empty).toHaveTextContent('All conflicts resolved: review and push');
  await user.click(within(empty).getByTestId('btn-review-push'));
  expect(app.dialog).toBe('push');
});

test('a fabric that had no conflicts just says so', async () => {
  vi.mocked(api.listConflicts).mockResolvedValue([]);
  render(Conflicts, { data: app.data.demo });
  const empty = await screen.findByTestId('conflicts-empty');
  expect(empty).toHaveTextContent('No open conflicts');
  expect(empty).not.toHaveTextContent('All conflicts resolved');
  expect(screen.queryByTestId('btn-review-push')).not.toBeInTheDocument();
});

test('one toolbar line: short accept labels keep their full names, Resolve is in it, and why it waits is described', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  const toolbar = await screen.findByRole('toolbar', { name: 'Conflicts' });
  const current = within(toolbar).getByTestId('merge-accept-ours');
  expect(current).toHaveTextContent('Current');
  expect(current).toHaveAccessibleName('Accept current');
  expect(current).toHaveAttribute('title', expect.stringContaining('your draft'));
  expect(within(toolbar).getByTestId('merge-accept-theirs')).toHaveAccessibleName('Accept incoming');
  expect(within(toolbar).getByTestId('merge-accept-both')).toHaveAccessibleName('Accept both');
  expect(within(toolbar).getByTestId('merge-prev')).toHaveAccessibleName('Previous conflict');
  expect(within(toolbar).getByTestId('merge-next')).toHaveAccessibleName('Next conflict');
  // Resolve sits at the end of the toolbar, above the result, and says why it waits
  const resolve = within(toolbar).getByTestId('btn-resolve-merge');
  expect(resolve).toBeDisabled();
  expect(resolve).toHaveAccessibleDescription('Decide the conflict left first: accept a side or edit its lines.');
  expect(screen.getByTestId('merge-why')).toBeVisible();
  // Show base is in the incoming pane's title, not the toolbar
  expect(within(toolbar).queryByTestId('merge-show-base')).not.toBeInTheDocument();

  await user.click(current);
  expect(resolve).toBeEnabled();
  expect(resolve).not.toHaveAttribute('aria-describedby');
  expect(screen.queryByTestId('merge-why')).not.toBeInTheDocument();
});

test('a merge without conflicts says so in the toolbar line', async () => {
  vi.mocked(api.listConflicts).mockResolvedValue([
    {
      ...makeConflict(),
      merge_regions: [
        { kind: 'unchanged', base: 'spec:\n', ours: 'spec:\n', theirs: 'spec:\n' },
        { kind: 'theirs', base: '  role: leaf\n', ours: '  role: leaf\n', theirs: '  role: spine\n' },
      ],
    },
  ]);
  render(Conflicts, { data: app.data.demo });
  const clean = await screen.findByTestId('merge-clean');
  expect(within(screen.getByRole('toolbar', { name: 'Conflicts' })).getByTestId('merge-clean')).toBe(clean);
  expect(clean).toHaveTextContent('The lines merge without a conflict');
  expect(clean).toHaveAttribute('title', expect.stringContaining('Check it and resolve'));
  expect(screen.queryByTestId('merge-current')).not.toBeInTheDocument();
  expect(screen.getByTestId('btn-resolve-merge')).toBeEnabled();
});
