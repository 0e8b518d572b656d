// Multi-Task Studio: GradVac's, PCGrad's and Nash-MTL's rules as one native TensorFlow op each, registered by
// the tfjs-node binding we build (scripts/bindingRuleKernels.mjs copies this file into its source
// as binding/mts_rule_kernels.cc and registers the ops once at module init).
//
// Why: as graph ops (src/trainer/graph/gradVacRule.ts) GradVac's rule on a 4 x 4 Gramian is
// ~141 tiny float64 ops, and every TensorFlow op costs ~2 us of executor overhead whatever its
// size: ~300-400 us of a ~1 ms fused step (a per-node trace: the rule 720 of 2368 us traced),
// which kept GradVac above issue 10's 1.5x of equal weighting. Here it is one op: a few hundred
// float64 operations in a loop.
//
// Exactness: each kernel does the core rule's arithmetic (src/core/weighting/gradvac.ts,
// pcgrad.ts, gramian.ts) term by term in the same order, in IEEE double (x86-64 SSE2, built with
// -ffp-contract=off and no -ffast-math: no fused multiply-add, no reassociation), and takes
// Math.max/Math.min's NaN and signed-zero rules, so it gives the core rule's bits.
//
// MtsGradVac(gramian: double [k, k], targets: double [k, k], orders: int32 [k (k - 1)],
//            beta: double []) -> (coefficients: double [k], new_targets: double [k, k])
//   orders: row i (k - 1 entries) = the other tasks in the order task i visits them.
//   beta is a float64 input, not an attr: a float attr is float32 and would round it.
// MtsPcGrad(gramian: double [k, k], orders: int32 [k (k - 1)]) -> (coefficients: double [k])
// MtsNashMtl(gramian: double [k, k], settings: double [5]) -> (coefficients: double [k])
//   settings: max_norm, converged, max_alpha_gain, steps, prefix_steps (nashRule.ts's constants).
//   Not the core rule's bits (another solver): nashRule.ts's Newton steps, within 1e-6 of it.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <node_api.h>

#include "tensorflow/c/kernels.h"
#include "tensorflow/c/ops.h"
#include "tensorflow/c/tf_status.h"
#include "tensorflow/c/tf_tensor.h"

