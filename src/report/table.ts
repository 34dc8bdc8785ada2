import { terminalSafe } from './text-safety.js';

/** A cell: numbers are formatted with thousands separators and right-aligned by default. */
export type Cell = string | number;
export type Align = 'left' | 'right';

/** Cells longer than this are cut, so one long host or excerpt cannot blow up the layout. */
export const MAX_CELL_WIDTH = 60;

/** Thousands separators, fixed locale so output does not depend on the machine. */
export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

/** Width in code points: a surrogate pair (emoji, rare CJK) is one column, not two. */
export function textWidth(text: string): number {
  // Pure ASCII/BMP text (the common case) needs no iteration.
  return /[\ud800-\udfff]/.test(text) ? [...text].length : text.length;
}

/** Cut to `max` code points, the last one an ellipsis; never splits a surrogate pair. */
export function truncate(text: string, max = MAX_CELL_WIDTH): string {
  if (textWidth(text) <= max) return text;
  return [...text].slice(0, max - 1).join('') + '…';
}

function cellText(cell: Cell): string {
  // Escaping happens here, before measuring, so the widths are those of what is printed and no
  // caller can forget it: log values must never reach the terminal raw.
  return truncate(typeof cell === 'number' ? formatNumber(cell) : terminalSafe(cell));
}

/**
 * Renders an aligned plain-text table: header, dashed rule, rows, two spaces between columns.
 * Every line is padded to the same width. Columns whose cells are all numbers are right-aligned
 * unless `align` says otherwise. Returns "(none)" when there are no rows.
 */
export function table(headers: string[], rows: Cell[][], align: Align[] = []): string {
  if (rows.length === 0) return '(none)';
  const cols = headers.length;
  const body = rows.map((row) => headers.map((_, i) => cellText(row[i] ?? '')));
  const head = headers.map((h) => cellText(h));
  // A reduce, not a spread: a table can have more rows than a call takes arguments.
  const widths = head.map((h, i) => body.reduce((w, r) => Math.max(w, textWidth(r[i] ?? '')), textWidth(h)));
  const aligns: Align[] = headers.map(
    (_, i) => align[i] ?? (rows.every((r) => typeof r[i] === 'number') ? 'right' : 'left'),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - textWidth(c));
        return aligns[i] === 'right' ? pad + c : c + pad;
      })
      .join('  ');
  const rule = widths.slice(0, cols).map((w) => '-'.repeat(w));
  return [line(head), rule.join('  '), ...body.map(line)].join('\n');
}

/** Indents every line of a block (tables sit under their section title). */
export function indent(block: string, prefix = '  '): string {
  return block
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
