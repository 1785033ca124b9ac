// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { LINUX_6_18, type KernelProfile } from '../engine';
import { MAX_INFLATED_BYTES, pack } from './packing';
import {
  MAX_LINK_CHARS,
  decodeUrlState,
  encodeUrlState,
  linkNotice,
  linkPrefix,
  readLink,
  type LinkRead,
} from './url-state';
import { ENGINE_VERSION } from './version';

const HOST: KernelProfile = { ...LINUX_6_18, name: 'host', zeroPage: false, thp: 'madvise' };
const plain = { startMaps: '', kernel: LINUX_6_18, pid: null };
/** What every link starts with: the format, this engine's version. */
const HEAD = `v=1&e=${ENGINE_VERSION.replace(/\./g, '\\.')}`;
const read = { kernelProblem: null, engineVersion: ENGINE_VERSION };

describe('URL state', () => {
  it('round-trips a scenario and a step, compressed', async () => {
    const text = Array.from(
      { length: 200 },
      (_, i) => `munmap(0x${(0x200000000000 + i * 4096).toString(16)}, 4K) # é ✓`,
    ).join('\n');
    const hash = await encodeUrlState({ ...plain, text, cursor: 17 });
    expect(hash).toMatch(new RegExp(`^${HEAD}&s=[A-Za-z0-9_-]+&k=linux-6\\.18&c=17$`));
    expect(hash.length).toBeLessThan(text.length / 4);
    expect(await decodeUrlState('#' + hash)).toEqual({ ...plain, ...read, text, cursor: 17 });
    const maps = '200000000000-200000001000 rw-p 00000000 00:00 0 \n';
    const withMaps = await encodeUrlState({ ...plain, text, cursor: 0, startMaps: maps });
    expect(withMaps).toMatch(new RegExp(`^${HEAD}&s=[\\w-]+&m=[\\w-]+&k=linux-6\\.18&c=0$`));
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

  it('names linux-6.18, or a copy of it, without its fields, and reads none as linux-6.18', async () => {
    const named = new RegExp(`^${HEAD}&s=[\\w-]+&k=linux-6\\.18&c=2$`);
    expect(await at(LINUX_6_18)).toMatch(named);
    expect(await at(structuredClone(LINUX_6_18))).toMatch(named);
    const read = await decodeUrlState(await at(LINUX_6_18));
    expect(read?.kernel).toBe(LINUX_6_18);
    // A link older than the name: linux-6.18.
    const unnamed = (await at(LINUX_6_18)).replace('&k=linux-6.18', '');
    expect(await decodeUrlState(unnamed)).toEqual(read);
  });

  it('carries a loaded profile whole, compressed, and reads it back', async () => {
    const hash = await at(HOST);
    // Its name, and its fields: the link models that machine where the profile was never loaded.
    expect(hash).toMatch(new RegExp(`^${HEAD}&s=[\\w-]+&k=host&kp=[\\w-]+&c=2$`));
    expect(new URLSearchParams(hash).get('kp')!.length).toBeLessThan(500);
    expect(await decodeUrlState(hash)).toEqual({
      ...plain,
      ...read,
      text: 'brk(NULL)',
      cursor: 2,
      kernel: HOST,
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
    params.set('k', 'host');
    await expectRefused(params, 'no profile is named "host"');
    params.set('k', 'linux-9');
    await expectRefused(params, 'no profile is named "linux-9"');
    params.set('k', 'toString');
    await expectRefused(params, 'no profile is named "toString"');
  });
});

describe('URL state: the engine that made the link', () => {
  const made = async (by: string | null) => {
    const hash = await encodeUrlState({ ...plain, text: 'brk(NULL)', cursor: 2 });
    const params = new URLSearchParams(hash);
    if (by === null) params.delete('e');
    else params.set('e', by);
    return readLink('#' + params.toString());
  };

  it('records this engine, and opens its own links with nothing to say', async () => {
    const hash = await encodeUrlState({ ...plain, text: 'brk(NULL)', cursor: 2 });
    expect(new URLSearchParams(hash).get('e')).toBe(ENGINE_VERSION);
    const own = await made(ENGINE_VERSION);
    expect(own).toMatchObject({ kind: 'shared', state: { engineVersion: ENGINE_VERSION } });
    expect(own.kind === 'shared' && linkNotice(own.state)).toBeNull();
  });

  it("opens another engine's link, with a notice naming both versions", async () => {
    const other = await made('0.0.9');
    expect(other).toMatchObject({
      kind: 'shared',
      state: { text: 'brk(NULL)', cursor: 2, kernel: LINUX_6_18, engineVersion: '0.0.9' },
    });
    expect(other.kind === 'shared' && linkNotice(other.state)).toBe(
      `This link was made by VMA Explorer 0.0.9; this is ${ENGINE_VERSION}. ` +
        'It opened, but this engine may model some calls differently: ' +
        'a step may differ from the one that was shared.',
    );
  });

  it('says nothing of a link older than the version it records, and cuts a long one', async () => {
    const old = await made(null);
    expect(old).toMatchObject({ kind: 'shared', state: { engineVersion: null } });
    expect(old.kind === 'shared' && linkNotice(old.state)).toBeNull();
    const long = await made('9'.repeat(1000));
    expect(long.kind === 'shared' && long.state.engineVersion).toBe('9'.repeat(32));
  });
});

describe('URL state: a link is untrusted input', () => {
  const good = () => encodeUrlState({ ...plain, text: 'brk(NULL)', cursor: 2 });
  const problem = (read: LinkRead) => (read.kind === 'damaged' ? read.problem : read.kind);

  it('opens an old link without a version, and refuses a version it does not know', async () => {
    const old = (await good()).replace(/^v=1&e=[^&]+&/, '');
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
