// SPDX-License-Identifier: GPL-2.0-or-later
// A small page object: what a user does with the app, found by role and name.
import { expect, type Locator, type Page } from '@playwright/test';

export class AppPage {
  constructor(readonly page: Page) {}

  readonly scenario = () => this.page.getByRole('textbox', { name: 'Scenario' });
  readonly runButton = () => this.page.getByRole('button', { name: 'Run', exact: true });
  readonly addressSpace = () => this.page.getByRole('region', { name: 'Address space' });
  readonly mapleTree = () => this.page.getByRole('region', { name: 'Maple tree' });
  readonly steps = () => this.page.getByRole('list', { name: 'Steps' });
  readonly maps = () => this.page.getByRole('table', { name: 'maps' });
  readonly mapsRows = () => this.maps().getByRole('row');
  readonly vmasDrawn = () => this.addressSpace().getByRole('listitem');
  /** The VMA drawn for a maps line (without its trailing space). */
  readonly vmaDrawn = (line: string) =>
    this.addressSpace().getByRole('listitem', { name: line.trimEnd(), exact: true });
  readonly addressSpaceTooltip = () => this.addressSpace().getByRole('tooltip');
  readonly addressSpaceLegend = () => this.page.getByRole('list', { name: 'Address space legend' });
  /** Where the stepping stands: "step 1 of 32". */
  readonly stepPosition = () => this.page.getByRole('group', { name: 'Step position' });
  readonly alert = () => this.page.getByRole('alert');
  readonly button = (name: string) => this.page.getByRole('button', { name, exact: true });
  readonly kernel = () => this.page.getByRole('combobox', { name: 'Kernel' });
  /** The Kernel select's option for a profile, when it is the one chosen. */
  readonly kernelChosen = (name: string) =>
    this.kernel().getByRole('option', { name, exact: true, selected: true });
  readonly kernelFileInput = () => this.button('Load kernel profile');

  /** Loads a kernel profile document as a user does: "Load profile file…", then the file. */
  async loadKernelProfile(file: string, json: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.kernel().selectOption({ label: 'Load profile file…' });
    await (
      await chooser
    ).setFiles({ name: file, mimeType: 'application/json', buffer: Buffer.from(json) });
    await this.idle();
  }

  /** Nodes drawn in the Maple tree, by accessible name ("leaf_64 node 12, 3 slots, ..."). */
  readonly mapleNodes = (name?: string | RegExp) =>
    this.mapleTree().getByRole('group', { name: name ?? /^(leaf|range|arange)_64 node / });

  /** Jumps to the first step whose row in the Steps list contains `text`. */
  async goToStep(text: string): Promise<void> {
    await this.steps().getByRole('button').filter({ hasText: text }).first().click();
    await expect(this.maps()).toHaveAttribute('aria-busy', 'false');
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await this.idle();
  }

  /** The engine's status in the Stepping toolbar (a question's verdict is a status too). */
  readonly engineStatus = () =>
    this.page.getByRole('toolbar', { name: 'Stepping' }).getByRole('status');

  /** Waits until the engine has finished and the screen shows it. */
  async idle(): Promise<void> {
    await expect(this.engineStatus()).toHaveText('Engine idle');
  }

  /** The scenario's text, line by line as the editor shows it. */
  scenarioText(): Promise<string> {
    return this.scenario().innerText();
  }

  /** Replaces an editor's text as a user does: select all, then paste. */
  async paste(editor: Locator, text: string): Promise<void> {
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await editor.evaluate((el, pasted) => {
      const data = new DataTransfer();
      data.setData('text/plain', pasted);
      el.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, text);
  }

  /** Runs `text` as a user does, then goes to its last step to see what it ends with. */
  async run(text: string): Promise<void> {
    await this.paste(this.scenario(), text);
    await this.runButton().click();
    await this.idle();
    await this.toLastStep();
  }

  /** Goes to the last step (a run opens at the first), and waits for it to be shown. */
  async toLastStep(): Promise<void> {
    const last = this.button('Last step');
    if (await last.isEnabled()) await last.click();
    await expect(last).toBeDisabled();
    await expect(this.maps()).toHaveAttribute('aria-busy', 'false');
  }

  /**
   * The maps lines exactly, trailing spaces included, once the step on screen
   * has loaded. The table draws only the rows in view: scroll through it.
   */
  async mapsLines(): Promise<string[]> {
    const table = this.maps();
    await expect(table).toHaveAttribute('aria-busy', 'false');
    const total = Number(await table.getAttribute('aria-rowcount'));
    const lines = new Map<number, string>();
    const scroller = table.locator('div').first();
    for (let next = 1; next <= total;) {
      // Bring the first line not read yet to the top, and wait for it.
      await scroller.evaluate((el, n) => {
        const row = el.querySelector('[role=row]') as HTMLElement | null;
        el.scrollTop = (n - 1) * (row?.offsetHeight ?? 20);
      }, next);
      await expect(
        table.getByRole('row').and(table.locator(`[aria-rowindex="${next}"]`)),
      ).toHaveCount(1);
      await expect(table).toHaveAttribute('aria-busy', 'false');
      const rows = await table
        .getByRole('row')
        .evaluateAll((els) =>
          els.map((r) => [Number(r.getAttribute('aria-rowindex')), r.textContent ?? ''] as const),
        );
      for (const [index, text] of rows) lines.set(index, text);
      while (lines.has(next)) next++;
    }
    return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
  }
}
