// SPDX-License-Identifier: GPL-2.0-or-later
// The layering is enforced: lint rejects an import that crosses a layer the
// wrong way, with the project's own ESLint configuration.
import { ESLint } from 'eslint';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KNOWN_DEBT, LAYERS } from './layers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: ROOT });

/** The layering messages lint gives `code` written at `path`. */
async function crossings(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message);
}

describe('layers/allowed-imports', () => {
  it('rejects the kernel model importing a view', async () => {
    const out = await crossings(
      'src/engine/kernel/mm/probe.ts',
      "import { useApp } from '../../../views/store-context';\nexport const x = useApp;\n",
    );
    expect(out).toEqual([expect.stringMatching(/^engine\/kernel may not import views/)]);
  });

  it('rejects the input readers importing a run', async () => {
    const out = await crossings(
      'src/engine/scenario/probe.ts',
      "export { runScenario } from '../timeline/run';\n",
    );
    expect(out).toEqual([
      expect.stringMatching(/^engine\/scenario may not import engine\/timeline/),
    ]);
  });

  it('rejects a view reaching past the engine index, and the store importing the worker', async () => {
    const view = await crossings(
      'src/views/maps/probe.ts',
      "export { vma_merge_new_range } from '../../engine/kernel/mm/vma';\n",
    );
    expect(view).toEqual([expect.stringMatching(/^views may not import engine\/kernel/)]);
    const store = await crossings(
      'src/store/probe.ts',
      "export { createEngineClient } from '../worker/client';\n",
    );
    expect(store).toEqual([expect.stringMatching(/^store may not import worker/)]);
  });

  it('accepts imports that go down, and a test driving its layer through a run', async () => {
    expect(
      await crossings(
        'src/engine/kernel/mm/probe.ts',
        "export { LINUX_6_18 } from '../../world/kernel-profile';\n",
      ),
    ).toEqual([]);
    expect(
      await crossings(
        'src/engine/kernel/mm/probe.test.ts',
        "export { runScenario } from '../../timeline/run';\n",
      ),
    ).toEqual([]);
    expect(
      await crossings('src/views/maps/probe.ts', "export { vmaRows } from '../../engine';\n"),
    ).toEqual([]);
  });

  it('keeps the known debt short', () => {
    expect(KNOWN_DEBT.length).toBeLessThanOrEqual(5);
  });
});

describe("README's layout table", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## How the code is laid out'));
  const rows = table.split('\n').filter((l) => l.startsWith('| `'));
  const folders = (dir: string) =>
    readdirSync(join(ROOT, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${dir}/${e.name}/`);

  it('has a row for every folder of src/ and src/engine/, and no other', () => {
    const listed = rows
      .map((r) => r.slice(3, r.indexOf('`', 3)))
      .filter((f) => f.startsWith('src/') && f.endsWith('/'));
    const onDisk = [...folders('src'), ...folders('src/engine')].filter((f) => f !== 'src/engine/');
    expect(listed.sort()).toEqual(onDisk.sort());
  });

  it('names only files that exist, anywhere in the README', () => {
    const paths = readme.match(
      /\b(?:src|e2e|bench|scripts|lint|docs)\/[\w/.-]*\.(?:tsx?|md|c|mjs|json)\b/g,
    );
    expect(paths?.length).toBeGreaterThan(10);
    // A file a command writes (bench/results.json) is named but git-ignored.
    const written = (p: string) =>
      spawnSync('git', ['check-ignore', '-q', p], { cwd: ROOT }).status === 0;
    expect([...new Set(paths)].filter((p) => !existsSync(join(ROOT, p)) && !written(p))).toEqual(
      [],
    );
  });

  it('names every layer of lint/layers.js', () => {
    for (const layer of LAYERS)
      expect(rows.some((r) => r.startsWith(`| \`${layer.path}\``))).toBe(true);
  });
});
