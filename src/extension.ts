// activate(): wires the host parts together; nothing else. No TensorFlow here: training
// and backend checks run in the forked trainer process.
import type * as vscode from 'vscode';
import { registerDesigner } from './host/designer/index';
import { registerDiagram } from './host/diagram/index';
import { registerEnvironment } from './host/environment/index';
import { registerExport } from './host/export/index';
import { registerNewExperiment } from './host/newExperiment/index';
import { registerRunsView } from './host/runs/index';
import { registerStudies } from './host/study/index';
import { registerTraining } from './host/training/index';

export function activate(context: vscode.ExtensionContext): void {
  registerDesigner(context);
  registerTraining(context);
  registerRunsView(context);
  registerDiagram(context);
  registerEnvironment(context);
  registerNewExperiment(context);
  registerStudies(context);
  registerExport(context);
}

export function deactivate(): void {
  // Sessions dispose their trainer processes through context.subscriptions.
}
