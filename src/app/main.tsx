// SPDX-License-Identifier: GPL-2.0-or-later
// Wires the layers together: the engine worker, the store, the views.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from '../store/app-store';
import { App } from '../views/App';
import { ViewBoundary } from '../views/ViewBoundary';
import { TextCopy } from '../views/scenario/TextCopy';
import { bindDrop } from './drop';
import { bindKeyboard } from './keyboard';
import { bindTheme } from './theme';
import { browserDraftPlaces } from './documents';
import { persistSession, restoreSession, type Opened } from './session';
import { StoreProvider } from '../views/store-context';
import { createEngineClient } from '../worker/client';
import '../views/app.css';

const engine = createEngineClient();
const store = createAppStore(engine);
engine.onCrash = () => void store.getState().recover();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <ViewBoundary name="VMA Explorer" fallback={<TextCopy />}>
        <App />
      </ViewBoundary>
    </StoreProvider>
  </StrictMode>,
);

bindKeyboard(store);
bindDrop(store);
bindTheme(store);
// Open on a shared link, an autosaved scenario or the default example, and
// keep the URL and the autosave current from then on; a link pasted into
// this tab later (only the hash changes) opens as one does at start.
const places = browserDraftPlaces();
void restoreSession(store, window.location, window.localStorage, places)
  .catch((e: unknown): Opened => {
    console.error('could not open a scenario:', e);
    return { keepLink: true };
  })
  .then((opened) => {
    store.getState().started();
    persistSession(
      store,
      window.location,
      window.history,
      window.localStorage,
      opened,
      window,
      places,
    );
  });
