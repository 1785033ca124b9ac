// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { LINUX_6_18, type KernelProfile } from '../engine';
import { MAX_INFLATED_BYTES, pack } from './packing';
import {
  MAX_LINK_CHARS,
  decodeUrlState,
  encodeUrlState,
  linkPrefix,
  readLink,
  type LinkRead,
} from './url-state';

const HOST: KernelProfile = { ...LINUX_6_18, name: 'host', zeroPage: false, thp: 'madvise' };
const plain = { startMaps: '', kernel: LINUX_6_18, pid: null };

describe('URL state', () => {
  it('round-trips a scenario and a step, compressed', async () => {
    const text = Array.from(
      { length: 200 },
      (_, i) => `munmap(0x${(0x200000000000 + i * 4096).toString(16)}, 4K) # é ✓`,
    ).join('\n');
    const hash = await encodeUrlState({ ...plain, text, cursor: 17 });
    expect(hash).toMatch(/^v=1&s=[A-Za-z0-9_-]+&c=17$/);
    expect(hash.length).toBeLessThan(text.length / 4);
    expect(await decodeUrlState('#' + hash)).toEqual({
      ...plain,
      text,
      cursor: 17,
      kernelProblem: null,
    });
    const maps = '200000000000-200000001000 rw-p 00000000 00:00 0 \n';
    const withMaps = await encodeUrlState({ ...plain, text, cursor: 0, startMaps: maps });
    expect(withMaps).toMatch(/^v=1&s=[\w-]+&m=[\w-]+&c=0$/);
    expect(await decodeUrlState(withMaps)).toMatchObject({ text, cursor: 0, startMaps: maps });
  });

  it('names the process replayed of a strace log, and refuses one that is not a pid', async () => {
    for (const pid of [4242, 'all'] as const) {
      const hash = await encodeUrlState({ ...plain, text: 'brk(NULL)', cursor: 1, pid });
      expect(hash).toMatch(new RegExp(`&p=${pid}&c=1$`));
      expect(await decodeUrlState(hash)).toMatchObject({ pid });
    }
    const hash = await encodeUrlState({ ...plain, text: 'brk(NULL)', cursor: 1 });
    expect(await decodeUrlState(hash)).toMatchObject({ pid: null });
    expect(await readLink(`#${hash}&p=12x`)).toEqual({
      kind: 'damaged',
      problem: 'its process (p=) is neither a pid nor "all"',
    });
  });

  it('keeps no cursor when there is none', async () => {
    const hash = await encodeUrlState({ ...plain, text: 'brk(NULL)', cursor: null });
    expect(await decodeUrlState(hash)).toMatchObject({ text: 'brk(NULL)', cursor: null });
  });

  it('answers null for a hash without a scenario or with a damaged one', async () => {
    expect(await decodeUrlState('')).toBeNull();
    expect(await decodeUrlState('#c=3')).toBeNull();
    expect(await decodeUrlState('#s=%%%')).toBeNull();
    expect(await decodeUrlState('#s=AAAA')).toBeNull();
  });
});

