// SPDX-License-Identifier: GPL-2.0-or-later
// The Maple tree view: nodes as rows of slots, what the step did to them,
// collapsing and expanding subtrees, and the selected VMA's path.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { AppPage } from './app';

const page4k = (i: number) => '0x' + (0x200000000000 + i * 0x1000).toString(16);
/** `n` one-page VMAs with a page between each, so none merge and the root leaf splits. */
const separate = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `mmap(${page4k(2 * i)}, 0x1000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
  ).join('\n');

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
