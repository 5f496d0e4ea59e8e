// The merge view's folded unchanged lines must read as text in the app's fonts: @codemirror/merge
// draws "⦚" around the count, which DejaVu (all a bare Linux web view has) lacks: empty boxes.
import { render, screen } from '@testing-library/svelte';
import { expect, test } from 'vitest';
import MergeDiff from '../components/MergeDiff.svelte';

/**
 * The rules CodeMirror injected (style-mod, at run time), as written: the raw text of the <style>
 * elements, since jsdom's CSSOM drops `!important`.
 */
function rules(): string[] {
  return [...document.querySelectorAll('style')].flatMap((s) => (s.textContent ?? '').split('}'));
}

test('folded unchanged lines show "⋯ N unchanged lines", with no glyph DejaVu lacks', async () => {
  const same = Array.from({ length: 40 }, (_, i) => `key${i}: value${i}`);
  const a = ['name: a', ...same].join('\n');
  const b = ['name: b', ...same].join('\n');
  render(MergeDiff, { a, b, labelA: 'Ours', labelB: 'Theirs', testid: 'merge' });
  const folded = screen.getByTestId('merge').querySelectorAll('.cm-collapsedLines');
  expect(folded.length).toBeGreaterThan(0);
  expect(folded[0].textContent).toMatch(/^\d+ unchanged lines$/);

  // the package's rules ("⦚") and ours: ours win (!important) with U+22EF, which DejaVu has
  const before = rules().filter((r) => r.includes('.cm-collapsedLines:before'));
  const after = rules().filter((r) => r.includes('.cm-collapsedLines:after'));
  expect(before.some((r) => r.includes('content: "⦚"'))).toBe(true);
  expect(before.filter((r) => r.includes('!important')).map((r) => /content: ("[^"]*")/.exec(r)?.[1])).toEqual(['"⋯"']);
  expect(after.filter((r) => r.includes('!important')).map((r) => /content: ("[^"]*")/.exec(r)?.[1])).toEqual(['"(click to show)"']);
});
