// Entry of the shared-weight diagram webview.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import '../common/page.css';
import './diagram.css';

createRoot(document.getElementById('root')!).render(<App />);
