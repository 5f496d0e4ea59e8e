// Puts the app's singletons back to a fresh state between tests.
import { app } from '../lib/state/app.svelte';
import { operations } from '../lib/state/operations.svelte';
import { settings } from '../lib/state/settings.svelte';
import { toasts } from '../lib/state/toasts.svelte';

export function resetState(): void {
  app.stop();
  app.info = null;
  app.startError = null;
  app.ready = false;
  app.repositories = [];
  app.fabrics = [];
  app.data = {};
  app.selected = null;
  app.view = 'overview';
  app.page = 'fabric';
  app.clearBuffers();
  app.templates = null;
  app.dialog = null;
  app.demo = false;
  app.treeSelection = {};
  app.closeRequested = false;
  app.closing = false;
  operations.byFabric = {};
  toasts.clear();
  settings.stop();
  settings.repositories = null;
  settings.repositoriesError = null;
  settings.preferences = null;
  settings.preferencesError = null;
  delete document.documentElement.dataset.theme;
}
