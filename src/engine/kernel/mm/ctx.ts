// SPDX-License-Identifier: GPL-2.0-or-later
// The working state of one system call: the current snapshot, where steps
// go, and the allocation counter for fault injection. Simulator-only code,
// hence camelCase; the kernel functions it serves keep their names. It
// stands for what the kernel reaches through `current->mm` with the mmap
// lock held for writing, and for the failure points of its allocators
// (vm_area_alloc(), the maple tree's preallocation, anon_vma_alloc()).
// The tree itself is read and written through vma_iter.ts.
import {
  type MmRare,
  type MmState,
  type Rlimits,
  type StepSink,
  emptyMm,
  mmFields,
  mmSnapshot,
  mmSnapshotSharing,
  profileLimits,
  keepsRare,
  rareOf,
} from './mm-snapshot';
import { vmaWith, type Vma } from './mm_types';
import { type Errno, type Result, err, ok } from '../errno';
import { mtWrittenLeaf, mtree_store_range } from '../maple/store';
import { mt_in_rcu } from '../maple/tree';
import type { StepExtra } from '../trace/events';
import { type MapleStepChanges, MapleStepRecorder } from '../trace/maple-step';
import type { KernelEventLog, MapleApi } from '../trace/kernel-emit';
import { addressHex, flat } from '../trace/strings';
import { keepMap } from '../keep-map';
import { rememberStoredLeaf } from './vma_iter';
import type { MapleTraceSink } from '../maple/trace';

/** Why a check refused, in words, or how to say it (worked out only when tracing). */
export type Why = string | (() => string);

/** The words of a Why, worked out now. */
export const whyText = (why: Why): string => (typeof why === 'string' ? why : why());

/** What an allocation is for; each can be made to fail (fault injection). */
export type AllocKind = 'vma' | 'maple' | 'anon_vma';

/** Shared by every call of a run: counts allocations, fails the chosen one. */
export class AllocCounter {
  count = 0;
  /** The allocation (1-based) that fails with ENOMEM, or 0 for none. */
  constructor(readonly failAt: number = 0) {}
}

type MmFields = Omit<MmState, 'vmas'>;
type WritableFields = { -readonly [K in keyof MmFields]: MmFields[K] };

export class Ctx {
  /** The fields as they are now (written in place while the call runs). */
  private readonly fields: WritableFields;
  /**
   * The snapshot of `fields`, made when someone asks for it; until the
   * first change, the snapshot the call started from (when it was given
   * one, not a bare copy of its fields): the steps before a call changes
   * anything show the state it started from, and a traced run keeps them.
   */
  private snap: MmState | null;
  /** The seldom-changed fields of the last snapshot, shared by the next one if they still hold. */
  private rare: MmRare | null;
  /**
   * The first maple node id no snapshot holds: the tree's nodes built since
   * the last snapshot may be changed in place by the next untraced write
   * (mtree_store_range()'s mutableFrom), as nothing kept can see them.
   */
  private mutableFrom: number;
  /** What the maple tree writes did since the last step; only when tracing. */
  private readonly maple: MapleStepRecorder | null;
  /** Both the recorder's and the event log's maple sinks, when both listen. */
  private readonly mapleTrace: MapleTraceSink | null;

  /**
   * `events`, the run's kernel event log (traced runs that ask for it):
   * every emitting site tests `ctx.events !== null` first, so a run without
   * one builds no event. `recorder`, the maple step recorder when tracing:
   * a run gives one for all its calls (each call's last step takes what it
   * holds), so that a call does not build its own.
   */
  constructor(
    mm: MmFields,
    private readonly sink: StepSink | null,
    private readonly allocs: AllocCounter,
    readonly events: KernelEventLog | null = null,
    recorder: MapleStepRecorder | null = null,
    continued?: { fields: WritableFields; snap: MmState | null; rare: MmRare | null },
  ) {
    if (continued) {
      this.fields = continued.fields;
      this.snap = continued.snap;
      this.rare = continued.rare;
    } else {
      this.fields = mmFields(mm);
      this.snap = 'vmas' in mm ? (mm as MmState) : null;
      this.rare = rareOf(mm);
    }
    this.mutableFrom = this.fields.mt.nextNodeId;
    this.maple = sink !== null ? (recorder ?? new MapleStepRecorder()) : null;
    const b = events !== null ? events.mapleSink : null;
    if (this.maple !== null) this.maple.next = b;
    this.mapleTrace = this.maple !== null ? this.maple.sink : b;
  }

  /**
   * The context of the next call of a run, which starts where this one
   * ended: it takes over this call's fields (and its snapshot, if nothing
   * changed since), so a call copies the state once, when it asks for its
   * snapshot, instead of once more to start from. This context is done
   * (it may be the one returned).
   */
  next(sink: StepSink | null): Ctx {
    // Untraced, a context holds nothing of its call (no sink, no maple
    // recorder): the next call goes on with this one as it is.
    if (sink === null && this.sink === null) return this;
    const continued = { fields: this.fields, snap: this.snap, rare: this.rare };
    return new Ctx(this.fields, sink, this.allocs, this.events, this.maple, continued);
  }

