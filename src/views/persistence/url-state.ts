// SPDX-License-Identifier: GPL-2.0-or-later
// The address bar keeps what is on screen, so a shared link opens the same
// step elsewhere: `#s=<scenario>&m=<starting maps>&k=<kernel>&c=<step>`, the
// texts deflated and base64url-encoded. The kernel profile is named when it
// is a named one other than linux-6.18 (`k=NAME`; linux-6.18 is the
// default and takes nothing), and given whole when it was loaded from a
// file (`kp=<profile document>`, packed like the scenario), so the link
// models the same machine anywhere. Compression is the browser's own
// CompressionStream (deflate-raw); no library needed.
import {
  LINUX_6_18,
  NAMED_PROFILES,
  kernelProfileJson,
  parseKernelProfile,
  type KernelProfile,
} from '../../engine';
import { namedKernel } from '../../store/kernel-slice';

export interface UrlState {
  text: string;
  cursor: number | null;
  /** The /proc maps dump the scenario starts from; empty for none. */
  startMaps: string;
  /** The kernel profile the scenario runs under. */
  kernel: KernelProfile;
}

/** A link read: its state, and why its kernel profile was not used (linux-6.18 was). */
export interface SharedState extends UrlState {
  kernelProblem: string | null;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream) {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const pack = async (text: string): Promise<string> =>
  toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));

const unpack = async (packed: string): Promise<string> =>
  new TextDecoder('utf-8', { fatal: true }).decode(
    await pipe(fromBase64Url(packed), new DecompressionStream('deflate-raw')),
  );

/** `s=...&m=...&k=...&c=...` for a scenario, its starting maps, its kernel and the step shown. */
export async function encodeUrlState({
  text,
  cursor,
  startMaps,
  kernel,
}: UrlState): Promise<string> {
  const params = new URLSearchParams({ s: await pack(text) });
  if (startMaps !== '') params.set('m', await pack(startMaps));
  const named = namedKernel(kernel);
  // The profile document without its indentation: a link is read by programs.
  if (!named) params.set('kp', await pack(JSON.stringify(JSON.parse(kernelProfileJson(kernel)))));
  else if (named !== LINUX_6_18) params.set('k', named.name);
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

/** Reads a location hash; null when it holds no scenario or a damaged one. */
export async function decodeUrlState(hash: string): Promise<SharedState | null> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get('s');
  if (!packed) return null;
  try {
    const text = await unpack(packed);
    const m = params.get('m');
    const startMaps = m ? await unpack(m) : '';
    const c = Number(params.get('c'));
    const cursor = params.has('c') && Number.isInteger(c) && c >= 0 ? c : null;
    return { text, cursor, startMaps, ...(await readKernel(params)) };
  } catch {
    return null;
  }
}
