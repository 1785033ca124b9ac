// SPDX-License-Identifier: GPL-2.0-or-later
// The files the app ships in public/ (examples, lessons), fetched as text.

/** `public/<folder>/<file>` as text; a file the server does not have throws with its status. */
export async function fetchStatic(folder: string, file: string): Promise<string> {
  const r = await fetch(`${import.meta.env.BASE_URL}${folder}/${file}`);
  if (!r.ok) throw new Error(`${file}: ${r.status} ${r.statusText}`);
  return r.text();
}
