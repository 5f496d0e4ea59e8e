// The toast after a conflict is resolved. It outlives the conflict (the list reloads under it, the
// detail is destroyed, another conflict takes its place), so its action holds its own copies of
// fabric, kind and name: plain strings, never the conflict or any state that changes.
import { plural } from '../../lib/format';
import { app } from '../../lib/state/app.svelte';
import type { Toast } from '../../lib/state/toasts.svelte';

export function resolvedToast(fabric: string, kind: string, name: string, how: string, errors: number): Omit<Toast, 'id'> {
  // the parameters are strings, values: the closure below holds these and nothing else
  return {
    tone: errors ? 'warn' : 'success',
    title: `Conflict on ${kind}/${name} resolved (${how})`,
    message: `Kept as a draft${errors ? ` with ${plural(errors, 'error')} to fix` : ''}: nothing is pushed until you push.`,
    action: { label: 'Open in editor', run: () => openIn(fabric, kind, name) },
  };
}

/** Opens the resource in its own fabric's editor, even when another fabric is shown by then. */
function openIn(fabric: string, kind: string, name: string): void {
  if (app.selected !== fabric) app.select(fabric);
  app.openResource(kind, name);
}
