// SPDX-License-Identifier: GPL-2.0-or-later
// Every example, step by step, as a student would click through it: at each
// step the views must show what the engine computed for it (the number of
// VMAs, the maple tree's node count and the nodes the step built or wrote in
// place, the kernel function and its verdict, every merge predicate), and at
// the end the maps lines the kernel printed.
// The engine's own results are checked against the real kernel by the
// judge's differential test; here we check that the screen tells them.
// A screenshot of each example's key step is kept as a test artefact
// (UPDATE_SCREENSHOTS=1 also refreshes the ones the README shows).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { forEachNode, loadProcMaps, mapsLines, runScenario, type MmState } from '../src/engine';
import { AppPage } from './app';

interface Example {
  file: string;
  title: string;
  /** A recorded log's starting dump and process, as the app opens it. */
  start?: string;
  pid?: number | 'all';
}

const examples = JSON.parse(readFileSync('public/scenarios/index.json', 'utf8')) as Example[];

/** The examples whose key step the README shows. */
const IN_README = new Set([
  'merge-with-previous.scn',
  'merge-both-sides.scn',
  'no-merge-different-anon-vma.scn',
  'no-merge-different-flags.scn',
  'mprotect-split-and-remerge.scn',
  'fork-anon-vma-chain.scn',
]);

interface Expected {
  vmas: number;
  nodes: number;
  fn: string;
  message: string;
  predicates: { name: string }[];
  /** Accessible names of the maple nodes the step built or wrote in place. */
  nodesWritten: RegExp[];
}

function nodeCount(mm: MmState): number {
  let n = 0;
  forEachNode(mm.mt.root, () => n++);
  return n;
}

function expectedRun({ file, start, pid }: Example) {
  const loaded = start ? loadProcMaps(readFileSync(`public/scenarios/${start}`, 'utf8')) : null;
  if (loaded && !loaded.ok) throw new Error(`${start} does not load`);
  const out = runScenario(readFileSync(`public/scenarios/${file}`, 'utf8'), file, {
    initial: loaded?.mm,
    pid,
  });
  if (!out.ok) throw new Error(`${file} does not run: ${JSON.stringify(out.diagnostics)}`);
  const steps: Expected[] = out.steps.map((s) => ({
    // The VMAs in the tree: mid-munmap, map_count still counts the ones being removed.
    vmas: s.mm.vmas.length,
    nodes: nodeCount(s.mm),
    fn: s.fn,
    message: s.message,
    nodesWritten: [
      ...(s.maple?.created ?? []).map(
        (c) => new RegExp(`^\\w+ node ${c.id}, \\d+ slots?, new by ${c.by}\\b`),
      ),
      ...(s.maple?.written ?? []).map(
        (c) => new RegExp(`^\\w+ node ${c.id}, \\d+ slots?, written in place by ${c.by}\\b`),
      ),
    ],
    predicates: (s.predicates ?? []).map((p) => ({
      name: `${p.fn}${p.vma ? ` on ${p.vma}` : ''} ${p.pass ? 'passes' : 'fails'}: ${p.reason}`,
    })),
  }));
  // The key step: in the examples about a merge that does not happen, the last
  // decision a check on a neighbour refused; elsewhere the last merge; else
  // the last decision, else the end.
  const refusal = /no-merge|never|different/.test(file);
  let key = refusal
    ? out.steps.findLastIndex((s) => s.predicates?.some((p) => p.vma !== null && !p.pass))
    : -1;
  if (key < 0)
    key = steps.findLastIndex((s) => s.predicates.length > 0 && s.message.startsWith('merge'));
  if (key < 0) key = steps.findLastIndex((s) => s.predicates.length > 0);
  if (key < 0) key = steps.length - 1;
  const text = readFileSync(`public/scenarios/${file}`, 'utf8');
  const firstLine = text.slice(0, text.indexOf('\n')).slice(0, 40);
  return { steps, key, firstLine, maps: mapsLines(out.steps[out.steps.length - 1].mm) };
}

async function keepScreenshot(page: Page, file: string, info: TestInfo, step: number) {
  const name = file.replace(/\W+/g, '-').replace(/-(scn|strace)$/, '');
  const path = join(info.project.outputDir, 'screenshots', `${name}.png`);
  await page.screenshot({ path });
  await info.attach(`key step ${step + 1}`, { path, contentType: 'image/png' });
  if (process.env.UPDATE_SCREENSHOTS && IN_README.has(file))
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

for (const example of examples) {
  test(`${example.file}: every step on screen`, async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    const { steps, key, firstLine, maps } = expectedRun(example);
    const app = new AppPage(page);
    await app.open();
    await page.getByRole('combobox', { name: 'Example' }).selectOption({ label: example.title });
    await expect(app.scenario()).toContainText(firstLine);
    await app.idle();
    const toolbar = page.getByRole('toolbar', { name: 'Stepping' });
    // An example opens at its first step, where a reader starts.
    await expect(app.stepPosition()).toHaveText(`step 1 of ${steps.length}`);

    const reasons = page.getByRole('region', { name: 'Reasons' });
    const caption = app.addressSpace().getByRole('paragraph').first();
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      await expect(toolbar).toContainText(`step ${i + 1} of ${steps.length}`);
      await expect(reasons).toContainText(s.message);
      await expect(reasons).toContainText(s.fn);
      await expect(caption).toContainText(`${s.vmas} ${s.vmas === 1 ? 'VMA' : 'VMAs'}`);
      await expect(app.mapleTree()).toContainText(
        s.nodes === 0 ? `holds ${s.vmas}` : `in ${s.nodes} ${s.nodes === 1 ? 'node' : 'nodes'}`,
      );
      for (const name of s.nodesWritten)
        await expect(app.mapleTree().getByRole('group', { name })).toHaveCount(1);
      for (const p of s.predicates)
        await expect(reasons.getByRole('listitem', { name: p.name, exact: true })).toBeVisible();
      if (i === key) await keepScreenshot(page, example.file, testInfo, i);
      if (i + 1 < steps.length) await app.button('Step forward').click();
    }
    await expect(app.button('Step forward')).toBeDisabled();
    expect(await app.mapsLines()).toEqual(maps);
  });
}
