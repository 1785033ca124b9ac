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
  readonly alert = () => this.page.getByRole('alert');
  readonly button = (name: string) => this.page.getByRole('button', { name, exact: true });

  async open(): Promise<void> {
    await this.page.goto('/');
    await this.idle();
  }

  /** Waits until the engine has finished and the screen shows it. */
  async idle(): Promise<void> {
    await expect(this.page.getByRole('status')).toHaveText('Engine idle');
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

  async run(text: string): Promise<void> {
    await this.paste(this.scenario(), text);
    await this.runButton().click();
    await this.idle();
  }

  /** The maps lines exactly, trailing spaces included, once the step on screen has loaded. */
  async mapsLines(): Promise<string[]> {
    await expect(this.maps()).toHaveAttribute('aria-busy', 'false');
    return this.mapsRows().allTextContents();
  }
}
