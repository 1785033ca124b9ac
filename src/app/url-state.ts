// SPDX-License-Identifier: GPL-2.0-or-later
// The address bar keeps what is on screen, so a shared link opens the same
// step elsewhere: `#v=1&e=<engine>&s=<scenario>&m=<starting maps>&k=<kernel>
// &c=<step>`, the texts deflated and base64url-encoded. The kernel profile is
// always named (`k=NAME`; a link without one, older, means linux-6.18), and
// given whole when it is not a built-in one, loaded from a file (`kp=<profile
// document>`, packed like the scenario), so the link models the same machine
// anywhere. `v=1` names the format's version, `e=` the version of the engine
// that made the link: another engine may model a call differently, so a link
// from one opens with a notice saying so (linkNotice), never refused.
// A link is untrusted input: one that cannot be read is reported with what
// is wrong with it (readLink), never silently replaced by something else.
import {
  LINUX_6_18,
  NAMED_PROFILES,
  kernelProfileJson,
  parseKernelProfile,
  type KernelProfile,
} from '../engine';
import { namedKernel } from '../store/kernel-slice';
import { pack, unpack, UnpackError, MAX_INFLATED_BYTES, type UnpackProblem } from './packing';
import { ENGINE_VERSION } from './version';

/** The link format's version (`v=`); a link without one is read as version 1. */
export const LINK_VERSION = 1;

/** The longest location hash read at all: 256 KiB, refused before any work. */
export const MAX_LINK_CHARS = 256 * 1024;

export interface UrlState {
  text: string;
  cursor: number | null;
  /** The /proc maps dump the scenario starts from; empty for none. */
  startMaps: string;
  /** The kernel profile the scenario runs under. */
  kernel: KernelProfile;
  /** Of a multi-process strace log, the pid replayed (`all` for threads); null for the default. */
  pid: number | 'all' | null;
}

/** A link read: its state, and why its kernel profile was not used (linux-6.18 was). */
export interface SharedState extends UrlState {
  kernelProblem: string | null;
  /** The version of the engine that made the link (`e=`); null in links older than it. */
  engineVersion: string | null;
}

/** The longest engine version a link's `e=` may give; longer ones are cut there. */
const MAX_VERSION_CHARS = 32;

/**
 * `v=...&e=...&s=...&m=...&k=...&kp=...&p=...&c=...` for the format and the
 * engine, a scenario, its starting maps, its kernel, the pid of a strace log
 * and the step shown.
 */
export async function encodeUrlState({
  text,
  cursor,
  startMaps,
  kernel,
  pid,
}: UrlState): Promise<string> {
  const params = new URLSearchParams({
    v: String(LINK_VERSION),
    e: ENGINE_VERSION,
    s: await pack(text),
  });
  if (startMaps !== '') params.set('m', await pack(startMaps));
  params.set('k', kernel.name);
  // The profile document without its indentation: a link is read by programs.
  if (!namedKernel(kernel))
    params.set('kp', await pack(JSON.stringify(JSON.parse(kernelProfileJson(kernel)))));
  if (pid !== null) params.set('p', String(pid));
  if (cursor !== null) params.set('c', String(cursor));
  return params.toString();
}

type KernelRead = Pick<SharedState, 'kernel' | 'kernelProblem'>;

/** The kernel profile a link names or carries; linux-6.18, and why, when it cannot be used. */
async function readKernel(params: URLSearchParams): Promise<KernelRead> {
  const refused = (kernelProblem: string): KernelRead => ({ kernel: LINUX_6_18, kernelProblem });
  const packed = params.get('kp');
  const name = params.get('k');
  if (packed !== null) {
    let text: string;
    try {
      text = await unpack(packed);
    } catch {
      return refused('it is damaged (cut short or altered)');
    }
    const parsed = parseKernelProfile(text);
    return parsed.ok ? { kernel: parsed.profile, kernelProblem: null } : refused(parsed.message);
  }
  if (name === null) return { kernel: LINUX_6_18, kernelProblem: null };
  return Object.hasOwn(NAMED_PROFILES, name)
    ? { kernel: NAMED_PROFILES[name], kernelProblem: null }
    : refused(`no profile is named "${name}"`);
}

