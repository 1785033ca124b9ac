// SPDX-License-Identifier: GPL-2.0-or-later
// The address bar keeps what is on screen, so a shared link opens the same
// step elsewhere: `#s=<scenario, deflated, base64url>&c=<step>`. Compression
// is the browser's own CompressionStream (deflate-raw); no library needed.

export interface UrlState {
  text: string;
  cursor: number | null;
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

/** `s=...&c=...` for a scenario and the step shown. */
export async function encodeUrlState({ text, cursor }: UrlState): Promise<string> {
  const packed = toBase64Url(
    await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')),
  );
  const params = new URLSearchParams({ s: packed });
  if (cursor !== null) params.set('c', String(cursor));
  return params.toString();
}

/** Reads a location hash; null when it holds no scenario or a damaged one. */
export async function decodeUrlState(hash: string): Promise<UrlState | null> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get('s');
  if (!packed) return null;
  try {
    const bytes = await pipe(fromBase64Url(packed), new DecompressionStream('deflate-raw'));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const c = Number(params.get('c'));
    return { text, cursor: params.has('c') && Number.isInteger(c) && c >= 0 ? c : null };
  } catch {
    return null;
  }
}
