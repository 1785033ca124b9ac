// SPDX-License-Identifier: GPL-2.0-or-later
// When --events refuses to run, and what it says: one line naming the reason.
import { describe, expect, it } from 'vitest';
import { TRACE_EVENTS, tracefsProblem, type TraceHost } from './tracefs';

const host = (over: Partial<TraceHost>): TraceHost => ({
  uid: 0,
  mounted: () => true,
  mount: () => {},
  hasEvent: () => true,
  ...over,
});

describe('tracefsProblem', () => {
  it('accepts root with tracefs and every tracepoint', () => {
    expect(tracefsProblem(host({}))).toBeNull();
  });

  it('refuses without root', () => {
    expect(tracefsProblem(host({ uid: 1000 }))).toBe(
      '--events needs root to use tracefs (this is uid 1000)',
    );
  });

  it('mounts tracefs when it is not mounted, and says why it could not', () => {
    let mounted = false;
    expect(
      tracefsProblem(host({ mounted: () => mounted, mount: () => (mounted = true) })),
    ).toBeNull();
    expect(mounted).toBe(true);
    const refused = host({
      mounted: () => false,
      mount: () => {
        throw new Error('mount: permission denied');
      },
    });
    expect(tracefsProblem(refused)).toBe(
      '--events cannot mount tracefs at /sys/kernel/tracing: mount: permission denied',
    );
  });

  it('names the tracepoints a kernel lacks', () => {
    const noMaple = host({ hasEvent: (e) => !e.startsWith('maple_tree/') });
    expect(tracefsProblem(noMaple)).toBe(
      '--events: this kernel lacks the tracepoints maple_tree:ma_write, maple_tree:ma_op',
    );
    expect(TRACE_EVENTS).toHaveLength(6);
  });
});
