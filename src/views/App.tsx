// SPDX-License-Identifier: GPL-2.0-or-later
import { AddressSpace } from './address-space/AddressSpace';
import { StepControls } from './controls/StepControls';
import { FileExports } from './export/FileExports';
import { KernelPicker } from './kernel/KernelPicker';
import { MapleTree } from './maple-tree/MapleTree';
import { MapsTable } from './maps/MapsTable';
import { SessionNotice } from './persistence/SessionNotice';
import { Reasons } from './reasons/Reasons';
import { ScenarioEditor } from './scenario/ScenarioEditor';
import { StepsList } from './steps/StepsList';
import { ThemeSwitch } from './theme/ThemeSwitch';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>VMA Explorer</h1>
        <KernelPicker />
        <StepControls />
        <span className="header-end">
          <FileExports />
          <ThemeSwitch />
        </span>
      </header>
      <aside className="app-side">
        <SessionNotice />
        <ScenarioEditor />
        <StepsList />
      </aside>
      <main className="app-main">
        <AddressSpace />
        <Reasons />
        <MapleTree />
        <MapsTable />
      </main>
    </div>
  );
}
