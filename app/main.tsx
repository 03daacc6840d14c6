import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ErrorBoundary } from './ui/ErrorBoundary.tsx';
import { boot } from './state/boot.ts';
import { startEmbedApi } from './state/embedApi.ts';
import { applyTheme } from './ui/theme.ts';
import './styles.css';

applyTheme();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary region="app">
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
startEmbedApi();
void boot();
