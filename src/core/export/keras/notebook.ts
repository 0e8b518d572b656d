// The Jupyter notebook of an export (nbformat 4 JSON, written by us): loads the exported
// package, trains it or loads the run's weights, and plots each task's curves.

const code = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: lines(source) });
const markdown = (source: string) => ({ cell_type: 'markdown', metadata: {}, source: lines(source) });
/** nbformat keeps a cell's source as lines, each but the last with its newline. */
const lines = (text: string): string[] => text.split('\n').map((l, i, all) => (i < all.length - 1 ? `${l}\n` : l));

export interface NotebookOptions {
  /** The package's folder name, beside the notebook. */
  packageName: string;
  experimentName: string;
  /** The export holds a run's trained weights. */
  hasWeights: boolean;
  /** What train.py does differently from the product (kerasExportNotes), said under the title. */
  notes?: readonly string[];
}

export function notebookJson(o: NotebookOptions): string {
  const cells = [
    markdown(`# ${o.experimentName}\nExported from Multi-Task Studio: the experiment as a Keras 3 package (\`${o.packageName}/\`). ` +
      `Run the cells in order; the package needs \`keras\`, \`tensorflow\` and \`numpy\` (\`matplotlib\` for the plots).` +
      (o.notes ?? []).map((n) => `\n\n**Note:** ${n}`).join('')),
    code(`import json\nimport sys\nfrom pathlib import Path\n\nsys.path.insert(0, str(Path.cwd()))\nfrom ${o.packageName} import data, model as model_py, train\n` +
      `\nsplits = data.load_splits()\nfor part, (x, y) in splits.items():\n    print(part, {k: v.shape for k, v in x.items()}, {k: v.shape for k, v in y.items()})`),
    ...(o.hasWeights ? [
      markdown('## The run\'s trained model\nThe weights the product trained, read from its TensorFlow.js files (no converter).'),
      code(`from ${o.packageName}.losses import task_metrics\nfrom ${o.packageName}.weights import load_run_weights\n\n` +
        `network = model_py.build_model()\nload_run_weights(network, Path("${o.packageName}") / "weights")\ntest_x, test_y = splits["test"]\n` +
        `predictions = network.predict(test_x, verbose=0)\nfor task in model_py.TASKS:\n    print(task["id"], task_metrics(task, test_y[task["id"]], predictions[task["id"]]))`),
    ] : []),
    markdown('## Train in Keras\nWith the experiment\'s settings (fewer epochs here: change `epochs`). `train.py` runs the same from a shell, also on several workers.'),
    code('model, history, test_metrics, _ = train.fit_experiment(epochs=3, verbose=2)\nprint(json.dumps(test_metrics, indent=1))'),
    markdown('## Curves per task'),
    code('try:\n    import matplotlib.pyplot as plt\nexcept ImportError:\n    plt = None\n    print("matplotlib is not installed: pip install matplotlib to see the curves. The numbers:", json.dumps(history))\n' +
      'if plt is not None:\n    tasks = [t["id"] for t in model_py.TASKS]\n    fig, axes = plt.subplots(1, len(tasks) + 1, figsize=(4 * (len(tasks) + 1), 3))\n' +
      '    for ax, key in zip(axes, ["loss"] + [f"{t}_loss" for t in tasks]):\n        ax.plot(range(1, len(history[key]) + 1), history[key], marker="o")\n' +
      '        ax.set_title(key)\n        ax.set_xlabel("epoch")\n    plt.tight_layout()\n    plt.show()'),
  ];
  return `${JSON.stringify({
    cells,
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4, nbformat_minor: 5,
  }, null, 1)}\n`;
}