  /**
   * The maple tree changes since the last call (the step sink asks when a
   * step is emitted, and the run for the call's closing step); undefined
   * when nothing was written or tracing is off.
   */
  takeMapleChanges(): MapleStepChanges | undefined {
    return this.maple?.take();
  }

  /** The current state, read-only (no snapshot made). */
  get cur(): Readonly<MmFields> {
    return this.fields;
  }

  /** An immutable snapshot of the current state. */
  get mm(): MmState {
    if (this.snap === null) {
      const rare = this.rare;
      this.snap =
        rare !== null && keepsRare(this.fields, rare)
          ? mmSnapshotSharing(this.fields, rare)
          : mmSnapshot(this.fields);
      this.rare = rareOf(this.snap);
      this.mutableFrom = this.fields.mt.nextNodeId;
    }
    return this.snap;
  }

  get tracing(): boolean {
    return this.sink !== null;
  }

  get limits(): Rlimits {
    return profileLimits(this.cur.kernel);
  }

  /** Emits one step with the snapshot as it is now. */
  step(fn: string, source: string, message: string | (() => string), extra?: StepExtra): void {
    if (this.sink === null) return;
    // Kept with the step for the whole run: one flat string, not its pieces.
    this.sink(fn, source, flat(typeof message === 'string' ? message : message()), extra, this.mm);
  }

  /**
   * A refusal: the step naming the check that failed, in the kernel function
   * `fn` of `source` that makes it, as `EINVAL: <the check in words>`; then
   * the errno, for the caller to return. Every failed call says why.
   */
  refuse<T = never>(fn: string, source: string, e: Errno, why: Why): Result<T> {
    this.step(fn, source, () => `${e}: ${whyText(why)}`, { errno: e });
    return err(e);
  }

  /**
   * One allocation (vm_area_alloc(), a maple-tree preallocation,
   * anon_vma_alloc()): ENOMEM when fault injection makes this one fail.
   */
  allocate(kind: AllocKind, by: string): Result<void> {
    this.allocs.count++;
    if (this.allocs.count !== this.allocs.failAt) return ok(undefined);
    const n = this.allocs.count;
    return this.refuse(by, 'fault injection', 'ENOMEM', () => `allocation #${n} (${kind}) fails`);
  }

  set(patch: Partial<MmFields>): void {
    const fields = this.fields;
    const mt = fields.mt;
    Object.assign(fields, patch);
    this.snap = null;
    // A tree from elsewhere (a loaded layout, RCU mode switched): its nodes
    // may be shared, so none of them is written in place. (Asked of the
    // fields, not of `patch`: a read of patches of every shape was
    // megamorphic.)
    if (fields.mt !== mt) this.mutableFrom = fields.mt.nextNodeId;
  }

  /**
   * A new VMA's id; `site`, the kernel function that allocated its
   * vm_area_struct (kmem_cache_alloc's call site: `vm_area_alloc`,
   * `vm_area_dup`), for the event log.
   */
  newVmaId(site = 'vm_area_alloc'): number {
    const id = this.fields.nextVmaId;
    this.fields.nextVmaId = id + 1;
    this.snap = null;
    if (this.events !== null) this.events.alloc('vm_area_struct', `vma${id}`, site);
    return id;
  }

  newAnonVmaId(): number {
    const id = this.fields.nextAnonVmaId;
    this.fields.nextAnonVmaId = id + 1;
    this.snap = null;
    return id;
  }

  // ---- the maple tree (mm->mm_mt) ----

  /**
   * Writes `entry` over [start, end) of mm->mm_mt. Only vma_iter.ts calls it
   * (vma_iter_store_*(), vma_iter_clear()): everything else goes through the
   * kernel's iterator names there.
   */
  mtStore(
    start: number,
    end: number,
    entry: Vma | null,
    api: MapleApi = 'mas_store_prealloc',
    silent = false,
  ): void {
    if (this.events !== null) this.events.beginWrite(api, entry, silent, mt_in_rcu(this.cur.mt));
    this.fields.mt = mtree_store_range(
      this.fields.mt,
      start,
      end - 1,
      entry,
      this.mapleTrace,
      this.mutableFrom,
    );
    rememberStoredLeaf(this.fields.mt, mtWrittenLeaf());
    this.snap = null;
  }

  /**
   * A VMA object changed without the kernel storing it (the kernel changes the
   * vm_area_struct in place): put the new object in the slot that holds its
   * range. An exact-fit store, so the tree keeps its shape.
   */
  refresh(vma: Vma): void {
    // The kernel never writes the tree here: the step must not show the
    // model's copies as written nodes.
    if (this.maple !== null)
      this.maple.refresh(() => this.mtStore(vma.vm_start, vma.vm_end, vma, undefined, true));
    else this.mtStore(vma.vm_start, vma.vm_end, vma, undefined, true);
  }

  /** A VMA with new field values (same object, same id), stored in its slot. */
  update(vma: Vma, patch: Partial<Vma>): Vma {
    const next = vmaWith(vma, patch);
    this.refresh(next);
    return next;
  }
}

export const range = (start: number, end: number): string =>
  `[${addressHex(start)}, ${addressHex(end)})`;

// A run has one context: its map would die between two runs (keep-map.ts).
keepMap(new Ctx(emptyMm, null, new AllocCounter()));
