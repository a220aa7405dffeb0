import { types } from 'node:util';

/**
 * A deep copy of a settled world, so that every case of a check starts from the same 30 s of
 * simulated settling without simulating it again: the first 30 s of a seed do not depend on the
 * case (the fault comes after them), and a copy of the ~1,100 objects a world holds then costs a
 * fraction of the ~3 ms its settling takes.
 *
 * Copied: plain objects and class instances (same prototype, same own properties in the same
 * order), arrays, Maps, Sets and typed arrays, with shared references and cycles kept as they are.
 * Shared, not copied: functions (the behaviours' handlers close over their configuration only),
 * frozen objects (constants such as the default link parameters, whose identity code may compare)
 * and primitives. An object that owns a `fork()` method (an RNG stream, src/sim/rng.ts) makes its
 * own copy, which goes on from the same point of its stream.
 *
 * The one Proxy a world holds is a Redis dataset snapshot (snapshotDb() in src/redis/dataset.ts): a
 * read-only view of the dataset as it was, whose content is built from an undo log on its first
 * read. The copies hold that content as a frozen plain object instead, which reads the same and,
 * like the view, refuses writes (a loaded image is copied before its first write: installDb()).
 * Reading the view builds it in the original too, which the dataset module allows at any time.
 * Any other Proxy, or an object of a built-in kind not listed here, throws NotForkable, and the
 * caller runs the case from the start instead.
 * test/advisor/fork.test.ts checks, case by case and seed by seed, that a forked run gives what a
 * run from the start gives, down to each message of the trace.
 */
export class NotForkable extends Error {}

/** A copy of `root` (see above). One use: a template is copied many times through planFork(). */
export function forkGraph<T>(root: T): T {
  return planFork(root)();
}

/**
 * Reads `root`'s graph once and returns a function that makes a copy of it each time it is called.
 * check copies one settled world per case, tens of times: walking the graph (kind checks, a memo
 * of what was copied, the keys of each object) is done here once, and a copy only replays the list
 * of objects to make and of references to point at their copies (~5x faster than walking it each
 * time). The source graph must not change between copies: a settled template is never run.
 */
export function planFork<T>(root: T): () => T {
  if (root === null || typeof root !== 'object') return () => root;
  const plan = new Planner();
  const rootIndex = plan.visit(root);
  const { nodes } = plan;
  if (rootIndex === undefined) return () => root;
  return () => {
    const made: unknown[] = new Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) made[i] = nodes[i]!.make();
    for (let i = 0; i < nodes.length; i++) nodes[i]!.link(made[i], made);
    return made[rootIndex] as T;
  };
}

/** A copy made in two steps: make() a shallow copy, then link() its references to other copies. */
interface PlanNode {
  make(): unknown;
  link(copy: unknown, made: readonly unknown[]): void;
}

/** Where a Map's or Set's entry points: another copy (its index) or a value shared as it is. */
class Ref {
  constructor(readonly index: number) {}
}

const deref = (v: unknown, made: readonly unknown[]): unknown => (v instanceof Ref ? made[v.index] : v);
const noLinks = (): void => {};

class Planner {
  readonly nodes: PlanNode[] = [];
  private readonly index = new Map<object, number>();
  /** A dataset snapshot's content, by view: made once, frozen, shared by every copy. */
  private readonly images = new Map<object, object>();

  /** The index of x's copy, or undefined when x is shared as it is (a primitive, a frozen object, a snapshot's image). */
  visit(x: unknown): number | undefined {
    if (x === null || typeof x !== 'object') return undefined;
    const known = this.index.get(x);
    if (known !== undefined) return known;
    if (types.isProxy(x) || Object.isFrozen(x)) return undefined;
    const i = this.nodes.length;
    this.index.set(x, i);
    this.nodes.push(noNode);
    this.nodes[i] = this.nodeOf(x);
    return i;
  }

