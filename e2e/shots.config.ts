import base from './playwright.config.ts';
import { defineConfig } from '@playwright/test';

// `npm run screenshots`: regenerates public/screenshot.png (the README's) and a
// gallery in test-results/gallery/ for a human to look at. Not part of `npm test`:
// taking a picture asserts nothing.
export default defineConfig({ ...base, testMatch: '**/*.shots.ts', workers: 1 });
