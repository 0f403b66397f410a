// On a phone a table becomes a stack of cards, one per row, each value under its column's name (tables.css,
// below 600 px). CSS cannot read a header's text into a cell, so every <td> gets `data-label` with its column's
// header text. Done here once for every table, present and future, instead of a `data-label` by hand on each cell
// of every table component (which a new column would forget). Preact leaves attributes it does not manage alone.

function labelTable(table: HTMLTableElement): void {
  const headerRow = table.tHead?.rows[0];
  if (!headerRow) return;
  // Column positions, counting colspans, so a wide header still names the cells below it.
  const names: string[] = [];
  for (const th of headerRow.cells) {
    const name = th.textContent?.replace(/[▲▼]/g, '').trim() ?? '';
    for (let i = 0; i < th.colSpan; i++) names.push(name);
  }
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      let column = 0;
      for (const cell of row.cells) {
        const name = names[column] ?? '';
        if (cell.dataset.label !== name) cell.dataset.label = name;
        column += cell.colSpan;
      }
    }
  }
}

/** Labels every table's cells now and whenever rows change (a new page, a live update). */
export function startCellLabels(root: HTMLElement = document.body): void {
  let isQueued = false;
  const labelAll = () => {
    isQueued = false;
    for (const table of root.querySelectorAll('table')) labelTable(table);
  };
  // Batched per frame: a live update changes many nodes at once. Our own attribute writes are not childList
  // changes, so they do not call this again.
  new MutationObserver(() => {
    if (isQueued) return;
    isQueued = true;
    requestAnimationFrame(labelAll);
  }).observe(root, { childList: true, subtree: true, characterData: true });
  labelAll();
}
