// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replay of a golden case file (shared/golden/maple/README.md): one
 * operation per line, `store FIRST LAST ID`, `store_null FIRST LAST`,
 * `erase INDEX`, and `dump` to emit the tree as one JSON line. Each
 * operation uses a fresh ma_state and mas_store_gfp() / mas_erase(), as the
 * kernel run that made the golden files did, on a tree with MM_MT_FLAGS.
 */
import { mt_dump_json } from './dump';
import { mas_erase, mas_store_gfp } from './store';
import { MA_STATE } from './state';
import { type MapleTree, MM_MT_FLAGS, MTREE_INIT } from './tree';
import { u64_from_hex } from './u64';
import { mt_validate } from './validate';

export type MapleCaseOp =
  | { op: 'store'; line: number; first: number; last: number; id: number }
  | { op: 'store_null'; line: number; first: number; last: number }
  | { op: 'erase'; line: number; index: number }
  | { op: 'dump'; line: number };

export interface MapleCaseError {
  /** 1-based line of the case file. */
  line: number;
  message: string;
}

export type MapleParseResult =
  { ok: true; ops: MapleCaseOp[] } | { ok: false; error: MapleCaseError };

export type MapleReplayResult =
  { ok: true; lines: string[] } | { ok: false; error: MapleCaseError };

export interface MapleReplayOptions {
  /** Tree flags (default MM_MT_FLAGS, as the golden runs). */
  flags?: number;
  /** Run mt_validate() after every operation. */
  validate?: boolean;
}

function parseIndex(token: string | undefined): number | string {
  if (token === undefined) return 'missing index';
  if (!/^0x[0-9a-fA-F]+$/.test(token)) return `bad index "${token}" (want 0x-prefixed hex)`;
  if (token.length > 18) return `index "${token}" is wider than 64 bits`;
  const value = u64_from_hex(token);
  if (value === null)
    return `index ${token} is outside the modelled index space (below 2^51 or from 2^64 - 2^51)`;
  return value;
}

/** Parse a case file into operations, or say which line is malformed. */
export function parseMapleCase(text: string): MapleParseResult {
  const ops: MapleCaseOp[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = n + 1;
    let body = lines[n];
    const hash = body.indexOf('#');
    if (hash >= 0) body = body.slice(0, hash);
    body = body.trim();
    if (body === '') continue;
    const tokens = body.split(/\s+/);
    const fail = (message: string): MapleParseResult => ({ ok: false, error: { line, message } });
    switch (tokens[0]) {
      case 'store':
      case 'store_null': {
        const want = tokens[0] === 'store' ? 4 : 3;
        if (tokens.length !== want)
          return fail(`${tokens[0]} takes ${want - 1} arguments, got ${tokens.length - 1}`);
        const first = parseIndex(tokens[1]);
        if (typeof first === 'string') return fail(first);
        const last = parseIndex(tokens[2]);
        if (typeof last === 'string') return fail(last);
        if (first > last) return fail(`FIRST ${tokens[1]} is above LAST ${tokens[2]}`);
        if (tokens[0] === 'store_null') {
          ops.push({ op: 'store_null', line, first, last });
          break;
        }
        if (!/^[0-9]+$/.test(tokens[3]) || !Number.isSafeInteger(Number(tokens[3])))
          return fail(`bad ID "${tokens[3]}" (want a decimal integer)`);
        ops.push({ op: 'store', line, first, last, id: Number(tokens[3]) });
        break;
      }
      case 'erase': {
        if (tokens.length !== 2) return fail(`erase takes 1 argument, got ${tokens.length - 1}`);
        const index = parseIndex(tokens[1]);
        if (typeof index === 'string') return fail(index);
        ops.push({ op: 'erase', line, index });
        break;
      }
      case 'dump':
        if (tokens.length !== 1) return fail('dump takes no arguments');
        ops.push({ op: 'dump', line });
        break;
      default:
        return fail(`unknown operation "${tokens[0]}"`);
    }
  }
  return { ok: true, ops };
}

/**
 * Replay a case file's text: the dump lines, exactly as the `.expected` file
 * holds them, or the first malformed line. Never throws: a kernel assertion
 * (a bug here) is reported against the line that hit it.
 */
export function replayMapleCase(text: string, options: MapleReplayOptions = {}): MapleReplayResult {
  const parsed = parseMapleCase(text);
  if (!parsed.ok) return parsed;
  let tree: MapleTree<number> = MTREE_INIT(options.flags ?? MM_MT_FLAGS);
  const lines: string[] = [];
  let count = 0;
  for (const op of parsed.ops) {
    try {
      switch (op.op) {
        case 'store':
        case 'store_null': {
          const mas = MA_STATE(tree, op.first, op.last);
          mas_store_gfp(mas, op.op === 'store' ? op.id : null);
          tree = mas.tree;
          count++;
          break;
        }
        case 'erase': {
          const mas = MA_STATE(tree, op.index, op.index);
          mas_erase(mas);
          tree = mas.tree;
          count++;
          break;
        }
        case 'dump':
          lines.push(mt_dump_json(tree, count));
          continue;
      }
      if (options.validate) mt_validate(tree);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, error: { line: op.line, message: `internal error: ${message}` } };
    }
  }
  return { ok: true, lines };
}
