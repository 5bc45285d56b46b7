/**
 * A small ONNX graph builder with reverse-mode differentiation.
 *
 * Each differentiable op emits its ONNX node(s) and, when one of its inputs depends on a
 * parameter, records a vector-Jacobian rule on a tape. `gradients(loss, wrt)` walks the tape
 * backwards from ∂loss/∂loss = 1 and emits the backward nodes into the same graph, so a whole
 * train step (forward, loss, backward, optimizer) is one ONNX graph.
 *
 *     forward nodes ─▶ loss ─▶ backward nodes (from the tape, in reverse) ─▶ optimizer nodes
 *
 * Shapes are tracked statically (dimension 0 may be symbolic, e.g. `batch`), so every gradient
 * rule knows its sizes at build time. Images are NCHW inside the graph (ONNX's layout). The
 * layers with parameters (dense, conv) are in layers.ts.
 * Broadcasting follows ONNX (numpy) rules; a gradient flowing into a broadcast input is summed
 * over the broadcast axes (`unbroadcast`).
 */
import type {
  AttributeValue,
  ConstTensor,
  Dim,
  ElemType,
  GraphDef,
  NodeDef,
  ValueInfo,
} from '../onnx/model-proto.js';

/** A value in the graph: a named tensor of known element type and shape. */
export interface Value {
  readonly name: string;
  readonly elem: ElemType;
  readonly shape: readonly Dim[];
}

/** Returns the gradient of each input (null where an input needs none). */
export type Vjp = (gradOut: Value) => (Value | null)[];

interface TapeEntry {
  inputs: readonly Value[];
  output: Value;
  vjp: Vjp;
}

function sameDims(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Numpy broadcasting of two static shapes (a symbolic dim broadcasts only against 1 or itself). */
export function broadcastShape(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
  }
  return out;
}