namespace {

// JavaScript's Math.max / Math.min: NaN if either is NaN; max(+0, -0) = +0, min(+0, -0) = -0.
double JsMax(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return NAN;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
double JsMin(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return NAN;
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

// gramian.ts innerWith: <sum_m c_m g_m, g_j> = sum_m c_m G[m][j], from m = 0, starting at 0.
double InnerWith(const std::vector<double> &c, const double *G, int64_t k, int64_t j) {
  double s = 0;
  for (int64_t m = 0; m < k; m++) s += c[m] * G[m * k + j];
  return s;
}

// gramian.ts normSquared: sum_j c_j innerWith(c, G, j), clamped at 0.
double NormSquared(const std::vector<double> &c, const double *G, int64_t k) {
  double s = 0;
  for (int64_t j = 0; j < k; j++) s += c[j] * InnerWith(c, G, k, j);
  return JsMax(0, s);
}

/** The inputs, freed when the kernel returns. */
struct Inputs {
  std::vector<TF_Tensor *> tensors;
  ~Inputs() {
    for (TF_Tensor *t : tensors) TF_DeleteTensor(t);
  }
};

void Fail(TF_OpKernelContext *ctx, const std::string &message) {
  TF_Status *status = TF_NewStatus();
  TF_SetStatus(status, TF_INVALID_ARGUMENT, message.c_str());
  TF_OpKernelContext_Failure(ctx, status);
  TF_DeleteStatus(status);
}

/** Reads every input; false (the context failed) if one cannot be read. */
bool ReadInputs(TF_OpKernelContext *ctx, Inputs &in) {
  TF_Status *status = TF_NewStatus();
  for (int i = 0; i < TF_NumInputs(ctx); i++) {
    TF_Tensor *t = nullptr;
    TF_GetInput(ctx, i, &t, status);
    if (TF_GetCode(status) != TF_OK) {
      TF_OpKernelContext_Failure(ctx, status);
      TF_DeleteStatus(status);
      return false;
    }
    in.tensors.push_back(t);
  }
  TF_DeleteStatus(status);
  return true;
}

std::string ShapeOf(const TF_Tensor *t) {
  std::string s = "[";
  for (int d = 0; d < TF_NumDims(t); d++) s += (d ? ", " : "") + std::to_string(TF_Dim(t, d));
  return s + "]";
}

/**
 * Checks the Gramian (square [k, k]) and the orders (k - 1 other tasks per row); returns k, or
 * -1 after failing the context with a message that names the op and the shapes.
 */
int64_t CheckGramianAndOrders(TF_OpKernelContext *ctx, const char *op, const TF_Tensor *G, const TF_Tensor *orders) {
  if (TF_NumDims(G) != 2 || TF_Dim(G, 0) != TF_Dim(G, 1) || TF_Dim(G, 0) < 1) {
    Fail(ctx, std::string(op) + ": the Gramian must be a square matrix [k, k] with k >= 1, got " + ShapeOf(G));
    return -1;
  }
  const int64_t k = TF_Dim(G, 0);
  if (TF_NumDims(orders) != 1 || TF_Dim(orders, 0) != k * (k - 1)) {
    Fail(ctx, std::string(op) + ": the task orders must be a vector of k (k - 1) = " + std::to_string(k * (k - 1)) +
                  " task indices for " + std::to_string(k) + " tasks, got " + ShapeOf(orders));
    return -1;
  }
  const int32_t *o = static_cast<const int32_t *>(TF_TensorData(orders));
  for (int64_t i = 0; i < k; i++) {
    for (int64_t t = 0; t < k - 1; t++) {
      const int32_t j = o[i * (k - 1) + t];
      if (j < 0 || j >= k || j == i) {
        Fail(ctx, std::string(op) + ": task " + std::to_string(i) + "'s order names task " + std::to_string(j) +
                      ", not another of the " + std::to_string(k) + " tasks");
        return -1;
      }
    }
  }
  return k;
}

/** Writes `values` as float64 output `index` of `dims`; false (the context failed) if it cannot be allocated. */
bool Write(TF_OpKernelContext *ctx, int index, const std::vector<int64_t> &dims, const std::vector<double> &values) {
  TF_Status *status = TF_NewStatus();
  TF_Tensor *t = TF_AllocateOutput(ctx, index, TF_DOUBLE, dims.data(), static_cast<int>(dims.size()), values.size() * sizeof(double), status);
  const bool ok = TF_GetCode(status) == TF_OK;
  if (ok) {
    std::memcpy(TF_TensorData(t), values.data(), values.size() * sizeof(double));
    TF_DeleteTensor(t);
  } else {
    TF_OpKernelContext_Failure(ctx, status);
  }
  TF_DeleteStatus(status);
  return ok;
}

/**
 * PCGrad's and GradVac's walks: task i's gradient as coefficients c over the tasks' gradients,
 * starting at its own, changed by `visit(i, j, c)` for each task j in i's order (row i of the
 * orders), in task order; returns the walks' sum, summed in task order (the core rules').
 */
template <typename Visit>
std::vector<double> SumOfWalks(const int32_t *orders, int64_t k, Visit visit) {
  std::vector<double> w(k, 0.0);
  for (int64_t i = 0; i < k; i++) {
    std::vector<double> c(k, 0.0);
    c[i] = 1;
    for (int64_t t = 0; t < k - 1; t++) visit(i, static_cast<int64_t>(orders[i * (k - 1) + t]), c);
    for (int64_t m = 0; m < k; m++) w[m] += c[m];
  }
  return w;
}

// GradVac: core/weighting/gradvac.ts gradvacWeights, with order(i) = row i of the orders.
void GradVacCompute(void *, TF_OpKernelContext *ctx) {
  Inputs in;
  if (!ReadInputs(ctx, in)) return;
  const TF_Tensor *Gt = in.tensors[0], *Tt = in.tensors[1], *Ot = in.tensors[2], *Bt = in.tensors[3];
  const int64_t k = CheckGramianAndOrders(ctx, "MtsGradVac", Gt, Ot);
  if (k < 0) return;
  if (TF_NumDims(Tt) != 2 || TF_Dim(Tt, 0) != k || TF_Dim(Tt, 1) != k) {
    return Fail(ctx, "MtsGradVac: the targets must be [k, k] = [" + std::to_string(k) + ", " + std::to_string(k) + "], got " + ShapeOf(Tt));
  }
  if (TF_NumDims(Bt) != 0) return Fail(ctx, "MtsGradVac: beta must be a scalar, got " + ShapeOf(Bt));
  const double *G = static_cast<const double *>(TF_TensorData(Gt));
  const int32_t *orders = static_cast<const int32_t *>(TF_TensorData(Ot));
  const double beta = *static_cast<const double *>(TF_TensorData(Bt));
  std::vector<double> targets(static_cast<const double *>(TF_TensorData(Tt)), static_cast<const double *>(TF_TensorData(Tt)) + k * k);
  const std::vector<double> w = SumOfWalks(orders, k, [&](int64_t i, int64_t j, std::vector<double> &c) {
    const double ni = std::sqrt(NormSquared(c, G, k));
    const double nj = std::sqrt(JsMax(0, G[j * k + j]));
    if (ni == 0 || nj == 0) return;
    const double phi = JsMax(-1, JsMin(1, InnerWith(c, G, k, j) / (ni * nj)));
    const double target = targets[i * k + j];
    const double rest = std::sqrt(JsMax(0, 1 - target * target));
    if (phi < target && rest > 0) {
      c[j] += (ni * (target * std::sqrt(1 - phi * phi) - phi * rest)) / (nj * rest);
    }
    targets[i * k + j] = (1 - beta) * target + beta * phi;
  });
  if (Write(ctx, 0, {k}, w)) Write(ctx, 1, {k, k}, targets);
}

// PCGrad: core/weighting/pcgrad.ts pcgradWeights (projectConflicting per task, summed in task
// order); as the graph rule (pcGradRule.ts), a task j with G_jj = 0 is not projected on (its
// inner products are 0 for a true Gramian: the guard only keeps a division by 0 out).
void PcGradCompute(void *, TF_OpKernelContext *ctx) {
  Inputs in;
  if (!ReadInputs(ctx, in)) return;
  const int64_t k = CheckGramianAndOrders(ctx, "MtsPcGrad", in.tensors[0], in.tensors[1]);
  if (k < 0) return;
  const double *G = static_cast<const double *>(TF_TensorData(in.tensors[0]));
  const int32_t *orders = static_cast<const int32_t *>(TF_TensorData(in.tensors[1]));
  Write(ctx, 0, {k}, SumOfWalks(orders, k, [&](int64_t, int64_t j, std::vector<double> &c) {
    const double dot = InnerWith(c, G, k, j);
    if (dot < 0 && G[j * k + j] > 0) c[j] -= dot / G[j * k + j];
  }));
}

// Nash-MTL: graph/nashRule.ts's Newton steps on the scaled bargaining equation x o Cx = 1, the
// same algorithm and constants (passed in `settings`: max_norm, converged, max_alpha_gain, steps,
// prefix_steps), solved here in a loop instead of a While op. Not the core rule's bits (its
// solver is another, reciprocalSystem.ts): like the graph rule, within 1e-6 of it
// (test/unit/trainer/nashRule.test.ts runs both on the same Gramians).

// Solves A y = b in place (A row-major k x k is overwritten; b becomes y): LU with partial
// pivoting, as MatrixSolve. A = X C X + I is positive definite (C positive semidefinite plus the
// ridge), so no pivot is zero; a NaN one leaves NaNs, which the residual test turns into x = 1.
void SolveInPlace(std::vector<double> &A, std::vector<double> &b, int64_t k) {
  for (int64_t c = 0; c < k; c++) {
    int64_t pivot = c;
    for (int64_t r = c + 1; r < k; r++) {
      if (std::fabs(A[r * k + c]) > std::fabs(A[pivot * k + c])) pivot = r;
    }
    if (pivot != c) {
      for (int64_t j = 0; j < k; j++) std::swap(A[c * k + j], A[pivot * k + j]);
      std::swap(b[c], b[pivot]);
    }
    for (int64_t r = c + 1; r < k; r++) {
      const double f = A[r * k + c] / A[c * k + c];
      for (int64_t j = c; j < k; j++) A[r * k + j] -= f * A[c * k + j];
      b[r] -= f * b[c];
    }
  }
  for (int64_t r = k - 1; r >= 0; r--) {
    double s = b[r];
    for (int64_t j = r + 1; j < k; j++) s -= A[r * k + j] * b[j];
    b[r] = s / A[r * k + r];
  }
}

void NashMtlCompute(void *, TF_OpKernelContext *ctx) {
  Inputs in;
  if (!ReadInputs(ctx, in)) return;
  const TF_Tensor *Gt = in.tensors[0], *St = in.tensors[1];
  if (TF_NumDims(Gt) != 2 || TF_Dim(Gt, 0) != TF_Dim(Gt, 1) || TF_Dim(Gt, 0) < 1) {
    return Fail(ctx, "MtsNashMtl: the Gramian must be a square matrix [k, k] with k >= 1, got " + ShapeOf(Gt));
  }
  if (TF_NumDims(St) != 1 || TF_Dim(St, 0) != 5) {
    return Fail(ctx, "MtsNashMtl: the settings must be [max_norm, converged, max_alpha_gain, steps, prefix_steps], got " + ShapeOf(St));
  }
  const int64_t k = TF_Dim(Gt, 0);
  const double *G = static_cast<const double *>(TF_TensorData(Gt));
  const double *settings = static_cast<const double *>(TF_TensorData(St));
  const double maxNorm = settings[0], converged = settings[1], maxAlphaGain = settings[2];
  const int64_t steps = static_cast<int64_t>(settings[3]), prefix = static_cast<int64_t>(settings[4]);
  const double ridge = 1e-12;  // nashRule.ts RIDGE
  std::vector<double> d(k), n(k), C(k * k), x(k, 1.0), p(k), xs(k), y(k), A(k * k);
  bool anyLive = false;
  for (int64_t i = 0; i < k; i++) {
    d[i] = G[i * k + i];
    n[i] = d[i] > 0 ? std::sqrt(d[i]) : 1;
    anyLive = anyLive || d[i] > 0;
  }
  // C = D^-1 G D^-1 with 1 on a zero gradient's diagonal, the ridge on the others'.
  for (int64_t i = 0; i < k; i++) {
    for (int64_t j = 0; j < k; j++) C[i * k + j] = G[i * k + j] / (n[i] * n[j]) + (i == j ? (d[i] > 0 ? ridge : 1) : 0);
  }
  const auto withP = [&]() {
    for (int64_t i = 0; i < k; i++) {
      double s = 0;
      for (int64_t j = 0; j < k; j++) s += C[i * k + j] * x[j];
      p[i] = x[i] * s;
    }
  };
  const auto residual = [&]() {
    double m = 0;
    for (int64_t i = 0; i < k; i++) m = JsMax(m, std::fabs(p[i] - 1));
    return m;
  };
  withP();
  for (int64_t step = 0; step < steps && (step < prefix || residual() > converged); step++) {
    double q = 0;
    for (int64_t i = 0; i < k; i++) q += p[i];
    // The ray's minimiser s^2 = k / x^T C x (1 when C is not positive there), then Newton's step.
    const double s2 = q > 0 ? k / JsMax(q, 1e-6 * k) : 1;
    const double s = std::sqrt(s2);
    for (int64_t i = 0; i < k; i++) {
      xs[i] = x[i] * s;
      y[i] = p[i] * s2 - 1;
    }
    for (int64_t i = 0; i < k; i++) {
      for (int64_t j = 0; j < k; j++) A[i * k + j] = xs[i] * xs[j] * C[i * k + j] + (i == j ? 1 : 0);
    }
    SolveInPlace(A, y, k);
    for (int64_t i = 0; i < k; i++) x[i] = xs[i] * JsMin(2, JsMax(1e-6, 1 - y[i]));
    withP();
  }
  double xMax = -INFINITY;
  for (int64_t i = 0; i < k; i++) xMax = JsMax(xMax, x[i]);
  // Not converged, or past the bound: x = 1 (alpha_i = 1 / |g_i|); a zero gradient's alpha is 0.
  const bool solved = residual() <= converged && maxAlphaGain > xMax;
  std::vector<double> alpha(k);
  for (int64_t i = 0; i < k; i++) alpha[i] = d[i] > 0 ? (solved ? x[i] : 1) / n[i] : 0;
  const double norm = std::sqrt(NormSquared(alpha, G, k));
  // Scaled down to |d| <= max_norm; every gradient zero: 1 each.
  std::vector<double> w(k);
  for (int64_t i = 0; i < k; i++) w[i] = !anyLive ? 1 : maxNorm > 0 ? alpha[i] * (maxNorm / JsMax(norm, maxNorm)) : alpha[i];
  Write(ctx, 0, {k}, w);
}

// Shapes: coefficients [k] from the Gramian's first dimension when it is known (else unknown);
// GradVac's new targets have its targets' shape. A Gramian that is not a matrix fails here.
void CoefficientsShape(TF_ShapeInferenceContext *ctx, TF_Status *status, bool targets) {
  TF_ShapeHandle *gramian = TF_NewShapeHandle();
  TF_ShapeHandle *matrix = TF_NewShapeHandle();
  TF_DimensionHandle *dim = TF_NewDimensionHandle();
  TF_ShapeInferenceContextGetInput(ctx, 0, gramian, status);
  if (TF_GetCode(status) == TF_OK) TF_ShapeInferenceContextWithRank(ctx, gramian, 2, matrix, status);
  if (TF_GetCode(status) == TF_OK) {
    TF_ShapeInferenceContextDim(ctx, matrix, 0, dim);
    if (TF_DimensionHandleValueKnown(dim)) {
      TF_ShapeHandle *vector = TF_ShapeInferenceContextVectorFromSize(ctx, static_cast<size_t>(TF_DimensionHandleValue(dim)));
      TF_ShapeInferenceContextSetOutput(ctx, 0, vector, status);
      TF_DeleteShapeHandle(vector);
      if (targets && TF_GetCode(status) == TF_OK) {
        TF_ShapeHandle *input = TF_NewShapeHandle();
        TF_ShapeInferenceContextGetInput(ctx, 1, input, status);
        if (TF_GetCode(status) == TF_OK) TF_ShapeInferenceContextSetOutput(ctx, 1, input, status);
        TF_DeleteShapeHandle(input);
      }
    } else {
      TF_ShapeInferenceContextSetUnknownShape(ctx, status);
    }
  }
  TF_DeleteDimensionHandle(dim);
  TF_DeleteShapeHandle(matrix);
  TF_DeleteShapeHandle(gramian);
}
void GradVacShape(TF_ShapeInferenceContext *ctx, TF_Status *status) { CoefficientsShape(ctx, status, true); }
void PcGradShape(TF_ShapeInferenceContext *ctx, TF_Status *status) { CoefficientsShape(ctx, status, false); }
void NashMtlShape(TF_ShapeInferenceContext *ctx, TF_Status *status) { CoefficientsShape(ctx, status, false); }

/** Registers op `name` and its CPU kernel; true when both registered. */
bool Register(const char *name, const std::vector<const char *> &inputs, const std::vector<const char *> &outputs,
              void (*shape)(TF_ShapeInferenceContext *, TF_Status *), void (*compute)(void *, TF_OpKernelContext *)) {
  TF_Status *status = TF_NewStatus();
  TF_OpDefinitionBuilder *op = TF_NewOpDefinitionBuilder(name);
  for (const char *input : inputs) TF_OpDefinitionBuilderAddInput(op, input);
  for (const char *output : outputs) TF_OpDefinitionBuilderAddOutput(op, output);
  TF_OpDefinitionBuilderSetShapeInferenceFunction(op, shape);
  TF_RegisterOpDefinition(op, status);
  bool ok = TF_GetCode(status) == TF_OK;
  if (ok) {
    TF_KernelBuilder *kernel = TF_NewKernelBuilder(name, "CPU", nullptr, compute, nullptr);
    TF_RegisterKernelBuilder((std::string(name) + "Cpu").c_str(), kernel, status);
    ok = TF_GetCode(status) == TF_OK;
  }
  TF_DeleteStatus(status);
  return ok;
}

std::once_flag registered_once;
std::vector<std::string> registered;

}  // namespace

// Registers the ops once per process (TensorFlow's registries are global; a worker thread
// loading the binding again finds them there).
void MtsRegisterRuleKernels() {
  std::call_once(registered_once, [] {
    if (Register("MtsGradVac", {"gramian: double", "targets: double", "orders: int32", "beta: double"},
                 {"coefficients: double", "new_targets: double"}, GradVacShape, GradVacCompute)) {
      registered.push_back("MtsGradVac");
    }
    if (Register("MtsPcGrad", {"gramian: double", "orders: int32"}, {"coefficients: double"}, PcGradShape, PcGradCompute)) {
      registered.push_back("MtsPcGrad");
    }
    if (Register("MtsNashMtl", {"gramian: double", "settings: double"}, {"coefficients: double"}, NashMtlShape, NashMtlCompute)) {
      registered.push_back("MtsNashMtl");
    }
  });
}

// The binding's `ruleKernels()`: the names of the ops registered (the trainer uses an op only when listed).
napi_value MtsRuleKernels(napi_env env, napi_callback_info) {
  napi_value names;
  if (napi_create_array_with_length(env, registered.size(), &names) != napi_ok) return nullptr;
  for (size_t i = 0; i < registered.size(); i++) {
    napi_value name;
    if (napi_create_string_utf8(env, registered[i].c_str(), NAPI_AUTO_LENGTH, &name) != napi_ok) return nullptr;
    if (napi_set_element(env, names, static_cast<uint32_t>(i), name) != napi_ok) return nullptr;
  }
  return names;
}
