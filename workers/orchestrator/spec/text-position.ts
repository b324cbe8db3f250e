/** Converts UTF-16 offsets of a text into 1-based line/column pairs. */

export interface SourcePosition {
  line: number;
  column: number;
}

/** Offsets of the first character of every line, built once per text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    let i = text.indexOf("\n");
    while (i >= 0) {
      this.starts.push(i + 1);
      i = text.indexOf("\n", i + 1);
    }
  }

  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

/** Maps JSON pointers to places in the source text; misses fall back to the nearest ancestor. */
export interface SourceLocator {
  locate(pointers: readonly string[]): Map<string, SourcePosition>;
}

export const NO_LOCATOR: SourceLocator = { locate: () => new Map() };
