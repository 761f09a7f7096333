import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for every host: `out/main/index.js` (Electron entry), `out/main/cli.js` (headless `trm`),
// `out/main/import-worker.js` (the import's parser thread), `out/main/trm-train-worker.js` (TRM training),
// `out/main/sentiment-train-worker.js` (sentiment training),
// `out/preload/index.cjs` (sandboxed preloads must be CommonJS) and `out/renderer` (served by both).
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      sourcemap: true,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          cli: resolve(import.meta.dirname, 'src/main/cli/index.ts'),
          // The import worker thread's entry (market/import/worker-client.ts looks for it here).
          'import-worker': resolve(import.meta.dirname, 'src/main/market/import/import-worker.ts'),
          // The TRM training thread's entry (training/trm/train-in-worker.ts looks for it here).
          'trm-train-worker': resolve(import.meta.dirname, 'src/main/training/trm/train-worker.ts'),
          // The sentiment training thread's entry (training/sentiment/train-in-worker.ts looks for it here).
          'sentiment-train-worker': resolve(
            import.meta.dirname,
            'src/main/training/sentiment/train-worker.ts',
          ),
        },
      },
    },
  },
  preload: {
    build: {
      // The sandboxed preload cannot require node_modules at run time: bundle everything it uses.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      sourcemap: true,
      minify: true,
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
