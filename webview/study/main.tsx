// Entry of the study view (a study folder's study.json: table, Δm intervals, task scatter).
import { createRoot } from 'react-dom/client';
import { App } from './App';
import '../common/page.css';
import './study.css';

createRoot(document.getElementById('root')!).render(<App />);
