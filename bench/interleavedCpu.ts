// CPU time per call of several variants, interleaved in rounds (the machine is shared: CPU time of
// this process, not wall time; each variant warmed up first), printed as a median and every round.
import os from 'node:os';

export function interleavedCpu(names: readonly string[], run: (name: string, k: number) => void, rounds: number, calls: number, extra: (name: string) => string = () => ''): void {
  const cpu = new Map(names.map((n) => [n, [] as number[]]));
  for (const n of names) for (let k = 0; k < 20; k++) run(n, k);
  for (let r = 0; r < rounds; r++) for (const n of names) {
    const start = process.cpuUsage();
    for (let k = 0; k < calls; k++) run(n, k);
    const c = process.cpuUsage(start);
    cpu.get(n)!.push((c.user + c.system) / calls);
  }
  console.log(`load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; CPU us per call: median [each of ${rounds} rounds of ${calls} calls]`);
  const width = Math.max(...names.map((n) => n.length)) + 1;
  for (const n of names) {
    const s = cpu.get(n)!.sort((a, b) => a - b);
    console.log(`${n.padEnd(width)} ${s[Math.floor(s.length / 2)]!.toFixed(0).padStart(6)}  [${s.map((x) => x.toFixed(0)).join(' ')}]${extra(n)}`);
  }
}
