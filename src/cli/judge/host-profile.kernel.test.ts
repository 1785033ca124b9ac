// SPDX-License-Identifier: GPL-2.0-or-later
// The `host` profile against the machine: each setting the probe found must
// be what the kernel then does, and the engine under `host` must give the
// kernel's answer where the settings matter (the zero page, protection keys,
// CONFIG_ANON_VMA_NAME, overcommit).
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario, smapsLines } from '../../engine';
import { JUDGE_PROCESS } from './differential';
import { hostProfile } from './host-profile';
import { judgeScenario } from './judge';
import { RELEVANT_CONFIG, kernelConfig, kernelSummary } from './kernel-config';

const A = '0x200000000000';
const ANON_RW = `mmap(${A}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

/** The kernel's and the host-profile engine's results and smaps for one scenario. */
async function both(text: string): Promise<{
  kernel: { rets: string[]; smaps: string[] };
  engine: { rets: string[]; smaps: string[] };
}> {
  const k = await judgeScenario(text, 'probe.scn');
  if (!k.ok) throw new Error(JSON.stringify(k.diagnostics));
  const { profile } = await hostProfile();
  const e = runScenario(text, 'probe.scn', { initial: JUDGE_PROCESS, kernel: profile });
  if (!e.ok) throw new Error(JSON.stringify(e.diagnostics));
  return {
    kernel: { rets: k.results.map((r) => r.ret), smaps: k.smaps },
    engine: {
      rets: e.calls.map((c) => c.ret),
      smaps: smapsLines(e.steps[e.steps.length - 1].mm),
    },
  };
}

describe('the host kernel profile', () => {
  it('reads every setting from the machine and says how', async () => {
    const { profile, probes } = await hostProfile();
    expect(profile.name).toBe('host');
    const settings = probes.map((p) => p.setting).sort();
    expect(settings).toEqual(
      [
        'anonVmaName',
        'capIpcLock',
        'capSysAdmin',
        'maxMapCount',
        'overcommit',
        'pku',
        'rlimits',
        'thp',
        'vsyscall',
        'zeroPage',
      ].sort(),
    );
    const vm = (n: string): number => Number(readFileSync(`/proc/sys/vm/${n}`, 'utf8'));
    expect(profile.maxMapCount).toBe(vm('max_map_count'));
    expect(profile.overcommit.memory).toBe(vm('overcommit_memory'));
    expect(profile.overcommit.ratio).toBe(vm('overcommit_ratio'));
    const memTotal = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    expect(profile.overcommit.ramPages * 4).toBe(Number(memTotal?.[1]));
  });

  it('the configuration agrees with the probes where both speak', async () => {
    expect(existsSync('/proc/config.gz')).toBe(true);
    const config = kernelConfig();
    expect(config.get('CONFIG_64BIT')).toBe('y');
    const summary = kernelSummary();
    // What the judge reports, against the machine read another way: the
    // shell's zcat, uname and grep, not this project's reader.
    const sh = (cmd: string) => execSync(cmd, { encoding: 'utf8' }).trim();
    expect(summary.release).toBe(sh('uname -r'));
    expect(summary.cpu.pku).toBe(sh('grep -c -w pku /proc/cpuinfo || true') !== '0');
    for (const option of RELEVANT_CONFIG) {
      const line = sh(`zcat /proc/config.gz | grep -E '^(# )?${option}[= ]' || true`);
      const value = line === '' ? null : line.startsWith('#') ? 'n' : line.split('=')[1];
      expect([option, summary.config[option]]).toEqual([option, value]);
    }
    const { profile } = await hostProfile();
    expect(profile.anonVmaName).toBe(config.get('CONFIG_ANON_VMA_NAME') === 'y');
    // Protection keys need the CPU and the kernel; the probe asked the kernel.
    expect(profile.pku).toBe(
      summary.cpu.pku && config.get('CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS') === 'y',
    );
  });

  it('a read fault then mprotect(PROT_READ): the engine keeps or drops ac as the kernel does', async () => {
    const r = await both(`${ANON_RW}\n@read(${A})\nmprotect(${A}, 0x2000, PROT_READ)\n`);
    expect(r.engine).toEqual(r.kernel);
    const { profile } = await hostProfile();
    expect(r.kernel.smaps[1]).toBe(
      profile.zeroPage ? 'VmFlags: rd mr mw me ' : 'VmFlags: rd mr mw me ac ',
    );
  });

  it('two read-faulted neighbours merge only where the zero page is used', async () => {
    const r = await both(
      [
        `mmap(${A}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        `@read(${A})`,
        `mmap(0x200000001000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        `@read(0x200000001000)`,
        `mmap(0x200000002000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      ].join('\n'),
    );
    expect(r.engine).toEqual(r.kernel);
  });

  it('a read of a whole 2 MiB block under THP prepares an anon_vma as the kernel does', async () => {
    const r = await both(
      [
        `mmap(${A}, 0x400000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        `madvise(${A}, 0x400000, MADV_HUGEPAGE)`,
        `@read(0x200000200000)`,
        `mprotect(${A}, 0x400000, PROT_READ)`,
      ].join('\n'),
    );
    expect(r.engine).toEqual(r.kernel);
  });

  it('pkey_mprotect with key 0 answers as the CPU allows', async () => {
    const r = await both(`${ANON_RW}\npkey_mprotect(${A}, 0x1000, PROT_READ, 0)\n`);
    expect(r.engine).toEqual(r.kernel);
  });

  it('PROT_EXEC alone is readable or not as the CPU allows', async () => {
    const r = await both(`${ANON_RW}\nmprotect(${A}, 0x1000, PROT_EXEC)\n@read(${A})\n`);
    expect(r.engine).toEqual(r.kernel);
  });

  it('prctl(PR_SET_VMA_ANON_NAME) answers as the configuration allows', async () => {
    const r = await both(
      `${ANON_RW}\nprctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${A}, 0x1000, "x")\n`,
    );
    expect(r.engine).toEqual(r.kernel);
  });

  it('overcommit: a charge larger than RAM plus swap fails as the kernel decides', async () => {
    const { profile } = await hostProfile();
    const o = profile.overcommit;
    const pages = o.ramPages + o.swapPages + 1;
    const big = '0x' + (pages * 4096).toString(16);
    const fits = '0x' + ((o.ramPages + o.swapPages) * 4096 - 0x1000000).toString(16);
    const r = await both(
      [
        `mmap(NULL, ${big}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`,
        `mmap(NULL, ${big}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)`,
        `mmap(NULL, ${big}, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`,
        `mmap(NULL, ${big}, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0)`,
        `mmap(NULL, ${fits}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`,
      ].join('\n'),
    );
    expect(r.engine).toEqual(r.kernel);
  });

  it('overcommit: mprotect and mremap that would charge more than RAM plus swap', async () => {
    const { profile } = await hostProfile();
    const o = profile.overcommit;
    const big = '0x' + ((o.ramPages + o.swapPages + 1) * 4096).toString(16);
    // Growing by RAM plus swap and one page more.
    const grown = '0x' + ((o.ramPages + o.swapPages + 3) * 4096).toString(16);
    const r = await both(
      [
        `mmap(${A}, ${big}, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        `mprotect(${A}, ${big}, PROT_READ|PROT_WRITE)`,
        `munmap(${A}, ${big})`,
        `mmap(${A}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        `mremap(${A}, 0x2000, ${grown}, MREMAP_MAYMOVE)`,
        `mremap(${A}, 0x2000, ${big}, MREMAP_MAYMOVE)`,
      ].join('\n'),
    );
    expect(r.engine).toEqual(r.kernel);
    if (o.memory === 0)
      expect(r.kernel.rets).toEqual([
        '0x200000000000',
        '-1 ENOMEM',
        '0',
        '0x200000000000',
        '-1 ENOMEM',
        '0x200000000000',
      ]);
  });

  it('overcommit: fork charges every accounted VMA again, and fails as the kernel does', async () => {
    const { profile } = await hostProfile();
    const o = profile.overcommit;
    // Two neighbours, each charged alone, merge into one VMA larger than RAM plus swap.
    const half = '0x' + (Math.ceil((o.ramPages + o.swapPages) / 2 + 16) * 4096).toString(16);
    const r = await both(
      [
        `mmap(${A}, ${half}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        `mmap(0x${(0x200000000000 + Number(half)).toString(16)}, ${half}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        '@fork()',
        `munmap(${A}, 0x1000)`,
      ].join('\n'),
    );
    expect(r.engine).toEqual(r.kernel);
    if (o.memory === 0) expect(r.kernel.rets[2]).toBe('-1 ENOMEM');
  });
});
