// SPDX-License-Identifier: GPL-2.0-or-later
// Wires the layers together: the engine worker, the store, the views.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './store/app-store';
import { App } from './views/App';
import { StoreProvider } from './views/store-context';
import { DEFAULT_EXAMPLE, fetchExample } from './views/examples/examples';
import { createEngineWorker } from './worker/client';
import './views/app.css';

const store = createAppStore(createEngineWorker());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

// Open on the default example, run, so the first screen already shows a step.
void fetchExample(DEFAULT_EXAMPLE)
  .then((text) => {
    if (store.getState().text !== '') return; // the user was quicker
    store.getState().setText(text);
    return store.getState().run();
  })
  .catch((e: unknown) => console.error(`could not load ${DEFAULT_EXAMPLE}:`, e));