  /** What a reference to x becomes in a copy: a Ref to x's copy, or x itself (or its frozen image). */
  ref(x: unknown): unknown {
    const i = this.visit(x);
    if (i !== undefined) return new Ref(i);
    return x !== null && typeof x === 'object' && types.isProxy(x) ? this.imageOf(x) : x;
  }

  private imageOf(view: object): object {
    let image = this.images.get(view);
    if (image === undefined) this.images.set(view, (image = datasetImage(view)));
    return image;
  }

  private nodeOf(x: object): PlanNode {
    if (Object.hasOwn(x, 'fork') && typeof (x as { fork?: unknown }).fork === 'function') {
      const src = x as { fork: () => unknown };
      return { make: () => src.fork(), link: noLinks };
    }
    if (Array.isArray(x)) return this.arrayNode(x);
    if (x instanceof Map) {
      if (Object.getPrototypeOf(x) !== Map.prototype) throw new NotForkable('a subclass of Map');
      const entries: unknown[] = [];
      for (const [k, v] of x) entries.push(this.ref(k), this.ref(v));
      return { make: () => new Map(), link: (m, made) => fillMap(m as Map<unknown, unknown>, entries, made) };
    }
    if (x instanceof Set) {
      if (Object.getPrototypeOf(x) !== Set.prototype) throw new NotForkable('a subclass of Set');
      const values: unknown[] = [];
      for (const v of x) values.push(this.ref(v));
      return { make: () => new Set(), link: (s, made) => fillSet(s as Set<unknown>, values, made) };
    }
    if (ArrayBuffer.isView(x)) {
      if (x instanceof DataView) throw new NotForkable('a DataView');
      const src = x as unknown as { slice(): object };
      return { make: () => src.slice(), link: noLinks };
    }
    return this.objectNode(x);
  }

  /**
   * slice() keeps the source's elements kind and hidden class, so the model's code sees the same
   * shapes in a copy as in a world it built itself (a copy built element by element ran ~20 % slower).
   */
  private arrayNode(x: unknown[]): PlanNode {
    const links = this.linksOf(x, Object.keys(x));
    const images = this.imagesOf(x, Object.keys(x));
    return { make: () => x.slice(), link: (a, made) => relink(a as Record<string, unknown>, links, images, made) };
  }

  private objectNode(x: object): PlanNode {
    const proto = Object.getPrototypeOf(x) as object | null;
    if (proto !== null && proto !== Object.prototype && !isClassPrototype(proto)) throw new NotForkable(`an object of an unknown kind (${describe(proto)})`);
    const keys: string[] = [];
    for (const k in x) keys.push(k);
    // An own "__proto__" key (JSON.parse makes one) would set the copy's prototype in a literal or
    // through `o[k] = v`, not copy the property; with no prototype (a dataset) it is a key like any.
    if (proto !== null && keys.includes('__proto__')) throw new NotForkable('an object with an own "__proto__" key');
    const links = this.linksOf(x, keys);
    const images = this.imagesOf(x, keys);
    const src = x as Record<string, unknown>;
    const make = proto === null ? dictionaryCopy : proto === Object.prototype ? literalCopierOf(keys) : classCopierOf(proto, keys);
    return { make: () => make(src), link: (o, made) => relink(o as Record<string, unknown>, links, images, made) };
  }

  /** [key, index of its copy, ...] for the keys of x that hold objects to copy. */
  private linksOf(x: object, keys: readonly string[]): (string | number)[] {
    const links: (string | number)[] = [];
    for (const k of keys) {
      const i = this.visit((x as Record<string, unknown>)[k]);
      if (i !== undefined) links.push(k, i);
    }
    return links;
  }

  /** [key, frozen image, ...] for the keys of x that hold a dataset snapshot's view. */
  private imagesOf(x: object, keys: readonly string[]): unknown[] {
    const out: unknown[] = [];
    for (const k of keys) {
      const v = (x as Record<string, unknown>)[k];
      if (v !== null && typeof v === 'object' && types.isProxy(v)) out.push(k, this.imageOf(v));
    }
    return out;
  }
}

