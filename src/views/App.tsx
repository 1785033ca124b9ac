// SPDX-License-Identifier: GPL-2.0-or-later
import { AddressSpace } from './address-space/AddressSpace';
import { StepControls } from './controls/StepControls';
import { MapleTree } from './maple-tree/MapleTree';
import { MapsTable } from './maps/MapsTable';
import { ScenarioEditor } from './scenario/ScenarioEditor';
import { StepsList } from './steps/StepsList';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>VMA Explorer</h1>
        <StepControls />
      </header>
      <aside className="app-side">
        <ScenarioEditor />
        <StepsList />
      </aside>
      <main className="app-main">
        <AddressSpace />
        <MapleTree />
        <MapsTable />
      </main>
    </div>
  );
}
