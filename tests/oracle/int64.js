// int64 outputs for the oracle. The npm TFLite web API cannot hand int64 tensors to JavaScript:
// TFLiteWebModelRunnerTensorInfo reports their dataType as 'unknown' and data() as 0, although
// TFLite itself computes them. So for the oracle only, a graph output of type INT64 that is the
// index output of ARG_MAX or ARG_MIN is narrowed to INT32 in a copy of the model (two bytes
// patched in place: the tensor's type and the operator's ArgMaxOptions/ArgMinOptions output_type,
// found by walking the FlatBuffer tables), TFLite runs the copy, and its int32 result is widened
// back to int64 little-endian before it is compared.
//
// That is semantically identical to TFLite's int64 answer: ARG_MAX/ARG_MIN compute the same index
// (the first position of the extreme value along the axis) whatever the output type, which only
// selects the integer type that index is stored as (arg_min_max.cc is one template over it), and
// an index along one axis is below the axis length, far below 2^31, so int32 holds it exactly and
// sign-extending it gives the very int64 TFLite would have written. The patch is refused (an
// error, never a silent skip) if the tensor is also read by another operator, whose behaviour
// could depend on its type, and any other int64 output is refused too: a CAST to int64, say, is
// not the same computation as a CAST to int32.
'use strict';

const INT32 = 2, INT64 = 4; // TensorType
const ARG_MAX = 56, ARG_MIN = 79; // BuiltinOperator
const ARG_OPTIONS = { [ARG_MAX]: 40, [ARG_MIN]: 57 }; // BuiltinOptions union tag of each

// Reads the FlatBuffer `buf` (schema tensorflow/lite/schema/schema.fbs), bounds-checked.
class Fb {
  constructor(buf) { this.buf = buf; }
  check(pos, n, what) {
    if (!(pos >= 0 && pos + n <= this.buf.length)) throw new Error(`model: ${what} at ${pos} out of bounds`);
    return pos;
  }
  u8(p) { return this.buf.readUInt8(this.check(p, 1, 'byte')); }
  u16(p) { return this.buf.readUInt16LE(this.check(p, 2, 'u16')); }
  u32(p) { return this.buf.readUInt32LE(this.check(p, 4, 'u32')); }
  i32(p) { return this.buf.readInt32LE(this.check(p, 4, 'i32')); }
  root() { return this.u32(0); }
  // The position of field `id` of the table at `t`, or null if the vtable leaves it out (default).
  field(t, id) {
    const vt = t - this.i32(t);
    const size = this.u16(vt);
    if (4 + 2 * id + 2 > size) return null;
    const off = this.u16(vt + 4 + 2 * id);
    return off ? t + off : null;
  }
  // Follows the uoffset stored in field `id` (a table, vector or string); null if absent.
  ref(t, id) { const p = this.field(t, id); return p === null ? null : p + this.u32(p); }
  // A vector field as [position of element 0, length]; [0, 0] if absent.
  vec(t, id) {
    const v = this.ref(t, id);
    return v === null ? [0, 0] : [v + 4, this.u32(v)];
  }
  tables(t, id) { const [p, n] = this.vec(t, id); return Array.from({ length: n }, (_, i) => p + 4 * i + this.u32(p + 4 * i)); }
  ints(t, id) { const [p, n] = this.vec(t, id); return Array.from({ length: n }, (_, i) => this.i32(p + 4 * i)); }
  byteField(t, id, dflt) { const p = this.field(t, id); return p === null ? dflt : this.u8(p); }
  u32Field(t, id, dflt) { const p = this.field(t, id); return p === null ? dflt : this.u32(p); }
  i32Field(t, id, dflt) { const p = this.field(t, id); return p === null ? dflt : this.i32(p); }
}

// model: Buffer of a .tflite file. Returns { model, widen }: the model TFLite should run (the
// input itself when nothing needs narrowing, else a patched copy) and, for each of subgraph 0's
// outputs in order, whether its result must be widened from int32 back to int64.
function narrowInt64Outputs(model) {
  const fb = new Fb(model);
  const root = fb.root();
  // Model: operator_codes 1, subgraphs 2. OperatorCode: deprecated_builtin_code 0 (byte),
  // builtin_code 3 (int; newer files, the larger of the two is the real code).
  const codes = fb.tables(root, 1).map((c) => Math.max(fb.byteField(c, 0, 0), fb.i32Field(c, 3, 0)));
  const [sub] = fb.tables(root, 2);
  if (sub === undefined) throw new Error('model: no subgraphs');
  // SubGraph: tensors 0, outputs 2, operators 3. Tensor: type 1 (byte).
  const tensors = fb.tables(sub, 0);
  const outputs = fb.ints(sub, 2);
  const ops = fb.tables(sub, 3);
  const typeOf = (i) => fb.byteField(tensors[i], 1, 0);
  // Operator: opcode_index 0, inputs 1, outputs 2, builtin_options_type 3, builtin_options 4.
  const producer = new Map(), readers = new Map();
  ops.forEach((op, k) => {
    for (const t of fb.ints(op, 2)) producer.set(t, k);
    for (const t of fb.ints(op, 1)) if (t >= 0) readers.set(t, (readers.get(t) || 0) + 1);
  });
  const patches = []; // byte positions to set to INT32
  const widen = outputs.map((t, i) => {
    if (t < 0 || t >= tensors.length) throw new Error(`model: output ${i}: tensor ${t} out of range`);
    if (typeOf(t) !== INT64) return false;
    const k = producer.get(t);
    const op = k === undefined ? undefined : ops[k];
    const code = op === undefined ? undefined : codes[fb.u32Field(op, 0, 0)];
    const refuse = (why) => new Error(`output ${i} is int64, which the TFLite web API cannot read, and ${why}`);
    if (!(code in ARG_OPTIONS)) throw refuse(`it is not the output of ARG_MAX or ARG_MIN (operator ${k}, code ${code})`);
    if (readers.get(t)) throw refuse(`operator ${k}'s output is also read by another operator`);
    const opts = fb.byteField(op, 3, 0) === ARG_OPTIONS[code] ? fb.ref(op, 4) : null;
    // ArgMaxOptions / ArgMinOptions: output_type 0 (byte; INT64 is not the default, so present).
    const outType = opts === null ? null : fb.field(opts, 0);
    if (outType === null || fb.u8(outType) !== INT64) throw refuse(`operator ${k}'s options do not say int64`);
    if (ops.some((o, j) => j !== k && fb.ref(o, 4) === opts)) throw refuse(`operator ${k} shares its options table`);
    patches.push(fb.field(tensors[t], 1), outType);
    return true;
  });
  if (!patches.length) return { model, widen };
  const copy = Buffer.from(model);
  for (const p of patches) copy[p] = INT32;
  return { model: copy, widen };
}

// The int32 result `bytes` (little-endian) as int64 little-endian, each value sign-extended.
function widenInt32(bytes) {
  const n = bytes.length / 4;
  const out = Buffer.alloc(n * 8);
  for (let i = 0; i < n; i++) out.writeBigInt64LE(BigInt(bytes.readInt32LE(4 * i)), 8 * i);
  return out;
}

module.exports = { narrowInt64Outputs, widenInt32 };
