import { describe, expect, it } from 'vitest';
import { dumps, loads, registerClass, registerReducer, SerializationError, type ReduceContext } from '@mp/serialize';
import { decode, encode } from '@mp/serialize/spi';
import { roundTrip } from './helpers.js';

/** A stand-in for a library handle: a class instance whose state lives in shared memory. */
class Cell {
  readonly view: Int32Array;
  constructor(readonly sab = new SharedArrayBuffer(4)) {
    this.view = new Int32Array(sab);
  }
  get value() {
    return Atomics.load(this.view, 0);
  }
}
const seenPaths: string[] = [];
registerReducer<Cell>(
  'test:Cell',
  (v) => v instanceof Cell,
  (cell, ctx) => {
    seenPaths.push(ctx.path);
    const i = ctx.share(cell.sab);
    return i >= 0 ? { shared: i } : { copy: cell.sab };
  },
  (data, ctx) => {
    const d = data as { shared?: number; copy?: SharedArrayBuffer };
    return new Cell(d.shared !== undefined ? ctx.shared(d.shared)! : d.copy!);
  },
);

class Special {
  constructor(public n: number) {}
}
registerClass(Special, 'test:Special'); // a reducer must win over registered-class handling
registerReducer<Special>('test:Special-reducer', (v) => v instanceof Special, (s) => ({ n: s.n, via: 'reducer' }), (d) => Object.assign(new Special((d as { n: number }).n), { via: (d as { via: string }).via }));

describe('registerReducer', () => {
  it('is tried before built-in handling of objects', () => {
    const back = roundTrip(new Special(3)) as Special & { via?: string };
    expect(back.via).toBe('reducer');
    expect(back).toBeInstanceOf(Special);
  });

  it('serializes the reduced data recursively (functions, dates, other reducers)', () => {
    class Task {
      constructor(public run: () => number, public at: Date, public cell: Cell) {}
    }
    registerReducer<Task>('test:Task', (v) => v instanceof Task, (t) => [t.run, t.at, t.cell], (d) => {
      const [run, at, cell] = d as [() => number, Date, Cell];
      return new Task(run, at, cell);
    });
    const back = roundTrip(new Task(() => 7, new Date(9), new Cell()));
    expect(back).toBeInstanceOf(Task);
    expect(back.run()).toBe(7);
    expect(back.at.getTime()).toBe(9);
    expect(back.cell).toBeInstanceOf(Cell);
  });

  it('gives reduce the path of the value and shares memory through the sidecar', () => {
    const cell = new Cell();
    seenPaths.length = 0;
    const { bytes, sidecar } = encode({ cells: [cell] }, { root: 'args', sidecar: true });
    expect(seenPaths).toEqual(['args.cells[0]']);
    expect(sidecar.shared).toEqual([cell.sab]);
    const back = decode<{ cells: Cell[] }>(bytes, sidecar);
    expect(back.cells[0]!.sab).toBe(cell.sab);
  });

  it('gets -1 from share() without a sidecar (and then copies)', () => {
    const cell = new Cell();
    Atomics.store(cell.view, 0, 5);
    const back = roundTrip(cell);
    expect(back.sab).not.toBe(cell.sab);
    expect(back.value).toBe(5);
  });

  it('keeps identity of a reduced value referenced twice', () => {
    const cell = new Cell();
    const back = roundTrip([cell, cell]);
    expect(back[0]).toBe(back[1]);
  });

  it('fails clearly in a receiver where the reducer is not registered', () => {
    class Unknown {}
    registerReducer<Unknown>('test:Gone', (v) => v instanceof Unknown, () => 1, () => new Unknown());
    const bytes = dumps(new Unknown());
    const state = (globalThis as unknown as Record<symbol, { reducersByName: Map<string, unknown> }>)[Symbol.for('@mp/serialize')]!;
    const entry = state.reducersByName.get('test:Gone');
    state.reducersByName.delete('test:Gone');
    try {
      expect(() => loads(bytes)).toThrow(SerializationError);
      expect(() => loads(bytes)).toThrow(/`test:Gone`.*registerReducer/);
    } finally {
      state.reducersByName.set('test:Gone', entry);
    }
  });

  it('types the context parameter', () => {
    const check = (ctx: ReduceContext) => [ctx.path, ctx.share, ctx.transfer];
    expect(check).toBeTypeOf('function');
  });
});
