/**
 * Lines for a writer, gathered into chunks of about 64 KB: a long run's log reaches stdout as the
 * run goes (flush() at each slice of simulated time, and whenever a chunk fills) without one write
 * per line.
 */
export class LineBuffer {
  private parts: string[] = [];
  private chars = 0;
  constructor(private readonly out: { write(s: string): unknown }) {}

  line(s: string): void {
    this.parts.push(s, '\n');
    this.chars += s.length + 1;
    if (this.chars >= 1 << 16) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.out.write(this.parts.join(''));
    this.parts = [];
    this.chars = 0;
  }
}
