// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useRef } from 'react';
import { KEYS } from '../../store/keys';
import { useApp } from '../store-context';
import './help.css';

/** What the widgets do with keys of their own, which the window's keys leave to them. */
const WIDGET_KEYS: readonly { where: string; keys: string; does: string }[] = [
  {
    where: 'Steps list',
    keys: '↑ / ↓, Home / End',
    does: 'Move to a step (Tab reaches the list once)',
  },
  {
    where: 'Address space',
    keys: '← / →, Home / End, Enter',
    does: 'Move between VMAs, select one',
  },
  {
    where: 'VMAs shown (a large space’s window)',
    keys: '← / →, Page Up / Down, Home / End',
    does: 'Move the window of VMAs the address space shows',
  },
  {
    where: 'Maple tree',
    keys: 'Enter, Space',
    does: 'Select the slot’s VMA, open or close a node',
  },
  { where: 'Scenario', keys: 'Ctrl+Enter', does: 'Run' },
];

/** The Keys button and the overlay it opens (as `?` does): every key the window binds. */
export function KeysHelp() {
  const shown = useApp((s) => s.keysShown);
  const showKeys = useApp((s) => s.showKeys);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (shown && !el.open) el.showModal();
    if (!shown && el.open) el.close();
  }, [shown]);

  return (
    <>
      <button type="button" onClick={() => showKeys(true)} title="Every key (?)">
        Keys
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="keys-heading"
        className="keys-help"
        // Escape closes a modal dialog: the store hears of it.
        onClose={() => showKeys(false)}
      >
        <h2 id="keys-heading">Keys</h2>
        <table aria-label="Keys anywhere on the page">
          <tbody>
            {KEYS.map((k) => (
              <tr key={k.label}>
                <th scope="row">
                  <kbd>{k.label}</kbd>
                </th>
                <td>{k.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          These keys work wherever the focus is not typing and not in a widget that uses the same
          keys itself:
        </p>
        <table aria-label="Keys inside a view">
          <tbody>
            {WIDGET_KEYS.map((k) => (
              <tr key={k.where}>
                <th scope="row">{k.where}</th>
                <td>
                  <kbd>{k.keys}</kbd>
                </td>
                <td>{k.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => showKeys(false)}>
          Close
        </button>
      </dialog>
    </>
  );
}
