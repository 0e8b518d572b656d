// The extension loads in a real VS Code and its host reaches the training backend:
// F1 → "Multi-Task Studio: Show environment" → the "Multi-Task Studio" output channel
// names the TensorFlow.js backend the trainer would use.
export default {
  name: 'extension activates and shows the environment',
  workspace: 'demo',
  async run(s) {
    await s.runCommand('Multi-Task Studio: Show environment');
    const line = await s.waitForOutput(/backend: (tensorflow|wasm|cpu)\b/, { channel: 'Multi-Task Studio' });
    console.log(`    ${line.trim()}`);
    await s.screenshot('environment-output');
  },
};
