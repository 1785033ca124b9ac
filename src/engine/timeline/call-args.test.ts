// SPDX-License-Identifier: GPL-2.0-or-later
// A run's arguments decoded once (call-args.ts) read as the parsed calls say,
// and the results print as strace prints them.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { MOST_ARGS, RunArgs, callArgs, formatRet } from './call-args';
import { runScenario } from './run';

const SCENARIO = [
  'mmap(0x200000000000, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  'openat(AT_FDCWD, "/tmp/f", O_RDWR|O_CREAT, 0600)',
  'munmap(0xffffffffffffffff, 0x1000)',
  'mremap(0x200000000000, 4096, 8192, MREMAP_MAYMOVE)',
  'brk(NULL)',
].join('\n');

describe('call-args', () => {
  it("gives every call's arguments as the parser's numbers, 0 for strings and missing ones", () => {
    const parsed = parseScenario(SCENARIO);
    expect(parsed.diagnostics).toEqual([]);
    const args = new RunArgs(parsed.calls);
    parsed.calls.forEach((c, k) => {
      const a = args.at(k);
      expect(a.call).toBe(c);
      const lone = callArgs(c);
      for (let i = 0; i < MOST_ARGS; i++) {
        const arg = c.args[i];
        const want = arg?.kind === 'int' ? arg.num : 0;
        expect(a.nums[a.base + i], `${c.text}: argument ${i}`).toBe(want);
        expect(lone.nums[lone.base + i], `${c.text}: argument ${i} alone`).toBe(want);
      }
      expect(lone.printed).toBe(a.printed);
    });
    // Past 2^52 a number cannot hold the value: NaN sends the reader to BigInts.
    expect(args.at(2).nums[args.at(2).base]).toBeNaN();
  });

  it('prints an address result with the text of the argument it equals, when strace writes it so', () => {
    const fixed = (addr: string): string =>
      `mmap(${addr}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;
    for (const addr of ['0x200000000000', '35184372088832', '0x0200000000000', '0X200000000000']) {
      const call = parseScenario(fixed(addr)).calls[0];
      const ret = formatRet(callArgs(call), { ok: true, value: 0x200000000000 });
      expect(ret, addr).toBe('0x200000000000');
    }
    const out = runScenario(SCENARIO, 'scn', { trace: false });
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    // A moved mapping and the break print as addresses too, not as the decimal numbers they are.
    const address = expect.stringMatching(/^0x[1-9a-f][0-9a-f]*$/);
    expect(out.calls.map((c) => c.ret)).toEqual([
      '0x200000000000',
      '3',
      '-1 EINVAL',
      address,
      address,
    ]);
  });
});