const noNode: PlanNode = { make: () => undefined, link: noLinks };

function relink(o: Record<string, unknown>, links: readonly (string | number)[], images: readonly unknown[], made: readonly unknown[]): void {
  for (let j = 0; j < links.length; j += 2) o[links[j] as string] = made[links[j + 1] as number];
  for (let j = 0; j < images.length; j += 2) o[images[j] as string] = images[j + 1];
}

function fillMap(m: Map<unknown, unknown>, entries: readonly unknown[], made: readonly unknown[]): void {
  for (let j = 0; j < entries.length; j += 2) m.set(deref(entries[j], made), deref(entries[j + 1], made));
}

function fillSet(s: Set<unknown>, values: readonly unknown[], made: readonly unknown[]): void {
  for (let j = 0; j < values.length; j++) s.add(deref(values[j], made));
}

/** A dataset snapshot's content, frozen; NotForkable for any other proxy (one whose values are not all strings). */
function datasetImage(view: object): Readonly<Record<string, string>> {
  let image: Record<string, unknown>;
  try {
    image = Object.assign(Object.create(null) as Record<string, unknown>, view);
  } catch (e) {
    throw new NotForkable(`a proxy that cannot be read: ${(e as Error).message}`);
  }
  for (const k in image) if (typeof image[k] !== 'string') throw new NotForkable('a proxy that is not a dataset snapshot');
  return Object.freeze(image as Record<string, string>);
}

type Copier = (x: Record<string, unknown>) => Record<string, unknown>;

/** Copiers by key list (NUL-joined), so objects of one shape share one. */
const literalCopiers = new Map<string, Copier>();
/** Past this many keys an object is a dictionary in V8 (no shape to keep), and a literal would be a large function. */
const MAX_LITERAL_KEYS = 64;

/**
 * A function that copies an object of these keys through an object literal of those keys, in order:
 * `(x) => ({ "a": x["a"], "b": x["b"] })`. Why a literal: V8 gives objects made by a literal of n
 * properties the hidden class of every such literal, so a copy has the hidden class of the object
 * the model's own code built, and the model's code stays monomorphic when it meets copies. A copy
 * made by spread ({ ...x }) or property by property gets a hidden class of its own: the cases of a
 * check then ran ~50 % slower than on a world built from the start, more than the settling saved.
 * The keys are written as JSON strings, so no key can be anything but a property name.
 */
function literalCopierOf(keys: readonly string[]): Copier {
  if (keys.length > MAX_LITERAL_KEYS) return (y) => ({ ...y });
  const id = keys.join('\u0000');
  let f = literalCopiers.get(id);
  if (f === undefined) {
    const body = `return {${keys.map((k) => `${JSON.stringify(k)}: x[${JSON.stringify(k)}]`).join(', ')}};`;
    f = new Function('x', body) as Copier;
    literalCopiers.set(id, f);
  }
  return f;
}

/** An object with no prototype (a dataset): a dictionary, copied as one, keys in the same order. */
function dictionaryCopy(x: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, x);
}

/** A class instance: same prototype, the same own properties in the same order. */
function classCopierOf(proto: object, keys: readonly string[]): Copier {
  return (x) => {
    const o = Object.create(proto) as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) o[keys[i]!] = x[keys[i]!];
    return o;
  };
}

const classPrototypes = new WeakMap<object, boolean>();

/** A prototype made by `class` (its constructor is a class of this program), not a built-in's. */
function isClassPrototype(proto: object): boolean {
  let yes = classPrototypes.get(proto);
  if (yes === undefined) {
    const c = (proto as { constructor?: unknown }).constructor;
    yes = typeof c === 'function' && Function.prototype.toString.call(c).startsWith('class');
    classPrototypes.set(proto, yes);
  }
  return yes;
}

function describe(proto: object): string {
  const c = (proto as { constructor?: { name?: string } }).constructor;
  return c?.name ?? 'no constructor';
}
