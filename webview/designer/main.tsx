// Entry of the designer webview: reads the initial document embedded by the host and
// mounts the app.
import '@xyflow/react/dist/style.css';
import './designer.css';
import { ReactFlowProvider } from '@xyflow/react';
import { createRoot } from 'react-dom/client';
import type { DesignerInit } from '../../src/core/designerProtocol';
import { App } from './App';

const init = JSON.parse(document.getElementById('initial-data')?.textContent ?? '{}') as DesignerInit;

createRoot(document.getElementById('root')!).render(
  <ReactFlowProvider>
    <App init={init} />
  </ReactFlowProvider>,
);
