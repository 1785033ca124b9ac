// SPDX-License-Identifier: GPL-2.0-or-later
// Of a strace log with several processes, which one to replay: each pid
// with its number of calls, or all of them as one address space (right for
// the threads of one process: -e trace=memory does not show the clone()
// that would tell a thread from a forked process).
import { useApp } from '../store-context';

export function PidPicker() {
  const log = useApp((s) => s.timeline?.log ?? null);
  const chosen = useApp((s) => s.timelinePid);
  const setPid = useApp((s) => s.setPid);
  const run = useApp((s) => s.run);
  if (log === null || log.pids.length < 2) return null;
  const value = String(chosen ?? log.pid ?? 'all');
  return (
    <label className="pid-picker">
      Process{' '}
      <select
        aria-label="Process"
        value={value}
        onChange={(e) => {
          const v = e.target.value;
          setPid(v === 'all' ? 'all' : Number(v));
          void run();
        }}
      >
        {log.pids.map((p) => (
          <option key={p.pid} value={String(p.pid)}>
            pid {p.pid} ({p.calls} {p.calls === 1 ? 'call' : 'calls'})
          </option>
        ))}
        <option value="all">all (threads share one address space)</option>
      </select>
    </label>
  );
}
