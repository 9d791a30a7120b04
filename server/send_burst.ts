/**
 * Replies go out in one burst per turn of the event loop, after every
 * connection that received input in that turn has run its commands.
 *
 * Redis works this way: it runs the commands of all the clients whose
 * sockets were ready, and only then writes all their replies (in
 * `beforeSleep`). Cairn used to write each connection's replies as soon as
 * its commands had run, before the next connection's commands. A client
 * such as redis-benchmark, which drives all its connections from one
 * thread, then got one reply every few tens of microseconds: it went back to
 * sleep after each one, and each of Cairn's writes paid the kernel's
 * cross-CPU wake-up. Measured with redis-benchmark at pipeline 16 (50
 * clients, 2M commands over ~1M keys), kernel time per command on Cairn's
 * main thread went from 460-560 to 350-410 ns for INCR and from 495-520 to
 * 325-365 ns for GET, about what redis-server's takes (370 and 320 ns), and
 * in the bench (seven runs) INCR went from 0.64-0.68x Redis to 0.70-0.75x.
 *
 * When a turn's reads complete, Deno resolves their promises together, so
 * the connections' continuations are all queued as microtasks before the
 * first of them runs. {@link SendBurst.join} releases its callers with a
 * microtask queued by the first caller, which runs after those
 * continuations.
 *
 * @module
 */

/** Holds back the replies of a turn until all its connections have run their commands. */
export class SendBurst {
  #waiting: (() => void)[] = [];
  readonly #release = (): void => {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  };

  /**
   * Resolves once every connection whose input arrived in this turn has run
   * its commands (each awaits this after running its own). Callers that
   * join after the release form the next burst.
   */
  join(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#waiting.push(resolve) === 1) queueMicrotask(this.#release);
    });
  }
}

/**
 * The burst all connections of this process join: they share one event
 * loop, so a turn's reads are the same for every server in it.
 */
export const sendBurst = new SendBurst();
