/**
 * Startup of the multi-part AOF, in Redis 7.0's order (`main`):
 *
 * 1. `aofLoadManifestFromDisk`: read the manifest when the AOF directory
 *    and the manifest exist; a manifest Redis refuses is fatal (even with
 *    `appendonly no`).
 * 2. `loadAppendOnlyFiles` (only with `appendonly yes`): upgrade an old
 *    single-file AOF if there is one ({@link upgradeClassicFile}); nothing
 *    listed → nothing loaded, and dump.rdb is *not* consulted; a listed file
 *    that is missing is fatal; else the base, then each incr in order. Only
 *    the last file may have a truncated tail.
 * 3. `aofOpenIfNeededOnServerStart` and `aofDelHistoryFiles`: see
 *    multipart_aof.ts (`ready`).
 *
 * @module
 */

import type { Core } from "../../core/core.ts";
import type { Logger } from "../../core/log.ts";
import { byteStringToUtf8 } from "../../core/bytes.ts";
import {
  AofManifest,
  AofManifestError,
  persistManifest,
  readManifest,
} from "../../persistence/aof/manifest.ts";
import { loadAofFile } from "../../persistence/aof/loader.ts";
import { CoreReplayer } from "../../persistence/aof/replay.ts";
import { AofLoadError } from "../../persistence/aof/errors.ts";
import { systemErrorText } from "../../persistence/aof/file.ts";
import type { AofLoadingProgress } from "../../persistence/aof/aof_info.ts";
import type { AofLayout } from "./layout.ts";
import { fileSize } from "../../persistence/io/files.ts";

/**
 * The manifest on disk, or an empty one when the AOF directory or the
 * manifest does not exist. Logs Redis's fatal lines and throws when the
 * manifest is refused.
 */
export function loadManifestFromDisk(layout: AofLayout, log: Logger): AofManifest {
  try {
    return readManifest(layout.location()) ?? new AofManifest();
  } catch (e) {
    if (e instanceof AofManifestError) {
      for (const line of e.logLines()) log.warning(line);
    } else {
      log.warning(e instanceof Error ? e.message : String(e));
    }
    throw e;
  }
}

/**
 * Redis's `aofUpgradePrepare`: when `<dir>/<appendfilename>` exists and the
 * AOF directory does not, or its manifest lists nothing, or lists only a
 * base of that name which is not in the directory yet, the old file becomes
 * base 1: the directory is created, the manifest written, then the file
 * moved in. A crash at any point leaves something the next start upgrades
 * again. Returns true when it upgraded. Throws (after logging) on failure.
 */
export function upgradeClassicFile(
  layout: AofLayout,
  manifest: AofManifest,
  log: Logger,
): boolean {
  const classic = layout.classicPath();
  if (fileSize(classic) === null) return false;
  const dirMissing = fileSize(layout.aofDir()) === null;
  const onlyOldBase = manifest.base !== null && manifest.incrs.length === 0 &&
    manifest.base.name === layout.stem && fileSize(layout.part(layout.stem)) === null;
  if (!dirMissing && !manifest.hasNoData && !onlyOldBase) return false;
  try {
    Deno.mkdirSync(layout.aofDir(), { recursive: true });
  } catch (e) {
    log.warning(
      `Can't open or create append-only dir ${byteStringToUtf8(layout.dirName)}: ${
        systemErrorText(e)
      }`,
    );
    throw e;
  }
  manifest.adoptClassicBase(layout.stem);
  try {
    persistManifest(layout.location(), manifest);
  } catch (e) {
    log.warning(e instanceof Error ? e.message : String(e));
    throw e;
  }
  const name = byteStringToUtf8(layout.stem);
  const dirName = byteStringToUtf8(layout.dirName);
  try {
    Deno.renameSync(classic, layout.part(layout.stem));
  } catch (e) {
    log.warning(
      `Error trying to move the old AOF file ${name} into dir ${dirName}: ${systemErrorText(e)}`,
    );
    throw e;
  }
  log.notice(
    `Successfully migrated an old-style AOF file (${name}) into the AOF directory (${dirName}).`,
  );
  return true;
}

