// SPDX-License-Identifier: GPL-2.0-or-later
// How a text travels in a link: UTF-8, deflated (the browser's own
// CompressionStream, deflate-raw) and base64url-encoded. Unpacking is
// bounded: a link is untrusted input, and a few hundred kilobytes of it can
// inflate to gigabytes, so inflating stops as soon as the output passes
// MAX_INFLATED_BYTES, not after.

/** The most a packed text may inflate to: 8 MiB. */
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

/** Why a packed text could not be read, in words for "the scenario (s=) ...". */
export type UnpackProblem = 'not-base64' | 'damaged' | 'too-large' | 'not-utf8';

export class UnpackError extends Error {
  constructor(readonly problem: UnpackProblem) {
    super(problem);
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new UnpackError('not-base64');
  }
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export async function pack(text: string): Promise<string> {
  const out = new Blob([new TextEncoder().encode(text) as BlobPart])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(out).arrayBuffer()));
}

/** Inflates `bytes`, giving up (and stopping the stream) past `max` bytes of output. */
async function inflateBounded(bytes: Uint8Array, max: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'))
    .getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        void reader.cancel();
        throw new UnpackError('too-large');
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof UnpackError) throw e;
    throw new UnpackError('damaged');
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The text packed in `packed`; throws an UnpackError saying what is wrong with it. */
export async function unpack(packed: string, max = MAX_INFLATED_BYTES): Promise<string> {
  const bytes = await inflateBounded(fromBase64Url(packed), max);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UnpackError('not-utf8');
  }
}