/** The pid a link names: null for none, undefined for one that is not a pid. */
export function readPid(p: string | null): number | 'all' | null | undefined {
  if (p === null) return null;
  if (p === 'all') return 'all';
  return /^[1-9]\d{0,9}$/.test(p) ? Number(p) : undefined;
}

/** What a location hash holds: nothing, a state to open, or why it cannot be opened. */
export type LinkRead =
  { kind: 'none' } | { kind: 'shared'; state: SharedState } | { kind: 'damaged'; problem: string };

const PROBLEM_WORDS: Record<UnpackProblem, string> = {
  'not-base64': 'is not base64url text',
  damaged: 'is damaged (cut short or altered)',
  'too-large': `inflates to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB`,
  'not-utf8': 'is not UTF-8 text',
};

class LinkProblem extends Error {}

/** A field of the link unpacked, or a LinkProblem naming the field and what is wrong. */
async function unpackField(packed: string, what: string): Promise<string> {
  try {
    return await unpack(packed);
  } catch (e) {
    if (e instanceof UnpackError) throw new LinkProblem(`${what} ${PROBLEM_WORDS[e.problem]}`);
    throw e;
  }
}

const KB = (n: number) => `${Math.ceil(n / 1024)} KB`;

/**
 * Reads a location hash (and the query, where a scenario does not belong).
 * Never throws; a hash above MAX_LINK_CHARS is refused before it is parsed.
 */
export async function readLink(hash: string, search = ''): Promise<LinkRead> {
  const damaged = (problem: string): LinkRead => ({ kind: 'damaged', problem });
  if (hash.length > MAX_LINK_CHARS) {
    return damaged(`it is ${KB(hash.length)}, more than the ${KB(MAX_LINK_CHARS)} a link may hold`);
  }
  const body = hash.replace(/^#/, '');
  if (body === '') {
    return new URLSearchParams(search).has('s')
      ? damaged('its scenario is in the query (?s=) instead of after # (#s=)')
      : { kind: 'none' };
  }
  const params = new URLSearchParams(body);
  const version = params.get('v');
  if (version !== null && version !== String(LINK_VERSION)) {
    return damaged(`it is version ${version.slice(0, 16)}; this app reads version ${LINK_VERSION}`);
  }
  const packed = params.get('s');
  if (!packed) return damaged('it holds no scenario (s=)');
  try {
    const text = await unpackField(packed, 'its scenario (s=)');
    const m = params.get('m');
    const startMaps = m ? await unpackField(m, 'its starting maps (m=)') : '';
    const c = Number(params.get('c'));
    const cursor = params.has('c') && Number.isInteger(c) && c >= 0 ? c : null;
    const pid = readPid(params.get('p'));
    if (pid === undefined) return damaged('its process (p=) is neither a pid nor "all"');
    const kernel = await readKernel(params);
    const engineVersion = params.get('e')?.slice(0, MAX_VERSION_CHARS) ?? null;
    return { kind: 'shared', state: { text, cursor, startMaps, pid, ...kernel, engineVersion } };
  } catch (e) {
    if (e instanceof LinkProblem) return damaged(e.message);
    return damaged('it could not be read');
  }
}

/**
 * What to tell the reader of a link the engine on screen did not make: a
 * notice, not an error, since the link opened; null for one made by this
 * engine, or older than links that say.
 */
export function linkNotice({ engineVersion }: Pick<SharedState, 'engineVersion'>): string | null {
  if (engineVersion === null || engineVersion === ENGINE_VERSION) return null;
  return (
    `This link was made by VMA Explorer ${engineVersion}; this is ${ENGINE_VERSION}. ` +
    'It opened, but this engine may model some calls differently: ' +
    'a step may differ from the one that was shared.'
  );
}

/** The start of a link, to quote in a message: never the whole of a huge one. */
export function linkPrefix(hash: string, max = 40): string {
  return hash.length <= max ? hash : `${hash.slice(0, max)}… (${KB(hash.length)})`;
}

/** Reads a location hash; null when it holds no scenario or a damaged one. */
export async function decodeUrlState(hash: string): Promise<SharedState | null> {
  const read = await readLink(hash);
  return read.kind === 'shared' ? read.state : null;
}
