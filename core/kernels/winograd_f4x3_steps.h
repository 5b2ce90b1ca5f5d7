// The one-dimensional steps of winograd_f4x3.h, written once for both
// twins: Ops::T is a float (scalar twin) or four of them (SIMD twin), so the
// twins compute in the same order and agree bit for bit. Applied to the
// columns of a tile and then to its rows, each step gives the 2-D transform.
#pragma once

namespace mnist::kernels::f4x3 {

// t = B^T d for one column d of six input pixels, in 20 additions: the
// matrix's multiples of 2, 4 and 5 become shared terms and doublings (exact
// in floating point), since a multiply by a constant costs WebAssembly a
// splat as well (V8 materialises the constant at each use).
template <typename Ops, typename T = typename Ops::T>
inline void input_step(const T d[6], T t[6]) {
  const T d1_2 = Ops::add(d[1], d[1]), d2_2 = Ops::add(d[2], d[2]);
  const T p = Ops::sub(d[4], Ops::add(d2_2, d2_2));  // d4 - 4 d2
  const T q = Ops::sub(d[3], Ops::add(d1_2, d1_2));  // d3 - 4 d1
  const T r = Ops::sub(d[4], d[2]);
  const T h = Ops::sub(d[3], d[1]), s = Ops::add(h, h);  // 2 (d3 - d1)
  const T a = Ops::sub(d[0], d[2]), a_2 = Ops::add(a, a);
  t[0] = Ops::add(Ops::add(a_2, a_2), r);                          // 4 (d0 - d2) + (d4 - d2)
  t[1] = Ops::add(p, q);
  t[2] = Ops::sub(p, q);
  t[3] = Ops::add(r, s);
  t[4] = Ops::sub(r, s);
  t[5] = Ops::sub(Ops::sub(d[5], d[3]), Ops::add(s, s));           // (d5 - d3) - 4 (d3 - d1)
}

// y = A^T m for one column m of six products, in 15 additions likewise.
template <typename Ops, typename T = typename Ops::T>
inline void output_step(const T m[6], T y[4]) {
  const T a = Ops::add(m[1], m[2]), b = Ops::sub(m[1], m[2]);
  const T c = Ops::add(m[3], m[4]), d = Ops::sub(m[3], m[4]);
  const T c_2 = Ops::add(c, c), d_2 = Ops::add(d, d), d_4 = Ops::add(d_2, d_2);
  y[0] = Ops::add(Ops::add(m[0], a), c);
  y[1] = Ops::add(b, d_2);
  y[2] = Ops::add(a, Ops::add(c_2, c_2));
  y[3] = Ops::add(Ops::add(b, Ops::add(d_4, d_4)), m[5]);
}

struct ScalarOps {
  using T = float;
  static float add(float a, float b) { return a + b; }
  static float sub(float a, float b) { return a - b; }
};

}  // namespace mnist::kernels::f4x3
