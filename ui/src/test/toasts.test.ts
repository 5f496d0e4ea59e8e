import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import Toasts from '../components/Toasts.svelte';
import { FADE_MS, TOAST_MS, toasts, VISIBLE_TOASTS } from '../lib/state/toasts.svelte';
import { resetState } from './reset';

beforeEach(() => resetState());
afterEach(() => vi.useRealTimers());

test('at most three toasts show in full; older ones collapse into one line that opens them', async () => {
  const user = userEvent.setup();
  render(Toasts);
  for (let i = 1; i <= 5; i++) toasts.show({ tone: 'error', title: `Failure ${i}` });
  await Promise.resolve();
  const shown = () => screen.getAllByTestId('toast').map((t) => t.querySelector('strong')?.textContent);
  expect(VISIBLE_TOASTS).toBe(3);
  expect(shown()).toEqual(['Failure 3', 'Failure 4', 'Failure 5']);
  expect(screen.getByTestId('toasts-more')).toHaveTextContent('2 earlier notifications');
  await user.click(screen.getByTestId('toasts-more'));
  expect(shown()).toEqual(['Failure 1', 'Failure 2', 'Failure 3', 'Failure 4', 'Failure 5']);
  await user.click(screen.getByRole('button', { name: 'Show fewer' }));
  expect(shown()).toHaveLength(3);
});

test('a toast fades out when its time is up, then goes; hovering it keeps it', () => {
  vi.useFakeTimers();
  render(Toasts);
  const id = toasts.show({ tone: 'info', title: 'Pulled' });
  vi.advanceTimersByTime(TOAST_MS.info);
  expect(toasts.items.find((t) => t.id === id)?.leaving).toBe(true);
  toasts.hold(id);
  vi.advanceTimersByTime(FADE_MS * 10);
  expect(toasts.items.find((t) => t.id === id)?.leaving).toBe(false);
  toasts.release(id);
  vi.advanceTimersByTime(TOAST_MS.info + FADE_MS);
  expect(toasts.items).toEqual([]);
});

test('the action button stays a link inside the toast, and dismisses it', async () => {
  const user = userEvent.setup();
  const run = vi.fn();
  render(Toasts);
  toasts.show({ tone: 'success', title: 'Resolved', action: { label: 'Open in editor', run } });
  const button = (await screen.findByTestId('toast')).querySelector('button.link') as HTMLButtonElement;
  expect(button).toHaveTextContent('Open in editor');
  await user.click(button);
  expect(run).toHaveBeenCalledOnce();
  expect(screen.queryByTestId('toast')).not.toBeInTheDocument();
});

test('docked, the strip is one row: "earlier" first, each toast one text block whose full text is its title', async () => {
  render(Toasts, { docked: true });
  for (let i = 1; i <= 4; i++) toasts.show({ tone: 'error', title: `Failure ${i}`, message: `It broke ${i}.`, advice: 'Try again.' });
  toasts.show({ tone: 'success', title: 'Pulled', message: 'One conflict to resolve.', action: { label: 'Show conflicts', run: () => {} } });
  const strip = await screen.findByTestId('toasts');
  expect(strip).toHaveClass('docked');
  // the button to the earlier ones is inline, before the toasts
  expect(strip.firstElementChild).toBe(screen.getByTestId('toasts-more'));
  const shown = screen.getAllByTestId('toast');
  expect(shown).toHaveLength(VISIBLE_TOASTS);
  const failure = shown[0].querySelector('[data-testid="toast-body"]') as HTMLElement;
  expect(failure).toHaveTextContent('It broke 3. What to do: Try again.');
  expect(failure).toHaveAttribute('title', 'It broke 3. Try again.');
  const pulled = shown[2];
  expect(pulled.querySelector('button.link')).toHaveTextContent('Show conflicts');
  expect(pulled.querySelector('strong')).toHaveAttribute('title', 'Pulled');
});
