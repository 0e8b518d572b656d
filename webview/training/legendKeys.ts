// A uPlot legend a keyboard works: uPlot toggles a curve when its legend entry is clicked, and
// that entry (a table header cell) was no Tab stop. Each entry becomes a checkbox (checked: the
// curve is drawn) that Space or Enter toggles, and its state follows every toggle, the mouse's too.
import type uPlot from 'uplot';

/** The legend entry (th) of each series but the x one, by series index. */
function entries(u: uPlot): Map<number, HTMLElement> {
  const found = new Map<number, HTMLElement>();
  u.root.querySelectorAll<HTMLTableRowElement>('.u-legend tr.u-series').forEach((row, i) => {
    const th = row.querySelector('th');
    if (i > 0 && th) found.set(i, th);
  });
  return found;
}

export function legendKeys(): uPlot.Plugin {
  const sync = (u: uPlot): void => {
    for (const [i, th] of entries(u)) th.setAttribute('aria-checked', String(u.series[i]!.show !== false));
  };
  return {
    hooks: {
      init: [(u) => {
        for (const [i, th] of entries(u)) {
          th.setAttribute('role', 'checkbox');
          th.tabIndex = 0;
          th.addEventListener('keydown', (e) => {
            if (e.key !== ' ' && e.key !== 'Enter') return;
            e.preventDefault(); // Space would scroll the page
            u.setSeries(i, { show: u.series[i]!.show === false });
          });
        }
        sync(u);
      }],
      setSeries: [(u) => sync(u)],
    },
  };
}