/** How a multi-part load ended (Redis's AOF_OK, AOF_TRUNCATED, AOF_EMPTY, AOF_NOT_EXIST). */
export type PartsLoadStatus = "ok" | "truncated" | "empty" | "not-exist";

/** What loading the parts did. */
export interface PartsLoadResult {
  /** How it ended. */
  status: PartsLoadStatus;
  /** Bytes of the base and incr files once loaded (`aof_current_size`). */
  currentSize: number;
  /** Bytes of the base (`aof_rewrite_base_size` after a restart). */
  baseSize: number;
}

/** How to load the parts. */
export interface PartsLoadOptions {
  /** Where the commands go. */
  core: Core;
  /** The files. */
  layout: AofLayout;
  /** What to load. */
  manifest: AofManifest;
  /** Redis's log lines. */
  log: Logger;
  /** `aof-load-truncated`. */
  loadTruncated: boolean;
  /** `loading-process-events-interval-bytes`. */
  yieldBytes: number;
  /** `key-load-delay`. */
  keyLoadDelayMicros: number;
  /** Receives the progress (INFO loading_*). */
  progress: AofLoadingProgress;
}

/**
 * Redis's `loadAppendOnlyFiles` after the upgrade step: checks that every
 * listed file exists, then loads the base and the incr files in order into
 * the (empty) dataset. Throws an {@link AofLoadError} (after logging
 * Redis's lines) on anything fatal.
 */
export async function loadParts(options: PartsLoadOptions): Promise<PartsLoadResult> {
  const { layout, manifest, log } = options;
  const parts = manifest.loadOrder;
  if (parts.length === 0) return { status: "not-exist", currentSize: 0, baseSize: 0 };
  let total = 0;
  for (const part of parts) {
    const name = byteStringToUtf8(part.name);
    try {
      total += Deno.statSync(layout.part(part.name)).size;
    } catch (e) {
      log.warning(`Unable to obtain the AOF file ${name} length. stat: ${systemErrorText(e)}`);
      throw new AofLoadError("read", `Unable to obtain the AOF file ${name} length`);
    }
  }
  if (total === 0) return { status: "empty", currentSize: 0, baseSize: 0 };

  const progress = options.progress;
  progress.startTime = Math.floor(Date.now() / 1000);
  progress.totalBytes = total;
  progress.loadedBytes = 0;
  let currentSize = 0;
  let baseSize = 0;
  let truncated = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const last = i === parts.length - 1;
    const isBase = part === manifest.base;
    const name = byteStringToUtf8(part.name);
    const before = currentSize;
    const started = performance.now();
    let result;
    try {
      result = await loadAofFile({
        path: layout.part(part.name),
        name,
        // Each file is read by a fresh client, on database 0 (createAOFClient).
        target: new CoreReplayer(options.core),
        log,
        // A truncated tail is allowed in the last file only: never cut an earlier one.
        loadTruncated: options.loadTruncated && last,
        fixTarget: "<filename.manifest>",
        rdbPart: part.name === layout.stem ? "preamble" : "base",
        yieldBytes: options.yieldBytes,
        keyLoadDelayMicros: options.keyLoadDelayMicros,
        onProgress: (loaded) => {
          progress.loadedBytes = before + loaded;
        },
      });
    } catch (e) {
      if (e instanceof AofLoadError && e.kind === "truncated" && !last) {
        log.warning("Fatal error: the truncated file is not the last file");
      }
      throw e;
    }
    if (result.status === "not-exist") {
      throw new AofLoadError("read", `The append log file ${name} doesn't exist`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(3);
    if (result.status !== "empty") {
      log.notice(`DB loaded from ${isBase ? "base" : "incr"} file ${name}: ${seconds} seconds`);
    }
    currentSize += result.size;
    if (isBase) baseSize = result.size;
    if (result.status === "truncated") truncated = true;
    progress.loadedBytes = currentSize;
  }
  return { status: truncated ? "truncated" : "ok", currentSize, baseSize };
}
