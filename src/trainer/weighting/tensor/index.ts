// Weighting methods that need tensors inside the gradient tape (learned variables) or per
// coordinate of the gradients: their descriptions are in src/core/weighting/ like every
// method's, with `engine: 'tensor'`; their implementations are listed here by id.
import type { TensorMethodFactory } from './types';
import { graddropWeighting } from './graddrop';
import { uncertaintyWeighting } from './uncertainty';

export type { TensorMethodFactory, TensorWeighting } from './types';

export const TENSOR_METHODS: Record<string, TensorMethodFactory> = {
  uncertainty: (tf, tasks) => uncertaintyWeighting(tf, tasks),
  graddrop: (tf, _tasks, params) => graddropWeighting(tf, params),
};