export class GraphBuilder {
  private readonly nodes: NodeDef[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: ConstTensor[] = [];
  private readonly tape: TapeEntry[] = [];
  /** Names of values that depend on a differentiable input. */
  private readonly live = new Set<string>();
  private counter = 0;
  private readonly constCache = new Map<string, Value>();
  /** Values renamed to the graph output that they are (see `output`). */
  private readonly renames = new Map<string, string>();

  constructor(readonly name: string) {}

  // ─── inputs, constants, outputs ────────────────────────────────────────────────────────────

  /** A graph input; `differentiable` marks it as something gradients can be taken with respect to. */
  input(name: string, shape: readonly Dim[], elem: ElemType = 'float', differentiable = false): Value {
    const v: Value = { name, elem, shape: [...shape] };
    this.inputs.push({ name, elem, shape: [...shape] });
    if (differentiable) this.live.add(name);
    return v;
  }

  /** A float constant (scalar when `dims` is empty). Scalars are shared. */
  constant(values: number | readonly number[] | Float32Array, dims: readonly number[] = []): Value {
    const data = typeof values === 'number' ? Float32Array.of(values) : Float32Array.from(values);
    const key = dims.length === 0 ? `f:${data[0]}` : '';
    const cached = key ? this.constCache.get(key) : undefined;
    if (cached) return cached;
    const name = this.fresh('const');
    this.initializers.push({ name, dims: [...dims], data });
    const v: Value = { name, elem: 'float', shape: [...dims] };
    if (key) this.constCache.set(key, v);
    return v;
  }

  /** An int64 constant vector (axes, shapes, slice bounds). */
  int64s(values: readonly number[]): Value {
    const key = `i:${values.join(',')}`;
    const cached = this.constCache.get(key);
    if (cached) return cached;
    const name = this.fresh('ints');
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
    const v: Value = { name, elem: 'int64', shape: [values.length] };
    this.constCache.set(key, v);
    return v;
  }

  /**
   * Makes `v` a graph output called `name`. The node that computes `v` writes the output
   * directly (renamed at build time); an Identity copy is made only for inputs, constants and
   * values that are already an output.
   */
  output(v: Value, name: string): void {
    const produced = this.nodes.some((n) => n.outputs.includes(v.name));
    if (produced && !this.renames.has(v.name)) this.renames.set(v.name, name);
    else this.emit('Identity', [v], [name]);
    this.outputs.push({ name, elem: v.elem, shape: [...v.shape] });
  }

  build(): GraphDef {
    const rename = (n: string) => this.renames.get(n) ?? n;
    return {
      name: this.name,
      inputs: this.inputs,
      outputs: this.outputs,
      nodes: this.nodes.map((n) => ({ ...n, inputs: n.inputs.map(rename), outputs: n.outputs.map(rename) })),
      initializers: this.initializers,
    };
  }

  /** Whether `v` depends on a differentiable input. */
  isLive(v: Value): boolean {
    return this.live.has(v.name);
  }

  // ─── elementwise ───────────────────────────────────────────────────────────────────────────

  add(a: Value, b: Value): Value {
    const y = this.node('Add', [a, b], broadcastShape(a.shape, b.shape));
    this.record([a, b], y, (g) => [this.unbroadcast(g, a.shape), this.unbroadcast(g, b.shape)]);
    return y;
  }

  sub(a: Value, b: Value): Value {
    const y = this.node('Sub', [a, b], broadcastShape(a.shape, b.shape));
    this.record([a, b], y, (g) => [
      this.unbroadcast(g, a.shape),
      this.isLive(b) ? this.unbroadcast(this.neg(g), b.shape) : null,
    ]);
    return y;
  }

  mul(a: Value, b: Value): Value {
    const y = this.node('Mul', [a, b], broadcastShape(a.shape, b.shape));
    this.record([a, b], y, (g) => [
      this.isLive(a) ? this.unbroadcast(this.mul(g, b), a.shape) : null,
      this.isLive(b) ? this.unbroadcast(this.mul(g, a), b.shape) : null,
    ]);
    return y;
  }

  div(a: Value, b: Value): Value {
    const y = this.node('Div', [a, b], broadcastShape(a.shape, b.shape));
    this.record([a, b], y, (g) => [
      this.isLive(a) ? this.unbroadcast(this.div(g, b), a.shape) : null,
      this.isLive(b) ? this.unbroadcast(this.neg(this.div(this.mul(g, y), b)), b.shape) : null,
    ]);
    return y;
  }

  neg(x: Value): Value {
    const y = this.node('Neg', [x], x.shape);
    this.record([x], y, (g) => [this.neg(g)]);
    return y;
  }

  exp(x: Value): Value {
    const y = this.node('Exp', [x], x.shape);
    this.record([x], y, (g) => [this.mul(g, y)]);
    return y;
  }

  log(x: Value): Value {
    const y = this.node('Log', [x], x.shape);
    this.record([x], y, (g) => [this.div(g, x)]);
    return y;
  }

  square(x: Value): Value {
    const y = this.node('Mul', [x, x], x.shape);
    this.record([x], y, (g) => [this.mul(g, this.mul(x, this.constant(2)))]);
    return y;
  }

  abs(x: Value): Value {
    const y = this.node('Abs', [x], x.shape);
    this.record([x], y, (g) => [this.mul(g, this.raw('Sign', [x], x.shape))]);
    return y;
  }

  sqrt(x: Value): Value {
    const y = this.node('Sqrt', [x], x.shape);
    this.record([x], y, (g) => [this.div(g, this.mul(y, this.constant(2)))]);
    return y;
  }

  /** min(a, b) elementwise; the gradient goes to the smaller input (to `a` on ties). */
  minimum(a: Value, b: Value): Value {
    const shape = broadcastShape(a.shape, b.shape);
    const y = this.node('Min', [a, b], shape);
    this.record([a, b], y, (g) => {
      const takeA = this.cast(this.raw('LessOrEqual', [a, b], shape, 'bool'));
      return [
        this.isLive(a) ? this.unbroadcast(this.mul(g, takeA), a.shape) : null,
        this.isLive(b) ? this.unbroadcast(this.mul(g, this.sub(this.constant(1), takeA)), b.shape) : null,
      ];
    });
    return y;
  }

  /** max(a, b) elementwise; the gradient goes to the larger input (to `a` on ties). */
  maximum(a: Value, b: Value): Value {
    const shape = broadcastShape(a.shape, b.shape);
    const y = this.node('Max', [a, b], shape);
    this.record([a, b], y, (g) => {
      const takeA = this.cast(this.raw('GreaterOrEqual', [a, b], shape, 'bool'));
      return [
        this.isLive(a) ? this.unbroadcast(this.mul(g, takeA), a.shape) : null,
        this.isLive(b) ? this.unbroadcast(this.mul(g, this.sub(this.constant(1), takeA)), b.shape) : null,
      ];
    });
    return y;
  }

  /** Clips to [lo, hi]; the gradient passes where lo ≤ x ≤ hi (as tfjs' clipByValue). */
  clip(x: Value, lo: number, hi: number): Value {
    const y = this.node('Clip', [x, this.constant(lo), this.constant(hi)], x.shape);
    this.record([x], y, (g) => {
      const inside = this.mul(
        this.cast(this.raw('GreaterOrEqual', [x, this.constant(lo)], x.shape, 'bool')),
        this.cast(this.raw('LessOrEqual', [x, this.constant(hi)], x.shape, 'bool')),
      );
      return [this.mul(g, inside)];
    });
    return y;
  }

  // ─── reductions and shapes ─────────────────────────────────────────────────────────────────

  /** Sum over `axes` (all when omitted). */
  sum(x: Value, axes?: readonly number[], keepDims = false): Value {
    const ax = axes ?? x.shape.map((_, i) => i);
    const shape = reducedShape(x.shape, ax, keepDims);
    const y = this.node('ReduceSum', [x, this.int64s(ax)], shape, { keepdims: keepDims ? 1 : 0 });
    this.record([x], y, (g) => [this.expandTo(keepDims ? g : this.unsqueeze(g, ax), x)]);
    return y;
  }

  /** Mean over `axes` (all when omitted). All reduced dims must be static. */
  mean(x: Value, axes?: readonly number[], keepDims = false): Value {
    const ax = axes ?? x.shape.map((_, i) => i);
    const count = ax.reduce((n, a) => n * staticDim(x.shape[a], 'mean'), 1);
    return this.mul(this.sum(x, ax, keepDims), this.constant(1 / count));
  }

  /** Max over one axis (not differentiable: used in targets). */
  reduceMax(x: Value, axis: number, keepDims = false): Value {
    return this.raw('ReduceMax', [x], reducedShape(x.shape, [axis], keepDims), 'float', {
      axes: [axis],
      keepdims: keepDims ? 1 : 0,
    });
  }

  /** Index of the max over `axis`, kept as a size-1 axis (int64; ties go to the first). */
  argMax(x: Value, axis: number): Value {
    return this.raw('ArgMax', [x], reducedShape(x.shape, [axis], true), 'int64', {
      axis,
      keepdims: 1,
      select_last_index: 0,
    });
  }

  /** `GatherElements` along `axis` (not differentiable: used in targets). */
  gatherElements(x: Value, indices: Value, axis: number): Value {
    return this.raw('GatherElements', [x, indices], indices.shape, x.elem, { axis });
  }

  /** Stable log-softmax over the last axis; its VJP is g − softmax(x)·Σg. */
  logSoftmax(x: Value): Value {
    const axis = x.shape.length - 1;
    const y = this.node('LogSoftmax', [x], x.shape, { axis });
    this.record([x], y, (g) => {
      const p = this.raw('Exp', [y], y.shape);
      return [this.sub(g, this.mul(p, this.sum(g, [axis], true)))];
    });
    return y;
  }

  transpose(x: Value, perm: readonly number[]): Value {
    const y = this.raw(
      'Transpose',
      [x],
      perm.map((p) => x.shape[p]),
      x.elem,
      { perm: [...perm] },
    );
    const inverse = perm.map((_, i) => perm.indexOf(i));
    this.record([x], y, (g) => [this.transpose(g, inverse)]);
    return y;
  }

  /** Collapses all axes after the first: [N, ...] → [N, prod]. */
  flatten(x: Value): Value {
    const rest = x.shape.slice(1).reduce<number>((n, d) => n * staticDim(d, 'flatten'), 1);
    const y = this.node('Flatten', [x], [x.shape[0], rest], { axis: 1 });
    this.record([x], y, (g) => [
      this.reshape(g, [-1, ...x.shape.slice(1).map((d) => staticDim(d, 'flatten'))], x.shape),
    ]);
    return y;
  }

  /** Reshape to `dims` (one may be −1); `shape` is the resulting static shape. */
  reshape(x: Value, dims: readonly number[], shape: readonly Dim[]): Value {
    const y = this.node('Reshape', [x, this.int64s(dims)], shape);
    this.record([x], y, (g) => [
      this.reshape(
        g,
        x.shape.map((d) => (typeof d === 'number' ? d : -1)),
        x.shape,
      ),
    ]);
    return y;
  }

  /** Columns [start, end) of a 2-D value. */
  sliceColumns(x: Value, start: number, end: number): Value {
    const shape = [x.shape[0], end - start];
    const y = this.node('Slice', [x, this.int64s([start]), this.int64s([end]), this.int64s([1])], shape);
    const width = staticDim(x.shape[1], 'sliceColumns');
    this.record([x], y, (g) => [this.raw('Pad', [g, this.int64s([0, start, 0, width - end])], x.shape)]);
    return y;
  }

  cast(x: Value, elem: ElemType = 'float'): Value {
    const to = { float: 1, uint8: 2, int32: 6, int64: 7, bool: 9 }[elem];
    return this.raw('Cast', [x], x.shape, elem, { to });
  }

  // ─── differentiation ───────────────────────────────────────────────────────────────────────

  /**
   * Emits ∂loss/∂v for each v in `wrt` (a zero-filled constant where the loss does not depend on
   * it). `loss` must be a scalar; `seed` (a graph value of the loss's shape) replaces the unit
   * seed, for vector-Jacobian products of a non-scalar output.
   */
  gradients(loss: Value, wrt: readonly Value[], seed?: Value): Value[] {
    if (!seed && loss.shape.length !== 0)
      throw new Error(`gradients: the loss must be a scalar, got shape [${loss.shape}]`);
    const grads = new Map<string, Value>();
    grads.set(loss.name, seed ?? this.constant(1));
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const entry = this.tape[i];
      const g = grads.get(entry.output.name);
      if (!g) continue;
      const inputGrads = entry.vjp(g);
      entry.inputs.forEach((input, k) => {
        const gi = inputGrads[k];
        if (!gi || !this.isLive(input)) return;
        const prev = grads.get(input.name);
        grads.set(input.name, prev ? this.raw('Add', [prev, gi], input.shape) : gi);
      });
    }
    return wrt.map((v) => {
      const g = grads.get(v.name);
      if (g) return g;
      const size = v.shape.reduce<number>((n, d) => n * staticDim(d, 'gradients'), 1);
      return this.constant(
        new Float32Array(size),
        v.shape.map((d) => staticDim(d, 'gradients')),
      );
    });
  }

