// The data preview's warning for a column that mixes numbers and text (read as categories
// unless told otherwise), with the two readings as buttons. Each sets data.source.columnTypes
// for that column: an ordinary designer edit, so undo restores it; the changed data settings
// then make the preview stale and the next summary reads the column as declared.
import { positionWord, type MixedColumn } from '../../src/core/dataSummary';
import type { ColumnType } from '../../src/core/spec';
import { Button } from '../ui';
import { useDesigner } from './context';
import { isObject } from './model';
import { setColumnType } from './operations';

const count = (n: number): string => n.toLocaleString('en-US');

/** Columns whose type the document already declares are decided: no choice is offered for them. */
function declaredTypes(doc: Record<string, unknown>): Record<string, unknown> {
  const source = isObject(doc.data) && isObject(doc.data.source) ? doc.data.source : {};
  return isObject(source.columnTypes) ? source.columnTypes : {};
}

/** `stale`: the summary is of other data settings (another file, say), so its columns are not offered for editing. */
export function MixedColumns({ columns, stale }: { columns: MixedColumn[]; stale: boolean }) {
  const d = useDesigner();
  const declared = declaredTypes(d.model.doc);
  const open = columns.filter((m) => !Object.hasOwn(declared, m.column));
  if (open.length === 0) return null;
  const choose = (m: MixedColumn, type: ColumnType) => d.edit(setColumnType(d.model.doc, m.column, type));
  return (
    <>
      {open.map((m) => (
        <div key={m.column} className="mixed-column" role="note" data-testid={`mixed-${m.column}`}>
          <p>
            Column <b>{m.column}</b> mixes numbers ({count(m.numbers)} cells) and text ({count(m.text)} cells,
            e.g. {m.examples.map((v) => `'${v}'`).join(', ')} on {positionWord(m.unit ?? 'line', m.lines.length)} {m.lines.join(', ')}),
            so it is read as categories (one-hot).
          </p>
          <div className="mixed-column-actions">
            <Button appearance="secondary" disabled={d.readOnly || stale} onClick={() => choose(m, 'numeric')}
              title={`Sets data.source.columnTypes.${m.column} to "numeric": the text cells become missing values`}>Read as numbers (text → missing)</Button>
            <Button appearance="secondary" disabled={d.readOnly || stale} onClick={() => choose(m, 'categorical')}
              title={`Sets data.source.columnTypes.${m.column} to "categorical": one feature per value, as now`}>Keep as categories</Button>
          </div>
        </div>
      ))}
    </>
  );
}
