// Adopting what runs only on the cluster: the resources become new drafts (then the user pushes).
// One resource opens in the editor; several say so in a toast with a way to push them.
import { resourceKey, plural } from '../../lib/format';
import { app } from '../../lib/state/app.svelte';
import type { FabricData } from '../../lib/state/fabric.svelte';
import { toasts } from '../../lib/state/toasts.svelte';
import type { DraftReport } from '../../lib/types';

/** Adopts `resources` ("Kind/name"; empty: all only on the cluster); the new drafts, or null when it failed (a toast says why). */
export async function adoptResources(data: FabricData, resources: string[]): Promise<DraftReport[] | null> {
  try {
    const drafts = await data.live.adopt(resources);
    void data.refresh();
    if (drafts.length === 1) {
      const [d] = drafts;
      toasts.show({ tone: 'success', title: `Adopted ${resourceKey(d)} as a draft`, message: 'Check it in the editor, then push it to put it in Git.' });
      if (app.selected === data.name) app.openResource(d.kind, d.name);
    } else {
      toasts.show({
        tone: 'success',
        title: drafts.length ? `Adopted ${plural(drafts.length, 'resource')} as drafts` : 'Nothing to adopt',
        message: drafts.length ? 'Push them to put them in Git.' : 'No resource runs only on the cluster any more.',
        action: drafts.length ? { label: 'Review and push', run: () => (app.select(data.name), (app.dialog = 'push')) } : undefined,
      });
    }
    return drafts;
  } catch (e) {
    toasts.error(e, 'Adopt');
    return null;
  }
}
