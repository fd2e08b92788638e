import { defaultClientConditions, defineConfig } from 'vite';

// The router serves the built UI under `/web/` (as O2 does); hashed assets are cached for a
// year, index.html never. JSX is compiled by esbuild (no React plugin: no fast refresh needed).
export default defineConfig({
  base: '/web/',
  esbuild: { jsx: 'automatic' },
  // Workspace packages (the dashboard document model) are bundled from their TypeScript source,
  // so the UI never depends on a stale dist/.
  resolve: { conditions: ['@o2/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // React Router marks its modules "use client" (for RSC bundlers); meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:5080',
      '/auth': 'http://127.0.0.1:5080',
      '/config': 'http://127.0.0.1:5080',
    },
  },
});
