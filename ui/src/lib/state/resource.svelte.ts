// One resource in the editor: what Git has (desired), the draft, the text being edited, and the
// issues of the last check or save.
import * as api from '../api';
import { adviceFor, type ErrorAdvice } from '../advice';
import type { DraftReport, ResourceDetail, Status, TextCheck } from '../types';

export class ResourceDraft {
  readonly fabric: string;
  readonly kind: string;
  readonly name: string;
  detail = $state.raw<ResourceDetail | null>(null);
  /** Not saved yet: made from a kind template. */
  unsaved = $state(false);
  /** The text the editor was loaded with or last saved. */
  saved = $state('');
  /** The editor's current text (kept in step by the editor view). */
  text = $state('');
  check = $state.raw<TextCheck>({ errors: [], warnings: [] });
  status = $state<Status | null>(null);
  loading = $state(false);
  /** Bumped whenever `text` is replaced from outside the editor (load, template). */
  revision = $state(0);
  busy = $state(false);
  error = $state<ErrorAdvice | null>(null);

  constructor(fabric: string, kind: string, name: string) {
    this.fabric = fabric;
    this.kind = kind;
    this.name = name;
  }

  get dirty(): boolean {
    return this.text !== this.saved;
  }

  /** The desired version (what Git holds at the synced commit); '' for a resource Git lacks. */
  get desired(): string {
    return this.detail?.text ?? '';
  }

  get deleted(): boolean {
    return this.status === 'deleted';
  }

  /** Starts from a template: nothing to load. */
  startNew(text: string): void {
    this.unsaved = true;
    this.status = 'new';
    this.saved = '';
    this.text = text;
    this.revision++;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      const d = await api.getResource(this.fabric, this.kind, this.name);
      this.detail = d;
      this.unsaved = false;
      this.status = d.status;
      this.saved = d.draft_text ?? d.text ?? '';
      this.text = this.saved;
      this.revision++;
      this.check = { errors: d.errors, warnings: d.warnings };
      this.error = null;
    } catch (e) {
      this.error = adviceFor(e, `Opening ${this.kind}/${this.name}`);
    } finally {
      this.loading = false;
    }
  }

  /** After a pull or another change from outside: reload unless the user has unsaved edits. */
  async reloadIfClean(): Promise<void> {
    if (this.unsaved || this.dirty || this.busy || this.loading) return;
    await this.load();
  }

  /** Validates `text` without saving (inline errors while typing). */
  async validate(text: string): Promise<TextCheck> {
    const result = await api.checkText(this.fabric, this.kind, this.name, text);
    if (text === this.text) this.check = result;
    return result;
  }

  /** Saves the draft (kept even when invalid); the report's issues become the shown ones. */
  async save(text: string = this.text): Promise<DraftReport> {
    this.busy = true;
    try {
      const report = await api.saveDraft(this.fabric, this.kind, this.name, text);
      this.saved = text;
      this.unsaved = false;
      this.#apply(report);
      return report;
    } finally {
      this.busy = false;
    }
  }

  async remove(): Promise<DraftReport> {
    this.busy = true;
    try {
      const report = await api.deleteResource(this.fabric, this.kind, this.name);
      this.#apply(report);
      return report;
    } finally {
      this.busy = false;
    }
  }

  /** Drops the draft; returns false when nothing is left (a new resource never pushed). */
  async discard(): Promise<boolean> {
    this.busy = true;
    try {
      if (!this.unsaved) await api.discardDraft(this.fabric, this.kind, this.name);
      if (this.unsaved || !this.detail?.text) return false;
      await this.load();
      return true;
    } finally {
      this.busy = false;
    }
  }

  #apply(report: DraftReport): void {
    this.status = report.status;
    this.check = { errors: report.errors, warnings: report.warnings };
  }
}
