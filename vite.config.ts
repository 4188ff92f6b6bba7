import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    // Transform the page's and the worker's module graphs at start-up rather than on first visit.
    warmup: { clientFiles: ['./src/ui/main.tsx', './src/worker/server-worker.ts'] },
  },
  // Pre-bundle what the page and the server worker import, so the first visit does not trigger a
  // dependency re-optimization and a full reload halfway through start-up.
  optimizeDeps: {
    include: ['react', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'zustand', 'zustand/vanilla', 'd3', 'idb', '@noble/hashes/legacy.js', 'peerjs'],
  },
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
