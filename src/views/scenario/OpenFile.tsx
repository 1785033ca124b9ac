// SPDX-License-Identifier: GPL-2.0-or-later
// Files in: an Open… button (a real file input behind it) and a drop zone
// over the editors. A file REPLACES the document (CodeMirror's own drop
// would insert its text at the drop point): a scenario or strace log the
// scenario, a maps or smaps dump the starting maps. The document it
// replaces is kept as a draft. The file's kind is told from its text and
// said, and a file larger than the app reads is refused before it is read.
// A kernel recording (a JSON file) goes to the Kernel events view instead.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { describeInput } from '../../engine';
import { isRecordingFile } from '../../store/recording-slice';
import { useApp } from '../store-context';

/**
 * The largest file opened: the most a link's scenario may inflate to
 * (MAX_INFLATED_BYTES in src/app/packing.ts, which src/app/open-limit.test.ts
 * checks), so that whatever is opened can be shared and reopened.
 */
export const MAX_OPEN_BYTES = 8 * 1024 * 1024;

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Reads a file into the document and runs it; says what it was. */
function useOpenFile(): {
  open(file: File): Promise<void>;
  said: string | null;
  fault: string | null;
} {
  const openDocument = useApp((s) => s.openDocument);
  const openRecordingFile = useApp((s) => s.openRecordingFile);
  const run = useApp((s) => s.run);
  const [said, setSaid] = useState<string | null>(null);
  const [fault, setFault] = useState<string | null>(null);
  const open = async (file: File) => {
    if (isRecordingFile(file)) {
      // A kernel recording is compared with the run, not opened as its text.
      setSaid(null);
      setFault(null);
      return openRecordingFile(file);
    }
    if (file.size > MAX_OPEN_BYTES) {
      setSaid(null);
      setFault(
        `${file.name} is ${MB(file.size)}, more than the ${MB(MAX_OPEN_BYTES)} the app reads: not opened, the text on screen is kept. ` +
          'The command line reads larger files (npx vma-explorer run FILE).',
      );
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      setSaid(null);
      setFault(`Could not read ${file.name}: ${(e as Error).message}`);
      return;
    }
    const what = describeInput(text);
    if (what.kind === 'maps' || what.kind === 'smaps') {
      openDocument({ startMaps: text });
      setSaid(`Opened ${file.name}: ${what.words}, the address space to start from.`);
    } else {
      openDocument({ text, startMaps: '' });
      setSaid(`Opened ${file.name}: ${what.words}.`);
    }
    setFault(null);
    await run();
  };
  return { open, said, fault };
}

/** The Open… button, and a drop zone around `children` (the editors). */
export function FileDrop({ children }: { children: ReactNode }) {
  const { open, said, fault } = useOpenFile();
  const input = useRef<HTMLInputElement>(null);
  const zone = useRef<HTMLDivElement>(null);
  const [over, setOver] = useState(false);
  const openRef = useRef(open);
  useEffect(() => {
    openRef.current = open;
  });

  useEffect(() => {
    const el = zone.current;
    if (!el) return;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    // Capture phase, on the way down: CodeMirror's content element never
    // sees a file drop, so it cannot insert the file at the drop point.
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setOver(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!el.contains(e.relatedTarget as Node | null)) setOver(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.stopPropagation();
      setOver(false);
      const file = e.dataTransfer?.files[0];
      if (file) void openRef.current(file);
    };
    el.addEventListener('dragover', onOver, true);
    el.addEventListener('dragenter', onOver, true);
    el.addEventListener('dragleave', onLeave, true);
    el.addEventListener('drop', onDrop, true);
    return () => {
      el.removeEventListener('dragover', onOver, true);
      el.removeEventListener('dragenter', onOver, true);
      el.removeEventListener('dragleave', onLeave, true);
      el.removeEventListener('drop', onDrop, true);
    };
  }, []);

  return (
    <>
      <div className="open-file">
        <button type="button" onClick={() => input.current?.click()}>
          Open…
        </button>
        <input
          ref={input}
          type="file"
          aria-label="Open a scenario, strace log, maps or smaps file"
          hidden
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            // The same file chosen twice must open twice.
            e.currentTarget.value = '';
            if (file) void open(file);
          }}
        />
        <span className="open-file-hint">or drop a file on the editor</span>
      </div>
      {said && (
        <p aria-live="polite" className="opened">
          {said}
        </p>
      )}
      {fault && (
        <p role="alert" className="open-fault">
          {fault}
        </p>
      )}
      <div ref={zone} className="drop-zone" data-over={over || undefined}>
        {children}
      </div>
    </>
  );
}
