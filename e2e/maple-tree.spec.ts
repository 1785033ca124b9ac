// SPDX-License-Identifier: GPL-2.0-or-later
// The Maple tree view: nodes as rows of slots, what the step did to them,
// collapsing and expanding subtrees, and the selected VMA's path.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { AppPage } from './app';
import { separatePages } from './scenarios';

const page4k = (i: number) => '0x' + (0x200000000000 + i * 0x1000).toString(16);
/** `n` one-page VMAs with a page between each, so none merge and the root leaf splits. */
const separate = (n: number) => separatePages(n, 'PROT_READ|PROT_WRITE').calls.join('\n');

test('a merge with the previous VMA: mas_wr_node_store builds a new root leaf', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(readFileSync('public/scenarios/merge-with-previous.scn', 'utf8'));
  await expect(app.mapleTree()).toContainText('mm_mt holds 1 VMA in 1 node (1 leaf), height 1');
  await expect(app.mapleNodes()).toHaveCount(1);

  await app.goToStep('vma_expand');
  await expect(app.mapleNodes(/^leaf_64 node \d+, 3 slots, new by mas_wr_node_store$/)).toHaveCount(
    1,
  );
  await expect(app.mapleTree()).toContainText(
    /this step: wr_node_store; mas_wr_node_store built node \d+; freed node \d+/,
  );
  // The first mmap's own step built the tree: a new root leaf.
  await app.goToStep('__mmap_new_vma');
  await expect(app.mapleNodes(/^leaf_64 node \d+, 3 slots, new by mas_root_expand/)).toHaveCount(1);
  await expect(app.mapleTree()).toContainText('height 0 → 1');
});

test('forty VMAs split the root: collapse and expand, and the selected VMA’s path', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(separate(40));
  // The 39th mmap stores into a leaf below the root (mas_wr_node_store).
  await app.goToStep('new vma39 ');
  await expect(app.mapleTree()).toContainText(
    /mm_mt holds 39 VMAs in \d+ nodes \(\d+ leaves\), height 2/,
  );
  const root = app.mapleNodes(
    /^arange_64 node \d+, \d+ slots, written in place by mas_put_in_tree/,
  );
  await expect(root).toHaveCount(1);
  // The last mmap stored into a leaf: mas_wr_node_store built a new one.
  await expect(
    app.mapleNodes(/^leaf_64 node \d+, \d+ slots, new by mas_wr_node_store/),
  ).toHaveCount(1);

  // Collapse the root: only it is left; expand it again.
  const rootName = (await root.getAttribute('aria-label')) ?? '';
  const rootId = /node (\d+)/.exec(rootName)?.[1];
  // The root is off to the left of the step's leaf: reach its button with the keyboard.
  await app.page.getByRole('button', { name: `Collapse node ${rootId}` }).focus();
  await app.page.keyboard.press('Enter');
  await expect(app.mapleNodes()).toHaveCount(1);
  // The redrawn node keeps the keyboard focus on its button.
  await expect(app.page.getByRole('button', { name: `Expand node ${rootId}` })).toBeFocused();
  await app.page.getByRole('button', { name: `Expand node ${rootId}` }).click();
  await expect.poll(() => app.mapleNodes(/^leaf_64/).count()).toBeGreaterThan(1);
  // Zooming with the wheel offers Reset zoom, which brings the step's path back.
  await app.mapleTree().getByTitle('Scroll to zoom, drag to pan').hover();
  await app.page.mouse.wheel(0, 400);
  await expect(app.button('Reset zoom')).toBeVisible();
  await app.button('Reset zoom').click();
  await expect(app.button('Reset zoom')).toBeHidden();
  await expect(root).toHaveCount(1);

  // Selecting the first VMA (in the address space) focuses its path in the tree.
  await app.goToStep('new vma40 ');
  await app.vmasDrawn().first().click();
  const path = app.mapleNodes(/on the path to the selected VMA/);
  await expect(path).toHaveCount(2);
  await expect(path.first()).toHaveAccessibleName(/^arange_64 node/);
  await expect(path.last()).toHaveAccessibleName(/^leaf_64 node/);
  await app.vmasDrawn().first().click();
  await expect(path).toHaveCount(0);
});

test('the eighth VMA splits the root leaf: new nodes, the split and the new height', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(separate(8));
  await app.goToStep('new vma8 ');
  await expect(app.mapleTree()).toContainText(/mas_split split into nodes \d+, \d+/);
  await expect(app.mapleTree()).toContainText('height 1 → 2');
  await expect(app.mapleNodes(/^arange_64 node \d+, 2 slots, new by mas_split/)).toHaveCount(1);
});

