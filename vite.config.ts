import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The app lives in app/, built-in scenarios in public/scenarios/.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: { port: 5173 },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['sim-core/**/*.test.ts', 'app/**/*.test.ts', 'app/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 90000,
  },
});
