// A progress bar on stderr: redrawn in place on a terminal, a handful of plain lines otherwise
// (CI logs and test runners should not get thousands of lines).

const WIDTH = 30;
const REDRAW_EVERY_MS = 100;

export class Progress {
  constructor(stream = process.stderr) {
    this.stream = stream;
    this.tty = Boolean(stream.isTTY);
    this.total = 0;
    this.done = 0;
    this.phase = '';
    this.lastDraw = 0;
    this.lastQuarter = -1;
    this.t0 = Date.now();
  }

  /** Adds planned units of work (the plan grows as steps are known). */
  plan(units) {
    this.total += units;
    this.draw(true);
  }

  /** Names what is being done now; a new phase is always shown. */
  step(phase) {
    this.phase = phase;
    if (!this.tty) this.line();
    this.draw(true);
  }

  tick(units = 1) {
    this.done += units;
    this.draw(false);
  }

  /** Prints a message above the bar without garbling it. */
  note(message) {
    if (this.tty) this.stream.write('\r\x1b[2K');
    this.stream.write(`${message}\n`);
    this.draw(true);
  }

  finish() {
    this.done = Math.max(this.done, this.total);
    if (this.tty) {
      this.draw(true);
      this.stream.write('\n');
    } else {
      this.line();
    }
  }

  get fraction() {
    return this.total === 0 ? 0 : Math.min(1, this.done / this.total);
  }

  line() {
    const seconds = ((Date.now() - this.t0) / 1000).toFixed(1);
    this.stream.write(`demo: ${Math.round(this.fraction * 100)}% (${this.done}/${this.total}) ${this.phase} [${seconds} s]\n`);
  }

  draw(force) {
    if (!this.tty) {
      // Plain output: one line per quarter, besides the phase lines.
      const quarter = Math.floor(this.fraction * 4);
      if (quarter > this.lastQuarter && this.total > 0) {
        if (this.lastQuarter >= 0 && quarter < 4) this.line();
        this.lastQuarter = quarter;
      }
      return;
    }
    const now = Date.now();
    if (!force && now - this.lastDraw < REDRAW_EVERY_MS) return;
    this.lastDraw = now;
    const filled = Math.round(this.fraction * WIDTH);
    const bar = '#'.repeat(filled) + '-'.repeat(WIDTH - filled);
    const seconds = ((now - this.t0) / 1000).toFixed(0);
    const text = `[${bar}] ${String(Math.round(this.fraction * 100)).padStart(3)}% ${this.done}/${this.total} ${seconds}s ${this.phase}`;
    const columns = this.stream.columns || 100;
    this.stream.write(`\r\x1b[2K${text.slice(0, columns - 1)}`);
  }
}
