/** A progress line on stderr: redrawn in place on a terminal, every 10% otherwise (CI logs). */
export class Progress {
  private lastTenth = -1;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    const share = this.total > 0 ? Math.min(1, done / this.total) : 1;
    if (this.tty) {
      const width = 30;
      const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
      process.stderr.write(`\r${this.label} [${bar}] ${(share * 100).toFixed(0)}% ${done}/${this.total}`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      process.stderr.write(`${this.label} ${tenth * 10}% (${done}/${this.total})\n`);
    }
  }

  done(): void {
    this.update(this.total);
    if (this.tty) process.stderr.write('\n');
  }
}
