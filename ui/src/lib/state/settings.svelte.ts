// The Settings page's data: the repositories with how they authenticate, the preferences (their
// theme colours the whole window, so they load at start-up too), and connection checks, ticked
// off as their `repo-check` events arrive. Tokens pass through as arguments and are never kept:
// nothing here holds one.
import * as api from '../api';
import { adviceFor, type ErrorAdvice } from '../advice';
import { CHECK_STEPS } from '../repoAuth';
import { applyTheme } from '../theme';
import type { CheckStep, CheckStepKind, Code, Preferences, RepoAuthRow, RepoCheck, StepState, Theme } from '../types';

/** A step as shown: the backend's verdict, or where the check has got to. */
export interface StepView {
  state: StepState | 'running' | 'pending';
  detail: string;
  code: Code | null;
}

/** One run of `check_repository` on a repository. */
export class ConnectionCheck {
  readonly repository: string;
  reported = $state<Partial<Record<CheckStepKind, CheckStep>>>({});
  running = $state(true);
  result = $state.raw<RepoCheck | null>(null);
  error = $state<ErrorAdvice | null>(null);

  constructor(repository: string) {
    this.repository = repository;
  }

  /** Every step in order; while running, the first one not reported yet is the one running. */
  get steps(): { kind: CheckStepKind; view: StepView }[] {
    let runningShown = false;
    return CHECK_STEPS.map((kind) => {
      const step = this.reported[kind];
      if (step) return { kind, view: { state: step.state, detail: step.detail, code: step.code } };
      const fallback = this.result ? fromResult(kind, this.result) : null;
      if (fallback) return { kind, view: fallback };
      if (this.running && !this.error && !runningShown) {
        runningShown = true;
        return { kind, view: { state: 'running', detail: '', code: null } };
      }
      return { kind, view: { state: 'pending', detail: '', code: null } };
    });
  }

  onStep(step: CheckStep): void {
    this.reported[step.step] = step;
  }

  async run(): Promise<void> {
    try {
      this.result = await api.checkRepository(this.repository);
    } catch (e) {
      this.error = adviceFor(e, 'Checking the connection');
    } finally {
      this.running = false;
    }
  }
}

/**
 * A step's verdict read from the final report, for a step whose event never came (events and the
 * command's reply travel apart; a late event still replaces this, as it says more).
 */
function fromResult(kind: CheckStepKind, r: RepoCheck): StepView {
  const view = (state: StepState, detail = ''): StepView => ({ state, detail, code: null });
  switch (kind) {
    case 'reachable':
      return view(r.reachable ? 'passed' : 'failed');
    case 'authenticated':
      return view(r.authenticated ? 'passed' : r.reachable ? 'failed' : 'skipped');
    case 'branch-exists':
      return view(r.branch_tip ? 'passed' : r.authenticated ? 'failed' : 'skipped', r.branch_tip ? `at ${r.branch_tip.slice(0, 8)}` : '');
    case 'may-push':
      return view(r.can_push === null ? 'skipped' : r.can_push ? 'passed' : 'failed');
    case 'rate-limit':
      return r.rate_limit_remaining === undefined ? view('skipped') : view('passed', `${r.rate_limit_remaining} requests`);
  }
}

export class SettingsState {
  /** Null until loaded. */
  repositories = $state.raw<RepoAuthRow[] | null>(null);
  repositoriesError = $state<ErrorAdvice | null>(null);
  preferences = $state.raw<Preferences | null>(null);
  preferencesError = $state<ErrorAdvice | null>(null);
  /** The last connection check of each repository, kept until the page closes. */
  checks = $state<Record<string, ConnectionCheck>>({});

  #unlisten: api.Unlisten | null = null;

  /** The page opens: listen for check steps, and load both sections. */
  async start(): Promise<void> {
    try {
      this.#unlisten ??= await api.onRepoCheck((e) => this.checks[e.repository]?.onStep(e));
    } catch {
      // without the events a check still ends with every step, read from its report
    }
    await Promise.all([this.loadRepositories(), this.loadPreferences()]);
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
    this.checks = {};
  }

  async loadRepositories(): Promise<void> {
    try {
      this.repositories = await api.repositorySettings();
      this.repositoriesError = null;
    } catch (e) {
      this.repositoriesError = adviceFor(e, 'Loading the repositories');
    }
  }

  /** Also at start-up, for the theme: a failure leaves the system's colours and is shown on the page. */
  async loadPreferences(): Promise<void> {
    try {
      this.#setPreferences(await api.preferences());
      this.preferencesError = null;
    } catch (e) {
      this.preferencesError = adviceFor(e, 'Loading the preferences');
    }
  }

  /** Rejects with the backend's error (an invalid value, say) for the page to show by the field. */
  async setPreference(key: api.PreferenceKey, value: string | null): Promise<Preferences> {
    const prefs = await api.setPreference(key, value);
    this.#setPreferences(prefs);
    return prefs;
  }

  /** Shows a theme at once, before it is saved; `setPreference` or a failure puts it right. */
  previewTheme(theme: Theme): void {
    applyTheme(theme);
  }

  #setPreferences(prefs: Preferences): void {
    this.preferences = prefs;
    applyTheme(prefs.theme);
  }

  async addRepository(name: string, url: string, branch: string, options: api.RepoAuthOptions): Promise<void> {
    await api.addRepository(name, url, branch, options);
    await this.loadRepositories();
  }

  async updateRepository(name: string, options: api.RepoAuthOptions): Promise<RepoAuthRow> {
    const row = await api.updateRepository(name, options);
    this.repositories = (this.repositories ?? []).map((r) => (r.name === name ? row : r));
    // what was checked before no longer describes these credentials
    delete this.checks[name];
    return row;
  }

  async removeToken(name: string): Promise<boolean> {
    const removed = await api.removeToken(name);
    delete this.checks[name];
    return removed;
  }

  async removeRepository(name: string): Promise<void> {
    await api.removeRepository(name);
    delete this.checks[name];
    await this.loadRepositories();
  }

  /** Starts a connection check, replacing the last one of the repository. */
  check(name: string): Promise<void> {
    const run = new ConnectionCheck(name);
    this.checks[name] = run;
    return run.run();
  }

  closeCheck(name: string): void {
    delete this.checks[name];
  }
}

export const settings = new SettingsState();
