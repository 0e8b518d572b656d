// The spec's activations as ONNX nodes, computing what tfjs-layers computes for each name
// (tfjs-layers/src/activations.ts): gelu is the exact erf form, softmax is over the last
// axis, swish is x * sigmoid(x), selu uses TensorFlow's constants.
import type { Activation } from '../../../core/spec';
import type { OnnxBuilder } from './builder';

// tfjs-core/src/ops/selu_util.ts: SELU_SCALEALPHA = scale * alpha.
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.7580993408473768 / SELU_SCALE;

/** `x` through `activation`; `scope` names the nodes (the layer's id). */
export function activate(b: OnnxBuilder, scope: string, x: string, activation: Activation): string {
  switch (activation) {
    case 'linear': return x;
    case 'relu': return b.op(scope, 'Relu', [x]);
    case 'elu': return b.op(scope, 'Elu', [x], { alpha: { float: 1 } });
    case 'selu': return b.op(scope, 'Selu', [x], { alpha: { float: SELU_ALPHA }, gamma: { float: SELU_SCALE } });
    case 'sigmoid': return b.op(scope, 'Sigmoid', [x]);
    case 'tanh': return b.op(scope, 'Tanh', [x]);
    case 'softmax': return b.op(scope, 'Softmax', [x], { axis: -1 });
    case 'softplus': return b.op(scope, 'Softplus', [x]);
    case 'softsign': return b.op(scope, 'Softsign', [x]);
    case 'swish': return b.op(scope, 'Mul', [x, b.op(scope, 'Sigmoid', [x])]);
    case 'gelu': {
      // x * 0.5 * (1 + erf(x / sqrt 2)); the Gelu op is opset 20, later than ours.
      const erf = b.op(scope, 'Erf', [b.op(scope, 'Div', [x, b.floats(`${scope}/sqrt2`, [], [Math.SQRT2])])]);
      const cdf = b.op(scope, 'Mul', [b.op(scope, 'Add', [erf, b.floats(`${scope}/one`, [], [1])]), b.floats(`${scope}/half`, [], [0.5])]);
      return b.op(scope, 'Mul', [x, cdf]);
    }
  }
}

/**
 * The name of `activation` among the ONNX recurrent ops' activations, with its alpha and beta
 * (HardSigmoid is tfjs' default recurrent activation: clip(0.2 x + 0.5, 0, 1)); undefined
 * when those ops have no such activation.
 */
export function recurrentActivation(activation: Activation | 'hardSigmoid'): { name: string; alpha: number; beta: number } | undefined {
  switch (activation) {
    case 'hardSigmoid': return { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 };
    case 'tanh': return { name: 'Tanh', alpha: 0, beta: 0 };
    case 'sigmoid': return { name: 'Sigmoid', alpha: 0, beta: 0 };
    case 'relu': return { name: 'Relu', alpha: 0, beta: 0 };
    case 'elu': return { name: 'Elu', alpha: 1, beta: 0 };
    case 'softsign': return { name: 'Softsign', alpha: 0, beta: 0 };
    case 'softplus': return { name: 'Softplus', alpha: 0, beta: 0 };
    case 'linear': return { name: 'Affine', alpha: 1, beta: 0 };
    default: return undefined;
  }
}
