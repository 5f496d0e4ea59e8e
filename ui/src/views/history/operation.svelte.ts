// One operation of the history opened in detail: what it committed (operation_diff, loaded once
// per opening) and reverting it (revert_operation), with its error kept for the dialog to show.
import * as api from '../../lib/api';
import { adviceFor, type ErrorAdvice } from '../../lib/advice';
import { listSome, plural } from '../../lib/format';
import { operations } from '../../lib/state/operations.svelte';
import { toasts } from '../../lib/state/toasts.svelte';
import type { OperationDiff, RevertReport } from '../../lib/types';

export class OperationChanges {
  readonly fabric: string;
  readonly id: number;
  diff = $state.raw<OperationDiff | null>(null);
  loadError = $state<ErrorAdvice | null>(null);
  reverting = $state(false);
  revertError = $state<ErrorAdvice | null>(null);

  constructor(fabric: string, id: number) {
    this.fabric = fabric;
    this.id = id;
  }

  async load(): Promise<void> {
    this.loadError = null;
    try {
      this.diff = await api.operationDiff(this.fabric, this.id);
    } catch (e) {
      this.loadError = adviceFor(e, 'Loading the changes');
    }
  }

  /**
   * Reverts the operation as a new one, with the progress bar; toasts the result. A failure stays
   * here (`revertError`) for the dialog, not in a toast: a refusal names the files in the way.
   */
  async revert(): Promise<RevertReport | null> {
    if (this.reverting) return null;
    this.reverting = true;
    this.revertError = null;
    try {
      const report = await operations.run(this.fabric, 'revert', () => api.revertOperation(this.fabric, this.id));
      toasts.show({
        tone: 'success',
        title: `Reverted #${this.id} as #${report.operation_id}`,
        message: report.files.length ? `Changed back ${plural(report.files.length, 'file')}: ${listSome(report.files)}` : undefined,
      });
      return report;
    } catch (e) {
      this.revertError = adviceFor(e, 'Revert');
      return null;
    } finally {
      this.reverting = false;
    }
  }
}
