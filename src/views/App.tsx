// SPDX-License-Identifier: GPL-2.0-or-later
import { AddressSpace } from './address-space/AddressSpace';
import { CompareRecordings } from './compare/CompareRecordings';
import { StepControls } from './controls/StepControls';
import { FileExports } from './export/FileExports';
import { KernelEvents } from './kernel-events/KernelEvents';
import { KernelPicker } from './kernel/KernelPicker';
import { LessonPanel } from './lesson/LessonPanel';
import { LessonPicker } from './lesson/LessonPicker';
import { MapleTree } from './maple-tree/MapleTree';
import { MapsTable } from './maps/MapsTable';
import { QuizPanel } from './quiz/QuizPanel';
import { QuizToggle } from './quiz/QuizToggle';
import { DraftsList } from './persistence/DraftsList';
import { SessionNotice } from './persistence/SessionNotice';
import { Reasons } from './reasons/Reasons';
import { ScenarioEditor } from './scenario/ScenarioEditor';
import { StepsList } from './steps/StepsList';
import { ThemeSwitch } from './theme/ThemeSwitch';
import { TextCopy } from './scenario/TextCopy';
import { ViewBoundary } from './ViewBoundary';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>VMA Explorer</h1>
        <ViewBoundary name="Lessons">
          <LessonPicker />
        </ViewBoundary>
        <ViewBoundary name="Kernel">
          <KernelPicker />
        </ViewBoundary>
        <ViewBoundary name="Stepping">
          <StepControls />
        </ViewBoundary>
        <span className="header-end">
          <ViewBoundary name="Quiz">
            <QuizToggle />
          </ViewBoundary>
          <ViewBoundary name="Compare">
            <CompareRecordings />
          </ViewBoundary>
          <ViewBoundary name="Export">
            <FileExports />
          </ViewBoundary>
          <ThemeSwitch />
        </span>
      </header>
      <aside className="app-side">
        <SessionNotice />
        <ViewBoundary name="Drafts">
          <DraftsList />
        </ViewBoundary>
        <ViewBoundary name="Scenario" fallback={<TextCopy />}>
          <ScenarioEditor />
        </ViewBoundary>
        <ViewBoundary name="Steps">
          <StepsList />
        </ViewBoundary>
      </aside>
      <main className="app-main">
        <ViewBoundary name="Quiz">
          <QuizPanel />
        </ViewBoundary>
        <ViewBoundary name="Lesson">
          <LessonPanel />
        </ViewBoundary>
        <ViewBoundary name="Address space">
          <AddressSpace />
        </ViewBoundary>
        <ViewBoundary name="Reasons">
          <Reasons />
        </ViewBoundary>
        <ViewBoundary name="Kernel events">
          <KernelEvents />
        </ViewBoundary>
        <ViewBoundary name="Maple tree">
          <MapleTree />
        </ViewBoundary>
        <ViewBoundary name="Maps">
          <MapsTable />
        </ViewBoundary>
      </main>
    </div>
  );
}
