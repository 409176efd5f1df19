// Offsets to rows and columns, by binary search over the line starts: built
// once per file, instead of counting newlines for every finding.

export interface Position {
  row: number;
  column: number;
}

/** Offsets of line starts, to turn an offset into a row and column without asking the tree. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: offset - this.starts[lo]! };
  }

  /** The 1-based line and column of an offset, as findings report them. */
  lineColumn(offset: number): { line: number; column: number } {
    const p = this.position(offset);
    return { line: p.row + 1, column: p.column + 1 };
  }
}
