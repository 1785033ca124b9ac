// SPDX-License-Identifier: GPL-2.0-or-later
// The Address space view (issue 7): tooltips, keyboard, legend, marks, and
// what a merge does to the VMAs drawn. Playwright runs with reduced motion,
// so every change is drawn at once.
import { expect, test } from '@playwright/test';
import { AppPage } from './app';

const anon = (addr: string, len: string, prot = 'PROT_READ|PROT_WRITE') =>
  `mmap(${addr}, ${len}, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

test('hovering a VMA shows its maps line, VmFlags, file and offset, anon_vma', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(
    [
      'openat(AT_FDCWD, "/data/lib.so", O_RDWR|O_CREAT, 0600) = 3',
      'mmap(0x200000000000, 0x2000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x3000)',
      anon('0x200000010000', '0x4000'),
      '@touch(0x200000010000)',
    ].join('\n'),
  );
  const file = app.vmasDrawn().first();
  await expect(app.vmasDrawn()).toHaveCount(2);
  await expect(app.addressSpaceTooltip()).toBeHidden();
  await file.hover();
  const tip = app.addressSpaceTooltip();
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('200000000000-200000002000 r--p 00003000');
  await expect(tip).toContainText('VmFlags: rd mr mw me');
  await expect(tip).toContainText('file: /data/lib.so, offset 0x3000 (pgoff 3)');
  await expect(tip).toContainText('anon_vma: none');
  await expect(file).toHaveAccessibleDescription(/^file/);

  const heap = app.vmaDrawn('200000010000-200000014000 rw-p 00000000 00:00 0');
  await heap.hover();
  await expect(tip).toContainText('200000010000-200000014000 rw-p');
  await expect(tip).toContainText(/anon_vma: av\d+/);
  // Hovering in the address space highlights the same VMA in the maps table.
  await expect(app.mapsRows().nth(1)).toHaveAttribute('data-hovered', 'true');
  await page.mouse.move(0, 0);
  await expect(tip).toBeHidden();
});

test('the keyboard moves between VMAs and selects one, without stepping', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(
    [
      anon('0x200000000000', '0x1000'),
      anon('0x200000002000', '0x1000', 'PROT_READ'),
      anon('0x200000004000', '0x1000'),
    ].join('\n'),
  );
  const steps = app.steps().locator('[aria-current="step"]');
  const current = await steps.textContent();
  const [first, second, third] = [0, 1, 2].map((i) => app.vmasDrawn().nth(i));
  // Tab reaches one VMA (a roving tabindex); the arrows move between them.
  await first.focus();
  await expect(app.addressSpaceTooltip()).toContainText('200000000000-200000001000 rw-p');
  await page.keyboard.press('ArrowRight');
  await expect(second).toBeFocused();
  await expect(app.addressSpaceTooltip()).toContainText('200000002000-200000003000 r--p');
  await page.keyboard.press('End');
  await expect(third).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(second).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(second).toHaveAttribute('aria-current', 'true');
  await expect(app.mapsRows().nth(1)).toHaveAttribute('aria-current', 'true');
  await expect(first).toHaveAttribute('tabindex', '-1');
  await expect(second).toHaveAttribute('tabindex', '0');
  await page.keyboard.press(' ');
  await expect(second).not.toHaveAttribute('aria-current', 'true');
  // The arrows, Home and End stayed in the address space: the step is the same.
  await expect(steps).toHaveText(current ?? '');
});

test('a legend names every kind and mark; sealed and guarded VMAs say so', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const legend = app.addressSpaceLegend();
  await expect(legend.getByRole('listitem')).toHaveText([
    'anonymous',
    'shared anonymous',
    'file',
    'heap',
    'stack',
    'special mapping',
    'writable: full colour',
    'read-only: lighter',
    'no access: pale',
    'guard pages (markers inside a VMA)',
    'sealed',
    'inferred (strace log)',
    'merge candidate range',
    'this step’s change (large spaces)',
  ]);
  await app.run(
    [
      anon('0x200000000000', '0x4000'),
      'mseal(0x200000002000, 0x2000, 0)',
      anon('0x200000010000', '0x4000'),
      'madvise(0x200000011000, 0x1000, MADV_GUARD_INSTALL)',
    ].join('\n'),
  );
  await expect(app.vmasDrawn()).toHaveCount(3);
  await expect(app.vmasDrawn().nth(0)).toHaveAccessibleDescription('anonymous');
  await expect(app.vmasDrawn().nth(1)).toHaveAccessibleDescription('anonymous, sealed');
  await expect(app.vmasDrawn().nth(2)).toHaveAccessibleDescription('anonymous, 1 guard page');
  await app.vmasDrawn().nth(2).hover();
  await expect(app.addressSpaceTooltip()).toContainText('guard markers: 200000011000-200000012000');
  await expect(app.addressSpaceTooltip()).toContainText(/VmFlags: .* gu/);
  await app.vmasDrawn().nth(1).hover();
  await expect(app.addressSpaceTooltip()).toContainText(/VmFlags: .* sl/);
});

test('filling a hole: three VMAs drawn become one, and back', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(
    [
      anon('0x200000000000', '0x1000'),
      anon('0x200000002000', '0x1000'),
      anon('0x200000001000', '0x1000'),
    ].join('\n'),
  );
  await expect(app.vmasDrawn()).toHaveCount(1);
  await expect(app.vmaDrawn('200000000000-200000003000 rw-p 00000000 00:00 0')).toBeVisible();
  await app.button('Step back').click({ modifiers: ['Shift'] });
  await expect(app.vmasDrawn()).toHaveCount(2);
  await app.button('Step forward').click({ modifiers: ['Shift'] });
  await expect(app.vmasDrawn()).toHaveCount(1);
  // Step by step through the merge: each step shows what the kernel has at that point.
  await app
    .steps()
    .getByRole('button', { name: /vma_expand/ })
    .click();
  await expect(app.vmasDrawn()).toHaveCount(1);
  await app.button('Step back').click();
  await expect(app.steps().locator('[aria-current="step"]')).toContainText('vma_merge_new_range');
  await expect(app.vmasDrawn()).toHaveCount(2);
});

test('on the canvas, the VMA under the pointer and the keys get a tooltip', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const hex = (n: number) => n.toString(16);
  const lines = Array.from({ length: 2500 }, (_, i) => {
    const start = 0x200000000000 + i * 0x3000;
    return `${hex(start)}-${hex(start + 0x1000)} ${i % 2 ? 'r--p' : 'rw-p'} 00000000 00:00 0 `;
  });
  await page.getByText('Start from a /proc/PID/maps or smaps dump').click();
  await app.paste(page.getByRole('textbox', { name: 'Starting maps' }), lines.join('\n'));
  await app.run('munmap(0x200000000000, 0x1000)');
  const drawn = app.addressSpace().getByRole('img', { name: '2499 VMAs' });
  await expect(drawn).toBeVisible();
  const box = (await drawn.boundingBox())!;
  // Hit-testing finds the VMA under the pointer: a binary search over the layout.
  await page.mouse.move(box.x + 1, box.y + box.height / 2);
  await expect(app.addressSpaceTooltip()).toContainText(/^2000000[0-9a-f]{5}-2000000[0-9a-f]{5} r/);
  // The main line shows a window of the VMAs, around the change (the first
  // VMA unmapped): its right end is the window's last VMA, as the slider says.
  const shown = app.addressSpace().getByRole('slider', { name: 'VMAs shown' });
  const end = /–0x([0-9a-f]+)$/.exec((await shown.getAttribute('aria-valuetext')) ?? '')?.[1];
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
  await expect(app.addressSpaceTooltip()).toContainText(`-${end} r`);
  // The slider's End brings the last VMA of the space to the right end.
  await shown.focus();
  await page.keyboard.press('End');
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
  await expect(app.addressSpaceTooltip()).toContainText('200001d4');
  await shown.focus();
  await page.keyboard.press('Home');
  // The step came without rows (a large space): the tooltip fetched its own.
  await expect(app.addressSpaceTooltip()).toContainText('VmFlags: rd');
  await expect(app.addressSpaceTooltip()).toContainText('anon_vma: none');
  await page.mouse.move(0, 0);
  await expect(app.addressSpaceTooltip()).toBeHidden();
  await drawn.focus();
  await expect(app.addressSpaceTooltip()).toContainText('200000003000-200000004000 r--p');
  await page.keyboard.press('ArrowRight');
  await expect(app.addressSpaceTooltip()).toContainText('200000006000-200000007000 rw-p');
  await page.keyboard.press('Enter');
  await expect(app.mapsRows().nth(1)).toHaveAttribute('aria-current', 'true');
});

test('a merge decision draws its candidate range and outlines prev or middle', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  // The default example's third mmap: read-only beside vma1, so no merge.
  await app.goToStep('no merge: neither neighbour matches');
  const band = app.addressSpace().getByRole('img', {
    name: 'Candidate range 0x200000008000–0x20000000a000 (vma_merge_new_range)',
  });
  await expect(band).toBeVisible();
  await expect(band).toHaveAccessibleDescription(
    'prev vma1, middle none, next none; VMA_MERGE_NOMERGE',
  );
  const prev = app.vmaDrawn('200000000000-200000008000 rw-p 00000000 00:00 0');
  await expect(prev).toHaveAttribute('data-candidate', 'prev');
  // The new range is not mapped yet: the band has room of its own, right of prev.
  const p = (await prev.boundingBox())!;
  const b = (await band.boundingBox())!;
  expect(b.x).toBeGreaterThanOrEqual(p.x + p.width - 2);
  expect(b.width).toBeGreaterThanOrEqual(6);
  await expect(page.getByRole('list', { name: 'Address space legend' })).toContainText(
    'merge candidate range',
  );
  // A step that decides nothing draws no band.
  await app.button('Step forward').click();
  await expect(app.addressSpace().getByRole('img', { name: /^Candidate range/ })).toHaveCount(0);

  // mprotect over part of a VMA: vma_merge_existing_range, the range inside vmg->middle.
  await app.run(
    [anon('0x200000000000', '0x4000'), 'mprotect(0x200000001000, 0x1000, PROT_READ)'].join('\n'),
  );
  await app.goToStep('vma_merge_existing_range');
  const inside = app.addressSpace().getByRole('img', {
    name: 'Candidate range 0x200000001000–0x200000002000 (vma_merge_existing_range)',
  });
  await expect(inside).toBeVisible();
  const middle = app.vmasDrawn().first();
  await expect(middle).toHaveAttribute('data-candidate', 'middle');
  const m = (await middle.boundingBox())!;
  const i = (await inside.boundingBox())!;
  // A quarter of the VMA, a quarter of the way in.
  expect(i.x).toBeGreaterThan(m.x + m.width * 0.2);
  expect(i.x + i.width).toBeLessThan(m.x + m.width * 0.55);
});
