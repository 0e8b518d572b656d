// Rearrangements of row-major weight arrays into the layouts ONNX ops take.

/** [a, b] -> [b, a] of a row-major matrix. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** A stack of matrices [n, d, u] laid side by side as one [d, n * u] matrix (x times it gives every column at once). */
export function sideBySide(data: Float32Array, n: number, d: number, u: number): Float32Array {
  const out = new Float32Array(d * n * u);
  for (let c = 0; c < n; c++) for (let i = 0; i < d; i++) for (let j = 0; j < u; j++) out[i * n * u + c * u + j] = data[c * d * u + i * u + j]!;
  return out;
}

/** A TensorFlow conv kernel [kh, kw, in, out] as ONNX's [out, in, kh, kw]. */
export function hwioToOihw(data: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
    out[((o * cin + i) * kh + y) * kw + x] = data[((y * kw + x) * cin + i) * cout + o]!;
  }
  return out;
}
