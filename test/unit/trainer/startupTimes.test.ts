// The run's start-up line: each stage's end once (a later phase does not move it), in the
// order of a run, and read back by bench/startup.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StartupTimes, parseStartupCpu, parseStartupLine, parseStartupMemory } from '../../../src/trainer/startupTimes';

test('marks are kept the first time, printed in seconds in the order of a run, and parsed back', () => {
  const clock = [120, 150, 900, 1400, 1420, 1500, 1650, 9999];
  const memory = [60.2, 61, 390.6, 425, 457, 458, 470, 999];
  const cpu = [0.31, 0.33, 0.71, 0.9, 0.93, 0.95, 1.03, 9];
  const s = new StartupTimes(() => clock.shift()!, () => memory.shift()!, () => cpu.shift()!);
  s.mark('checked');
  s.mark('tensorflow');
  s.mark('data');
  s.mark('device');
  s.mark('model');
  s.mark('firstStep');
  s.mark('device'); // a baseline's phase passes here again: not moved
  const line = s.line();
  assert.equal(line, 'start-up, seconds since the trainer process started: start message 0.120, document checked 0.150, TensorFlow loaded 0.900, '
    + 'data loaded 1.400, inputs on the device 1.420, model built 1.500, first step done 1.650; peak resident memory by then, MB: start message 60, '
    + 'document checked 61, TensorFlow loaded 391, data loaded 425, inputs on the device 457, model built 458, first step done 470; CPU seconds by then: '
    + 'start message 0.310, document checked 0.330, TensorFlow loaded 0.710, data loaded 0.900, inputs on the device 0.930, model built 0.950, first step done 1.030');
  assert.deepEqual(parseStartupLine(`[digits-parity] ${line}`), { message: 0.12, checked: 0.15, tensorflow: 0.9, data: 1.4, device: 1.42, model: 1.5, firstStep: 1.65 });
  assert.equal(parseStartupLine('memory: 12 MB'), undefined);
  assert.deepEqual(parseStartupMemory(line), { message: 60, checked: 61, tensorflow: 391, data: 425, device: 457, model: 458, firstStep: 470 });
  assert.equal(parseStartupMemory('memory: 12 MB; peak resident memory by then, MB: data loaded 3'), undefined);
  assert.deepEqual(parseStartupCpu(line), { message: 0.31, checked: 0.33, tensorflow: 0.71, data: 0.9, device: 0.93, model: 0.95, firstStep: 1.03 });
  // A line from before memory was added still gives its times.
  assert.deepEqual(parseStartupLine(line.slice(0, line.indexOf(';'))), parseStartupLine(line));
  assert.equal(parseStartupMemory(line.slice(0, line.indexOf(';'))), undefined);
  // And one from before CPU times were added still gives its memory.
  assert.deepEqual(parseStartupMemory(line.slice(0, line.indexOf('; CPU'))), parseStartupMemory(line));
  assert.equal(parseStartupCpu(line.slice(0, line.indexOf('; CPU'))), undefined);
});
