// The button of a problem that carries its fix ("Set shape to [13]"): one designer edit like
// any other (the host applies it to the text, so it is one undo step).
import type { ProblemFix } from '../../src/core/spec';
import { useDesigner } from './context';
import { applyFix } from './operations';

export function QuickFixButton({ fix }: { fix: ProblemFix }) {
  const d = useDesigner();
  return (
    <button type="button" className="quick-fix" disabled={d.readOnly} onClick={() => d.edit(applyFix(fix))} title="Quick fix: edits the document (undo restores it)">
      {fix.label}
    </button>
  );
}
