// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mapleCallChanges, mapleCallView } from './maple-call';
import { NODE_NEW, NODE_UNCHANGED, NODE_WRITTEN, mapleView, type MapleView } from './maple-view';
import { runScenario, type RunOutput } from './run';
import { createEngineSession } from './engine-session';

const page = (i: number) => '0x' + (0x200000000000 + i * 0x1000).toString(16);
/** `n` three-page VMAs with a page between each, so none merge. */
const separate = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `mmap(${page(4 * i)}, 0x3000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
  );
/** munmap of the middle page of VMA 20: __split_vma() twice, then the clear. */
const SPLIT = `munmap(${page(4 * 20 + 1)}, 0x1000)`;

function run(lines: string[]): Extract<RunOutput, { ok: true }> {
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

/** The steps of call `c`: the state before it, and its last step. */
function callSpan(out: Extract<RunOutput, { ok: true }>, c: number): [number, number] {
  return [out.calls[c - 1].lastStep, out.calls[c].lastStep];
}

describe('mapleCallChanges', () => {
  const out = run([...separate(40), SPLIT]);
  const [from, to] = callSpan(out, out.calls.length - 1);
  const writes = out.steps.slice(from + 1, to + 1).filter((s) => s.maple);
  const merged = mapleCallChanges(out.steps, from, to)!;

  it('gathers every write of the call, though its last step wrote nothing', () => {
    expect(out.steps[to].maple).toBeUndefined();
    expect(writes.length).toBeGreaterThan(1);
    expect(merged.storeTypes).toEqual(writes.flatMap((s) => s.maple!.storeTypes));
  });

  it('names nodes by the tree after the call, new ones new even if written again', () => {
    const view = mapleCallView(out.steps, from, to);
    expect(view.call).toEqual({ from, to });
    const before = new Set(mapleView(out.steps[from].mm).ids);
    const after = new Set(view.ids);
    for (const c of [...merged.created, ...merged.written]) expect(after.has(c.id)).toBe(true);
    // A node the tree had before the call and still has was not written by it.
    for (let i = 0; i < view.count; i++)
      if (before.has(view.ids[i])) expect(view.status[i]).not.toBeGreaterThan(1);
    // The split built the leaves and the new root; later in-place writes keep them new.
    expect(merged.created.map((c) => c.by)).toContain('mas_split');
    const inPlaceLater = writes.slice(1).flatMap((s) => s.maple!.written);
    expect(inPlaceLater.length).toBeGreaterThan(0);
    expect(view.status.filter((s) => s === NODE_NEW).length).toBe(merged.created.length);
    expect(view.status.filter((s) => s === NODE_WRITTEN).length).toBe(merged.written.length);
  });

  it('frees the nodes of the tree before the call, never the call’s own scratch', () => {
    const before = new Set(mapleView(out.steps[from].mm).ids);
    expect(merged.freed.length).toBeGreaterThan(0);
    for (const id of merged.freed) expect(before.has(id)).toBe(true);
    const freedBySteps = writes.flatMap((s) => s.maple!.freed);
    expect(freedBySteps.some((id) => !before.has(id))).toBe(true);
  });

  it('is one step’s record when the call is one step, and null when nothing was written', () => {
    const first = out.steps.findIndex((s) => s.maple);
    const one = mapleCallChanges(out.steps, first - 1, first)!;
    expect(one.storeTypes).toEqual(out.steps[first].maple!.storeTypes);
    expect(one.created.map((c) => c.by)).toEqual(out.steps[first].maple!.created.map((c) => c.by));
    const quiet = run([...separate(2), `mprotect(${page(0)}, 0x3000, PROT_READ|PROT_WRITE)`]);
    const [a, b] = callSpan(quiet, 2);
    expect(mapleCallChanges(quiet.steps, a, b)).toBeNull();
    expect(mapleCallView(quiet.steps, a, b).status.every((s) => s === NODE_UNCHANGED)).toBe(true);
  });

  it('is what the engine answers for a step asked from the state before the call', async () => {
    const session = createEngineSession();
    await session.run({ text: [...separate(40), SPLIT].join('\n') });
    const data = await session.step(to, { from });
    expect(data?.maple.call).toEqual({ from, to });
    expect(data?.maple.changes).toEqual(merged);
    // The VMAs before the call, and the call's whole change from them.
    const was = await session.step(from);
    expect(data?.before?.step).toBe(from);
    expect(data?.before?.summary).toEqual(was?.summary);
    expect(data?.before?.rows).toEqual(was?.rows);
    expect(data?.diff).toEqual(await session.diff(from, to));
    const plain = await session.step(to);
    expect(plain?.maple.call).toBeUndefined();
    expect(plain?.maple.changes).toBeNull();
    expect(plain?.before).toBeUndefined();
  });
});

/** Each node of a view by id, with its level above the leaves and its range. */
function places(v: MapleView): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < v.count; i++)
    out.set(v.ids[i], `${v.height - v.depths[i]}:${v.mins[i]}:${v.maxs[i]}`);
  return out;
}

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../public/scenarios');
const examples = (JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { file: string }[])
  .map((e) => e.file)
  .filter((f) => f.endsWith('.scn'));

describe('mapleCallChanges over every call of the examples', () => {
  for (const file of examples) {
    it(`${file}: accounts for every node the calls built, wrote and freed`, () => {
      const out = runScenario(readFileSync(join(DIR, file), 'utf8'), file);
      if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
      let from = out.steps.findIndex((s) => s.call >= 0) - 1;
      for (const call of out.calls) {
        const to = call.lastStep;
        const merged = mapleCallChanges(out.steps, from, to);
        const wrote = out.steps.slice(from + 1, to + 1).some((s) => s.maple);
        expect(merged !== null).toBe(wrote);
        const before = places(mapleView(out.steps[from].mm));
        const after = places(mapleView(out.steps[to].mm));
        const ids = [...(merged?.created ?? []), ...(merged?.written ?? [])].map((c) => c.id);
        for (const id of ids) {
          expect(after.has(id)).toBe(true);
          expect(before.has(id)).toBe(false);
        }
        // A node gone from the tree was freed, or is the same node at its place, copied.
        const placesAfter = new Set(after.values());
        for (const [id, place] of before)
          if (!after.has(id))
            expect(
              merged?.freed.includes(id) || placesAfter.has(place),
              `${call.call}: ${id}`,
            ).toBe(true);
        for (const id of merged?.freed ?? []) {
          expect(before.has(id)).toBe(true);
          expect(after.has(id)).toBe(false);
        }
        from = to;
      }
    });
  }
});
