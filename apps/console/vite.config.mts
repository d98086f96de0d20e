import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The operations console: static files the gateway serves at /console, calling only the public /v1 API.
export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // ECharts is most of the weight: kept in its own file, cached apart from the app's code.
    rollupOptions: {
      output: { manualChunks: (id: string) => (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'echarts' : undefined) },
    },
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/v1': 'http://localhost:3000' } },
});
