// The command line's diagram renderer: src/diagram.ts (the topology layout and the SVG drawing the
// app uses) as one self-contained script, dist-diagram/hhsync-diagram.js, that the Rust side runs
// in QuickJS for `hhsync diagram --format svg`. An IIFE (QuickJS evaluates a script, no module
// loader), elkjs bundled in, no CSS, no Svelte: nothing reachable from diagram.ts is a component.
import { defineConfig } from 'vite';

export default defineConfig({
  clearScreen: false,
  // the app's public/ files belong to the web view, not to this script
  publicDir: false,
  // elkjs's GWT code takes its Math, Map, Date… from `window`, `global` or `self` ($wnd), and
  // QuickJS has none of them: without this it falls back to `{}` and fails on `$wnd.Map`
  define: { global: 'globalThis' },
  build: {
    outDir: 'dist-diagram',
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    sourcemap: false,
    cssCodeSplit: false,
    copyPublicDir: false,
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      treeshake: {
        // lib/filter.ts makes an Intl.Collator at load (the table's sort); decorate.ts reaches that
        // module through lib/live.ts but never sorts. QuickJS has no Intl: let the unused
        // collator go, instead of a ReferenceError when the script is evaluated
        manualPureFunctions: ['Intl.Collator'],
      },
    },
    lib: {
      entry: 'src/diagram.ts',
      formats: ['iife'],
      name: 'hhsyncDiagramBundle',
      fileName: () => 'hhsync-diagram.js',
    },
  },
});
