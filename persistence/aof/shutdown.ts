/**
 * What both AOF layouts do at SHUTDOWN (Redis's `prepareForShutdown` and
 * `finishShutdown`): stop a running rewrite, then flush and fsync the AOF.
 *
 * @module
 */

import type { ShutdownRequest } from "../../core/core.ts";
import type { Logger } from "../../core/log.ts";
import { systemErrorText } from "./file.ts";

/** The parts of an AOF plugin's state that SHUTDOWN looks at. */
export interface AofShutdownState {
  /** The running rewrite, or null. */
  readonly rewrite: { kill(): void; readonly done: Promise<unknown> } | null;
  /** True while the AOF is being created by its first rewrite (appendonly just switched on). */
  readonly creating: boolean;
  /** The writer to flush and fsync when the AOF is on, or null. */
  readonly writer: { flushAndSync(): Promise<void> } | null;
}

/**
 * Kills a rewrite and fsyncs the AOF. Throws, refusing the shutdown, when the
 * AOF is still being created and the shutdown is not forced.
 */
export async function shutdownAof(
  state: AofShutdownState,
  request: ShutdownRequest,
  log: Logger,
): Promise<void> {
  const rewrite = state.rewrite;
  if (rewrite !== null) {
    if (state.creating) {
      if (!request.force) {
        log.warning("Writing initial AOF, can't exit.");
        throw new Error("Writing initial AOF, can't exit.");
      }
      log.warning("Writing initial AOF. Exit anyway.");
    }
    log.warning("There is a child rewriting the AOF. Killing it!");
    rewrite.kill();
    await rewrite.done;
  }
  if (state.writer !== null) {
    log.notice("Calling fsync() on the AOF file.");
    try {
      await state.writer.flushAndSync();
    } catch (e) {
      log.warning(`Fail to fsync the AOF file: ${systemErrorText(e)}.`);
    }
  }
}
