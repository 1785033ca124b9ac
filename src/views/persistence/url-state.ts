// SPDX-License-Identifier: GPL-2.0-or-later
// The address bar keeps what is on screen, so a shared link opens the same
// step elsewhere: `#s=<scenario>&m=<starting maps>&c=<step>`, the texts
// deflated and base64url-encoded. Compression is the browser's own
// CompressionStream (deflate-raw); no library needed.

export interface UrlState {
  text: string;
  cursor: number | null;
  /** The /proc maps dump the scenario starts from; empty for none. */
  startMaps: string;
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

/** `s=...&m=...&c=...` for a scenario, its starting maps and the step shown. */
export async function encodeUrlState({ text, cursor, startMaps }: UrlState): Promise<string> {
  const params = new URLSearchParams({ s: await pack(text) });
  if (startMaps !== '') params.set('m', await pack(startMaps));
  if (cursor !== null) params.set('c', String(cursor));
  return params.toString();
}

/** Reads a location hash; null when it holds no scenario or a damaged one. */
export async function decodeUrlState(hash: string): Promise<UrlState | null> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get('s');
  if (!packed) return null;
  try {
    const text = await unpack(packed);
    const m = params.get('m');
    const startMaps = m ? await unpack(m) : '';
    const c = Number(params.get('c'));
    const cursor = params.has('c') && Number.isInteger(c) && c >= 0 ? c : null;
    return { text, cursor, startMaps };
  } catch {
    return null;
  }
}