describe('URL state: the kernel profile', () => {
  const at = async (kernel: KernelProfile) =>
    encodeUrlState({ ...plain, text: 'brk(NULL)', cursor: 2, kernel });

  it('says nothing of linux-6.18, or of a copy of it, and reads none as linux-6.18', async () => {
    expect(await at(LINUX_6_18)).toMatch(/^v=1&s=[\w-]+&c=2$/);
    expect(await at(structuredClone(LINUX_6_18))).toMatch(/^v=1&s=[\w-]+&c=2$/);
    const read = await decodeUrlState(await at(LINUX_6_18));
    expect(read?.kernel).toBe(LINUX_6_18);
    expect(await decodeUrlState('#' + (await at(LINUX_6_18)) + '&k=linux-6.18')).toEqual(read);
  });

  it('carries a loaded profile whole, compressed, and reads it back', async () => {
    const hash = await at(HOST);
    expect(hash).toMatch(/^v=1&s=[\w-]+&kp=[\w-]+&c=2$/);
    expect(new URLSearchParams(hash).get('kp')!.length).toBeLessThan(500);
    expect(await decodeUrlState(hash)).toEqual({
      ...plain,
      text: 'brk(NULL)',
      cursor: 2,
      kernel: HOST,
      kernelProblem: null,
    });
    // A profile named like linux-6.18 that differs from it is carried whole too.
    const renamed = await at({ ...HOST, name: 'linux-6.18' });
    expect(renamed).toContain('&kp=');
    expect((await decodeUrlState(renamed))?.kernel).toEqual({ ...HOST, name: 'linux-6.18' });
  });

  it('reports a damaged or unknown profile and reads the scenario with linux-6.18', async () => {
    const params = new URLSearchParams(await at(HOST));
    const kp = params.get('kp')!;
    const expectRefused = async (search: URLSearchParams, problem: RegExp | string) => {
      const read = await decodeUrlState(search.toString());
      expect(read).toMatchObject({ text: 'brk(NULL)', cursor: 2, kernel: LINUX_6_18 });
      expect(read?.kernelProblem).toMatch(problem);
    };
    params.set('kp', kp.slice(0, kp.length / 2));
    await expectRefused(params, /damaged|not JSON/);
    params.set('kp', '%%%');
    await expectRefused(params, 'it is damaged (cut short or altered)');
    const wrongField = new URLSearchParams(
      await at({ ...HOST, zeroPage: 'no' } as unknown as KernelProfile),
    );
    await expectRefused(wrongField, 'field "zeroPage": expected true or false');
    params.delete('kp');
    params.set('k', 'linux-9');
    await expectRefused(params, 'no profile is named "linux-9"');
    params.set('k', 'toString');
    await expectRefused(params, 'no profile is named "toString"');
  });
});

describe('URL state: a link is untrusted input', () => {
  const good = () => encodeUrlState({ ...plain, text: 'brk(NULL)', cursor: 2 });
  const problem = (read: LinkRead) => (read.kind === 'damaged' ? read.problem : read.kind);

  it('opens an old link without a version, and refuses a version it does not know', async () => {
    const old = (await good()).replace(/^v=1&/, '');
    expect(await readLink('#' + old)).toMatchObject({
      kind: 'shared',
      state: { text: 'brk(NULL)' },
    });
    expect(problem(await readLink('#v=2&' + old))).toBe(
      'it is version 2; this app reads version 1',
    );
  });

  it('says what is wrong with each kind of damage', async () => {
    const s = new URLSearchParams(await good()).get('s')!;
    const m = await pack('200000000000-200000001000 rw-p 00000000 00:00 0 \n');
    expect(await readLink('')).toEqual({ kind: 'none' });
    expect(problem(await readLink('#garbage'))).toBe('it holds no scenario (s=)');
    expect(problem(await readLink('#s=%%%'))).toBe('its scenario (s=) is not base64url text');
    expect(problem(await readLink('#s=A'))).toBe('its scenario (s=) is not base64url text');
    expect(problem(await readLink(`#s=${s.slice(0, -3)}`))).toBe(
      'its scenario (s=) is damaged (cut short or altered)',
    );
    expect(problem(await readLink(`#s=${s}&m=${m.slice(0, -4)}`))).toBe(
      'its starting maps (m=) is damaged (cut short or altered)',
    );
    // 0xff is never UTF-8.
    const latin1 = await (async () => {
      const out = new Blob([new Uint8Array([0x61, 0xff, 0x62])])
        .stream()
        .pipeThrough(new CompressionStream('deflate-raw'));
      const bytes = new Uint8Array(await new Response(out).arrayBuffer());
      return btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    })();
    expect(problem(await readLink(`#s=${latin1}`))).toBe('its scenario (s=) is not UTF-8 text');
    expect(problem(await readLink('', `?s=${s}`))).toBe(
      'its scenario is in the query (?s=) instead of after # (#s=)',
    );
  });

  it('refuses a huge link before reading it, and quotes only its start', async () => {
    const huge = '#s=' + 'A'.repeat(MAX_LINK_CHARS);
    expect(problem(await readLink(huge))).toBe(
      'it is 257 KB, more than the 256 KB a link may hold',
    );
    expect(linkPrefix(huge)).toBe('#s=' + 'A'.repeat(37) + '… (257 KB)');
  });

  it('stops inflating a small link that would grow past the bound', async () => {
    // 100 MB of one letter deflates to about 100 KB: refused while inflating.
    const bomb = await pack('a'.repeat(MAX_INFLATED_BYTES + 1));
    expect(bomb.length).toBeLessThan(MAX_LINK_CHARS);
    expect(problem(await readLink(`#s=${bomb}`))).toBe(
      'its scenario (s=) inflates to more than 8 MB',
    );
  });
});
