// What a task predicts. Its own module so that the weighting methods (which spec.ts's
// WeightingSpec is made from) can name it without importing spec.ts back.
export type TaskKind = 'multiclass' | 'binary' | 'regression';
