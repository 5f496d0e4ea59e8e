/// <reference types="vitest/config" />
// Vite for the Tauri web view: fixed port (tauri.conf.json's devUrl points here), no screen
// clearing (Tauri's own output stays visible), and a build target WebKitGTK runs.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

const host = process.env.TAURI_DEV_HOST;

export default defineConfig({
  // svelteTesting: browser builds of Svelte and automatic cleanup between component tests
  plugins: [svelte(), ...(process.env.VITEST ? [svelteTesting()] : [])],
  clearScreen: false,
  envPrefix: ['VITE_', 'TAURI_'],
  server: {
    port: 1420,
    strictPort: true,
    host: host || false,
    hmr: host ? { protocol: 'ws', host, port: 1421 } : undefined,
    watch: { ignored: ['**/src-tauri/**'] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['es2021', 'safari13'],
    sourcemap: !!process.env.TAURI_ENV_DEBUG,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    include: process.env.HHSYNC_BENCH ? ['bench/**/*.bench.ts'] : ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    setupFiles: ['./src/test/setup.ts'],
    mockReset: true,
  },
});
