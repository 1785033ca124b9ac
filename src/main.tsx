// SPDX-License-Identifier: GPL-2.0-or-later
// Wires the layers together: the engine worker, the store, the views.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './store/app-store';
import { App } from './views/App';
import { StoreProvider } from './views/store-context';
import { createEngineWorker } from './worker/client';
import './views/app.css';

const DEFAULT_SCENARIO = 'scenarios/default.scn';

const store = createAppStore(createEngineWorker());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

// Open on the default example, run, so the first screen already shows a step.
void fetch(import.meta.env.BASE_URL + DEFAULT_SCENARIO)
  .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${r.status} ${r.statusText}`))))
  .then((text) => {
    if (store.getState().text !== '') return; // the user was quicker
    store.getState().setText(text);
    return store.getState().run();
  })
  .catch((e: unknown) => console.error(`could not load ${DEFAULT_SCENARIO}:`, e));
