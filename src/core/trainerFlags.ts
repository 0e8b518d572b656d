// Node flags of every trainer process: the extension's fork (host/trainerProcess.ts), the
// child of `mts train` (trainer/trainSupervisor.ts), and the benches that measure them.
//
// --max-semi-space-size (MB): V8 lets its young generation grow to two semi-spaces of 16 MB
// while a large CSV is parsed, and never gives them back; with 4 MB a run holds about 20 MB
// less for the whole of loading and training (npm run bench:data: a million rows), at the same
// CPU time (the trainer's young objects die young: a scavenge copies few of them).
export const TRAINER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

// Environment of every trainer process (the same three starters), under the starter's own
// environment (a user's setting wins). glibc's malloc raises its mmap threshold to the size of
// any mmapped block it frees (up to 32 MB): once a run lets go of its host copy of the data
// (30 MB for digits-parity), every later allocation under that size comes from malloc's heaps,
// and what they free stays resident for the rest of the run, phase after phase. A fixed
// threshold (setting it also stops the raising) gives blocks above it back as they are freed.
// 1 MB keeps a batch of 256 rows of 784 floats (800 KB, allocated every step) in the heaps: at
// 128 KB every such step maps and faults in fresh pages, and the fused dense step at batch 256
// took twice the CPU time. Measured on digits-parity (bench/memoryStages.ts, 2026-11-30, TensorFlow
// without oneDNN: trainer/oneDnn.ts): peak +74 MB over the TensorFlow-loaded baseline without
// it, +62 with 1 MB, +60 with 128 KB.
export const TRAINER_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '1048576' };
