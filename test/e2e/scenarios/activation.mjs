// The extension loads in a real VS Code and its host reaches the training backend:
// F1 → "Multi-Task Studio: Show environment" → the "Multi-Task Studio" output channel
// names the backend the trainer loads: native TensorFlow (a fall-back to wasm fails).
export default {
  name: 'extension activates and shows the environment',
  workspace: 'demo',
  async run(s) {
    await s.runCommand('Multi-Task Studio: Show environment');
    const line = await s.waitForOutput(/backend: tensorflow\b/, { channel: 'Multi-Task Studio' });
    console.log(`    ${line.trim()}`);
    await s.screenshot('environment-output');
  },
};
