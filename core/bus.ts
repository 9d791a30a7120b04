/**
 * A typed, synchronous event bus.
 *
 * `emit` calls each listener in order, in the same turn. It is built for the
 * command hot path: no allocation per emit, and {@link EventBus.has} lets the
 * emitter skip building a payload nobody listens to. A listener that throws
 * is reported through the `onError` callback and the others still run: one
 * broken plugin must not stop command execution.
 *
 * Awaited steps (holding replies until data is durable, startup recovery,
 * shutdown) are not bus events; they are explicit phases of the server (see
 * `core/durability.ts` and the plugin host).
 *
 * @module
 */

import type { ServerEvents } from "./events.ts";

/** A function called with an event's payload. */
export type Listener<T> = (payload: T) => void;

type ListenerTable<E> = { [K in keyof E]?: Listener<E[K]>[] };

/** The typed bus. `E` maps event names to payload types. */
export class EventBus<E extends object = ServerEvents> {
  #listeners: ListenerTable<E> = {};
  #onError: (event: string, error: unknown) => void;

  /** `onError` receives the event name and what a listener threw. */
  constructor(onError: (event: string, error: unknown) => void = () => {}) {
    this.#onError = onError;
  }

  /** Subscribes to `event`; returns a function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    // Copy on subscribe, not on emit: emit stays allocation-free and a
    // listener that unsubscribes during an emit does not disturb it.
    this.#listeners[event] = [...(this.#listeners[event] ?? []), listener];
    return () => {
      const list = this.#listeners[event];
      if (list) this.#listeners[event] = list.filter((l) => l !== listener);
    };
  }

  /** True when at least one listener is subscribed to `event`. */
  has<K extends keyof E>(event: K): boolean {
    const list = this.#listeners[event];
    return list !== undefined && list.length > 0;
  }

  /** Calls every listener of `event` with `payload`, in subscription order. */
  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const list = this.#listeners[event];
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i](payload);
      } catch (error) {
        this.#onError(String(event), error);
      }
    }
  }

  /**
   * Views this bus with a wider event table, for plugins that declare their
   * own events. The view shares listeners with this bus.
   */
  typed<F extends E>(): EventBus<F> {
    return this as unknown as EventBus<F>;
  }
}
