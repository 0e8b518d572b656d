// Entry of the training panel webview.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './training.css';

createRoot(document.getElementById('root')!).render(<App />);
