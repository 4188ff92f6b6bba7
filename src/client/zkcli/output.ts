// A Java PrintStream over a line sink. println() may carry embedded newlines (node data often does);
// print() without a newline is held until the next println or flush(), so `out.print(a)` followed
// by `out.println(b)` shows "ab" on one line as in a terminal.

const MAX_PENDING_CHARS = 1 << 20;

export class Output {
  private pending = '';
  constructor(private readonly sink: (line: string) => void) {}

  println(text = ''): void {
    this.emit(this.pending + text);
    this.pending = '';
  }

  print(text: string): void {
    this.pending += text;
    // A runaway partial line is shown rather than buffered without bound.
    if (this.pending.length > MAX_PENDING_CHARS) this.flush();
  }

  /** Ends a pending partial line (the host is about to show its prompt). */
  flush(): void {
    if (this.pending !== '') this.println();
  }

  private emit(text: string): void {
    for (const line of text.split('\n')) this.sink(line);
  }
}
