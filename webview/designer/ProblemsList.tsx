// Every problem of the document in one list; choosing one selects its node or opens the
// field it is about, and "Text" shows it in the text editor.
import { formatPath } from '../../src/core/wording';
import { useDesigner } from './context';
import { QuickFixButton } from './QuickFix';

export function ProblemsList(p: { open: boolean; setOpen(open: boolean): void }) {
  const d = useDesigner();
  // Errors first: they are what stands between the user and training.
  const problems = [...d.model.problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = problems.filter((x) => x.severity === 'error').length;
  const warnings = problems.length - errors;
  const counts = problems.length === 0 ? 'no problems' : [errors && `${errors} error${errors === 1 ? '' : 's'}`, warnings && `${warnings} warning${warnings === 1 ? '' : 's'}`].filter(Boolean).join(', ');
  // Text that is not JSON shows the last valid version: "No problems" beside the banner's error would contradict it.
  const summary = d.readOnly ? `Last valid version: ${counts}` : counts.charAt(0).toUpperCase() + counts.slice(1);
  return (
    <section className={`problems${p.open ? ' open' : ''}`} aria-label="Problems">
      <button type="button" className="problems-toggle" aria-expanded={p.open} onClick={() => p.setOpen(!p.open)} disabled={problems.length === 0}>
        <span aria-hidden="true">{p.open && problems.length ? '▾' : '▸'}</span>
        <span className={errors ? 'error-text' : warnings ? 'warning-text' : 'ok-text'}>{summary}</span>
      </button>
      {p.open && problems.length > 0 && (
        <ul className="problem-list">
          {problems.map((x, i) => (
            <li key={i} className={x.severity}>
              <button type="button" className="problem-item" onClick={() => d.goTo(x.path)} title="Select what this is about">
                <span className="sev" aria-label={x.severity}>{x.severity === 'error' ? '⊘' : '⚠'}</span>
                <span className="msg">{x.message}</span>
                <span className="where">{formatPath(x.path)}</span>
              </button>
              {x.fix && <QuickFixButton fix={x.fix} />}
              <button type="button" className="link-button" onClick={() => d.revealText(x.path)} aria-label={`Show ${formatPath(x.path)} in the text`}>Text</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
