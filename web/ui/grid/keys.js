/* The validation grid's keyboard (no DOM: node-testable, tests/js/).
 *
 * The grid is a list of rows of focusable positions (a domaine's arrow row, then its item or
 * compétence rows; each row starts with its arrow button). `rowLengths[r]` is the number of
 * positions of row r. move() says where a key takes the focus, or that it activates the cell.
 */
const PAGE = 10; // rows moved by PageUp / PageDown
const ACTIVATE = new Set([" ", "Spacebar", "Enter"]);

/**
 * The result of `key` (KeyboardEvent.key; `ctrl`: Control held) at position [r, c]:
 * {to: [r, c]} to move the focus (always inside the grid: moves stop at the edges),
 * {activate: true} for Space / Enter, or null for a key the grid does not handle.
 */
function move(rowLengths, [r, c], key, ctrl) {
  const last = rowLengths.length - 1;
  switch (key) {
    case "ArrowUp": r = Math.max(0, r - 1); break;
    case "ArrowDown": r = Math.min(last, r + 1); break;
    case "ArrowLeft": c = Math.max(0, c - 1); break;
    case "ArrowRight": c += 1; break;
    case "Home": c = 0; if (ctrl) r = 0; break;
    case "End": c = rowLengths[r] - 1; if (ctrl) r = last; break;
    case "PageUp": r = Math.max(0, r - PAGE); break;
    case "PageDown": r = Math.min(last, r + PAGE); break;
    default: return ACTIVATE.has(key) ? { activate: true } : null;
  }
  return { to: [r, Math.min(c, rowLengths[r] - 1)] };
}

/** Where the focus starts: the first cell (row 1, after its arrow), else the first position. */
function first(rowLengths) {
  if (rowLengths.length > 1 && rowLengths[1] > 1) return [1, 1];
  return rowLengths.length && rowLengths[0] ? [0, 0] : null;
}

export { move, first };