  // ─── plumbing ──────────────────────────────────────────────────────────────────────────────

  /** Emits a node with no gradient rule (its output is a constant to differentiation). */
  raw(
    op: string,
    inputs: readonly Value[],
    shape: readonly Dim[],
    elem: ElemType = 'float',
    attrs?: Record<string, AttributeValue>,
  ): Value {
    const name = this.fresh(op);
    this.emit(op, inputs, [name], attrs);
    return { name, elem, shape: [...shape] };
  }

  /** `raw` for an operator of another domain (e.g. onnxruntime's `com.microsoft.nchwc`), float out. */
  rawIn(
    domain: string,
    op: string,
    inputs: readonly Value[],
    shape: readonly Dim[],
    attrs?: Record<string, AttributeValue>,
  ): Value {
    const name = this.fresh(op);
    this.emit(op, inputs, [name], attrs, domain);
    return { name, elem: 'float', shape: [...shape] };
  }

  private node(
    op: string,
    inputs: readonly Value[],
    shape: readonly Dim[],
    attrs?: Record<string, AttributeValue>,
  ): Value {
    return this.raw(op, inputs, shape, 'float', attrs);
  }

  /** Records `vjp` as the gradient rule of `output` when any of `inputs` needs a gradient. */
  record(inputs: readonly Value[], output: Value, vjp: Vjp): void {
    if (!inputs.some((v) => this.isLive(v))) return;
    this.live.add(output.name);
    this.tape.push({ inputs, output, vjp });
  }

