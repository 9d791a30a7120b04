/**
 * Holding replies until the writes they acknowledge are durable.
 *
 * Every execution unit that changes data gets a sequence number (`Core.seq`).
 * A connection executes a batch of commands, then asks the gate whether the
 * replies may go out: {@link DurabilityGate.wait} with the sequence number
 * current at the end of the batch. Reads wait too, as in Redis: a reply may
 * show data that is not yet durable.
 *
 * A persistence plugin that must acknowledge only durable writes (an AOF with
 * `appendfsync always`) registers a {@link DurableSink}. The gate asks each
 * sink once per wait; a sink that is behind returns a promise and flushes,
 * so all the batches that arrive while one fsync runs share the next one
 * (group commit).
 *
 * With no sink registered — the default — `wait` returns undefined at once
 * and the connection writes its replies without any await: the barrier costs
 * one property read.
 *
 * If a sink's promise rejects (the disk failed), the connection drops the
 * held replies and closes: a client never receives an acknowledgement for a
 * write that is not durable.
 *
 * @module
 */

/** Something that makes writes durable and can say when it has. */
export interface DurableSink {
  /**
   * Returns undefined when every unit up to `seq` is durable for this sink,
   * otherwise a promise that resolves when it is (or rejects if it cannot be).
   */
  whenDurable(seq: number): Promise<void> | undefined;
}

/** The barrier between executing a batch of commands and sending its replies. */
export class DurabilityGate {
  #sinks: DurableSink[] = [];

  /** True when at least one sink is registered. */
  get active(): boolean {
    return this.#sinks.length > 0;
  }

  /** Adds a sink; returns a function removing it. */
  register(sink: DurableSink): () => void {
    this.#sinks = [...this.#sinks, sink];
    return () => {
      this.#sinks = this.#sinks.filter((s) => s !== sink);
    };
  }

  /** Returns undefined when replies covering units up to `seq` may go out now, else a promise. */
  wait(seq: number): Promise<void> | undefined {
    const sinks = this.#sinks;
    if (sinks.length === 0) return undefined;
    if (sinks.length === 1) return sinks[0].whenDurable(seq);
    const pending: Promise<void>[] = [];
    for (const sink of sinks) {
      const p = sink.whenDurable(seq);
      if (p !== undefined) pending.push(p);
    }
    if (pending.length === 0) return undefined;
    return Promise.all(pending).then(() => {});
  }
}