test('a VMA is selected from its slot in the tree with the keyboard', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(separate(3));
  const slot = app.mapleTree().getByRole('button', { name: /^Select vma2, slot \d+ / });
  await slot.focus();
  await page.keyboard.press('Enter');
  await expect(slot).toHaveAttribute('aria-pressed', 'true');
  await expect(app.mapsRows().nth(1)).toHaveAttribute('aria-current', 'true');
  // The window's stepping keys did not take the Enter: the step is unchanged.
  await expect(page.getByRole('toolbar', { name: 'Stepping' })).toContainText(/step (\d+) of \1/);
  await page.keyboard.press(' ');
  await expect(slot).toHaveAttribute('aria-pressed', 'false');
});

/** The drawing's box, and the box of everything drawn in it. */
async function boxes(app: AppPage) {
  const canvas = app.mapleTree().getByTitle('Scroll to zoom, drag to pan');
  const box = (await canvas.boundingBox())!;
  const nodes = await app.mapleNodes().evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, right: r.right, bottom: r.bottom };
    }),
  );
  return { box, nodes };
}

test('a 107-VMA tree fits its box at first, and again after Reset zoom', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(separate(107));
  // The step that stores the last VMA: a path down the tree is touched.
  await app.goToStep('new vma107 ');
  await expect(app.mapleTree()).toContainText(/mm_mt holds 107 VMAs in (\d+) nodes/);
  const count = Number(/in (\d+) nodes/.exec((await app.mapleTree().textContent()) ?? '')?.[1]);
  await expect(app.mapleNodes()).toHaveCount(count);
  const inside = async () => {
    const { box, nodes } = await boxes(app);
    expect(nodes).toHaveLength(count);
    for (const n of nodes) {
      expect(n.x).toBeGreaterThanOrEqual(box.x);
      expect(n.right).toBeLessThanOrEqual(box.x + box.width);
      expect(n.y).toBeGreaterThanOrEqual(box.y);
      expect(n.bottom).toBeLessThanOrEqual(box.y + box.height);
    }
  };
  await inside();
  // The levels are named, and the nodes the step touched by their numbers, legibly.
  const touched = app.mapleNodes(/, (new|written in place|walked)/);
  await expect.poll(() => touched.count()).toBeGreaterThan(0);
  for (const node of await touched.all()) {
    const name = node.getByText(/#\d+/).first();
    await expect(name).toBeVisible();
    expect((await name.boundingBox())!.height).toBeGreaterThanOrEqual(9);
  }
  await expect(app.mapleTree().getByText('leaf_64', { exact: true })).toBeVisible();
  await expect(app.mapleTree().getByText('arange_64', { exact: true }).first()).toBeVisible();
  const sizes = await app
    .mapleTree()
    .getByText(/^(leaf|arange)_64$|^#\d+/)
    .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
  expect(sizes.length).toBeGreaterThan(2);
  for (const h of sizes) expect(h).toBeGreaterThanOrEqual(9);
  await app.mapleTree().screenshot({ path: test.info().outputPath('maple-107.png') });

  // Zoomed in, the slots say their VMAs; Reset zoom fits the whole tree again.
  await app.mapleTree().getByTitle('Scroll to zoom, drag to pan').hover();
  await page.mouse.wheel(0, -600);
  await expect(app.button('Reset zoom')).toBeVisible();
  await expect(
    app
      .mapleTree()
      .getByText(/^vma\d+$/)
      .first(),
  ).toBeVisible();
  await app.mapleTree().screenshot({ path: test.info().outputPath('maple-107-zoomed.png') });
  await app.button('Reset zoom').click();
  await inside();
});

test('Shift-stepping over a call that splits a VMA shows all the tree writes of the call', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  // munmap of a page inside a three-page VMA: __split_vma() twice, then the clear.
  const threePages = Array.from(
    { length: 40 },
    (_, i) =>
      `mmap(${page4k(4 * i)}, 0x3000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
  );
  await app.run([...threePages, `munmap(${page4k(4 * 20 + 1)}, 0x1000)`].join('\n'));
  // The call's own step, reached one step at a time, wrote nothing itself.
  const changes = app.mapleTree().getByText(/^(this step|the call)/);
  await expect(changes).toHaveText('this step did not write the tree');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(app.steps().locator('[aria-current="step"]')).toContainText('munmap(');
  await expect(changes).toHaveText(
    /^the call wrote \d+ nodes \(stores wr_split_store, wr_node_store, wr_exact_fit\): mas_split built nodes \d+, \d+/,
  );
  await app.mapleTree().screenshot({ path: test.info().outputPath('maple-call.png') });
  const built = app.mapleNodes(/, new by mas_split/);
  await expect.poll(() => built.count()).toBeGreaterThanOrEqual(2);
  await expect(app.mapleNodes(/, new by mas_wr_node_store/)).toHaveCount(1);
  // Stepping one step back and forth shows the step's own change again.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await expect(changes).toHaveText('this step did not write the tree');
  await expect(app.mapleNodes(/, new by /)).toHaveCount(0);
});