  private emit(
    op: string,
    inputs: readonly Value[],
    outputs: readonly string[],
    attrs?: Record<string, AttributeValue>,
    domain?: string,
  ): void {
    this.nodes.push({ op, inputs: inputs.map((v) => v.name), outputs, attrs, ...(domain ? { domain } : {}) });
  }

  private fresh(prefix: string): string {
    return `${prefix.toLowerCase()}_${this.counter++}`;
  }

  /** Sums a gradient of a broadcast result back to an input's shape. */
  private unbroadcast(g: Value, shape: readonly Dim[]): Value {
    if (sameDims(g.shape, shape)) return g;
    const lead = g.shape.length - shape.length;
    const axes: number[] = [];
    for (let i = 0; i < g.shape.length; i++) {
      if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
    }
    let out = axes.length
      ? this.raw('ReduceSum', [g, this.int64s(axes)], reducedShape(g.shape, axes, true), 'float', {
          keepdims: 1,
        })
      : g;
    if (lead > 0 || !sameDims(out.shape, shape)) {
      out = this.raw(
        'Reshape',
        [out, this.int64s(shape.map((d) => (typeof d === 'number' ? d : -1)))],
        shape,
      );
    }
    return out;
  }

  private unsqueeze(g: Value, axes: readonly number[]): Value {
    const shape = [...g.shape];
    for (const a of [...axes].sort((p, q) => p - q)) shape.splice(a, 0, 1);
    return this.raw('Unsqueeze', [g, this.int64s([...axes].sort((p, q) => p - q))], shape);
  }

  /** Broadcasts `g` to `like`'s (run-time) shape. */
  private expandTo(g: Value, like: Value): Value {
    const shape = this.raw('Shape', [like], [like.shape.length], 'int64');
    return this.raw('Expand', [g, shape], like.shape);
  }
}

/** `d` as a number; throws when it is symbolic. */
export function staticDim(d: Dim, what: string): number {
  if (typeof d !== 'number') throw new Error(`${what}: dimension '${d}' must be static here`);
  return d;
}

function reducedShape(shape: readonly Dim[], axes: readonly number[], keepDims: boolean): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}
