// The model's weights at its best validation epoch, kept for early stopping: the test split
// is measured and the model saved with them, not with the last epoch's (which early stopping
// has just judged worse). As Keras's EarlyStopping(restore_best_weights=True), except that
// they are restored whether or not training stopped before its last epoch.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from './backend';

export class BestWeights {
  private kept: TF.Tensor[] | undefined;
  /** Epoch whose weights are kept. */
  epoch: number | undefined;

  constructor(private readonly tf: Tf, private readonly model: TF.LayersModel) {}

  /** Keeps the current weights (every weight, moving statistics included) as those of `epoch`. */
  keep(epoch: number): void {
    this.dispose();
    // A clone shares the variable's buffer until the next step assigns a new one: no copy now.
    this.kept = this.model.weights.map((w) => this.tf.keep(this.tf.clone(w.read())));
    this.epoch = epoch;
  }

  /** Puts the kept weights back; returns their epoch, or undefined when none were kept. */
  restore(): number | undefined {
    if (!this.kept) return undefined;
    this.model.setWeights(this.kept);
    return this.epoch;
  }

  dispose(): void {
    if (this.kept) this.tf.dispose(this.kept);
    this.kept = undefined;
  }
}
