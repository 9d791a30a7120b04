/**
 * Points of a multi-part rewrite where a test can make the process stop
 * (or the step fail), to check that the files left behind always load a
 * complete dataset. Production servers pass no hook.
 *
 * @module
 */

/** The steps, in the order a rewrite reaches them. */
export type RewriteStep =
  /** The new incr file is created, listed in the manifest, and receives the writes. */
  | "incr-opened"
  /** Part of the new base is written to its temporary file. */
  | "base-writing"
  /** The base is complete and fsynced in `temp-rewriteaof-<pid>.aof`. */
  | "base-written"
  /** The base was renamed into the AOF directory; the manifest still lists the old files. */
  | "base-renamed"
  /** The new manifest is written and fsynced as `temp-<name>.manifest`, not renamed yet. */
  | "manifest-written"
  /** The new manifest replaced the old one; history files are not deleted yet. */
  | "manifest-renamed";

/** Called at each step; may throw (the rewrite fails there) or end the process. */
export type FaultHook = (step: RewriteStep) => void;
