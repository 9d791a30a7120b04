/**
 * `cairn` as a separate process (`deno run -A main.ts ...`), for tests of the
 * command line, signals and exit codes. Its output is collected as it comes.
 *
 * Give it `--port 0`: the system then picks a port nobody else can take
 * first, and {@link CairnProcess.port} reads it from the startup line.
 *
 * @module
 */

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A running `cairn` process and what it has written so far. */
export class CairnProcess {
  readonly #child: Deno.ChildProcess;
  /** Its standard output so far (the log, unless `logfile` is set). */
  stdout = "";
  /** Its standard error so far. */
  stderr = "";
  /** Both, in the order they arrived. */
  output = "";
  readonly #done: Promise<void>;
  #waiters: (() => void)[] = [];

  /** Starts `main.ts` with `args`; `stdin` is written to its standard input. */
  constructor(args: string[], options: { stdin?: string; cwd?: string } = {}) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, ...args],
      cwd: options.cwd,
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (options.stdin !== undefined) {
      const writer = this.#child.stdin.getWriter();
      void writer.write(new TextEncoder().encode(options.stdin)).then(() => writer.close());
    }
    this.#done = Promise.all([
      this.#collect(this.#child.stdout, (t) => (this.stdout += t)),
      this.#collect(this.#child.stderr, (t) => (this.stderr += t)),
    ]).then(() => {});
  }

  /** `cairn --port 0 --dir <dir> ...args`: a server with its data in `dir`, on its own port. */
  static inDir(dir: string, args: string[]): CairnProcess {
    return new CairnProcess(["--port", "0", "--dir", dir, ...args]);
  }

  async #collect(stream: ReadableStream<Uint8Array>, add: (text: string) => void) {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      const text = decoder.decode(chunk, { stream: true });
      add(text);
      this.output += text;
      for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  /** Resolves once the output after offset `from` contains `text`; throws if it ends first. */
  async waitFor(text: string, from = 0): Promise<void> {
    let ended = false;
    const done = this.#done.then(() => (ended = true));
    while (!this.output.includes(text, from)) {
      if (ended) throw new Error(`process ended without "${text}":\n${this.output}`);
      await Promise.race([new Promise<void>((r) => this.#waiters.push(r)), done]);
    }
  }

  /** The port it listens on, from its startup line (once that is logged). */
  get port(): number {
    const found = this.output.match(/running in standalone mode, Port: (\d+),/);
    if (found === null) throw new Error(`no port logged yet:\n${this.output}`);
    return Number(found[1]);
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** Sends `signal` unless the process has ended already. */
  kill(signal: "SIGTERM" | "SIGINT" | "SIGKILL"): void {
    try {
      this.#child.kill(signal);
    } catch {
      // already gone: the assertions on its output say why
    }
  }

  /** Waits for the process to end and its output to be read; returns its exit code. */
  async exitCode(): Promise<number> {
    const status = await this.#child.status;
    await this.#done;
    return status.code;
  }
}
