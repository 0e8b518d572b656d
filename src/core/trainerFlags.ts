// Node flags of every trainer process: the extension's fork (host/trainerProcess.ts), the
// child of `mts train` (trainer/trainSupervisor.ts), and the benches that measure them.
//
// --max-semi-space-size (MB): V8 lets its young generation grow to two semi-spaces of 16 MB
// while a large CSV is parsed, and never gives them back; with 4 MB a run holds about 20 MB
// less for the whole of loading and training (npm run bench:data: a million rows), at the same
// CPU time (the trainer's young objects die young: a scavenge copies few of them).
export const TRAINER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
