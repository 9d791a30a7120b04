/**
 * Redis's error replies that many commands share, byte for byte (without the
 * leading `-` and trailing CRLF, which the reply writer adds). Clients and
 * their test suites match on these texts, so they are wire format, not prose.
 *
 * @module
 */

/** A key holds a value of another type than the command works on. */
export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
/** Generic syntax error. */
export const SYNTAX_ERR = "ERR syntax error";
/** The key does not exist (RENAME, LSET, ...). */
export const NO_SUCH_KEY = "ERR no such key";
/** An argument that must be an integer is not, or is out of range. */
export const NOT_INTEGER = "ERR value is not an integer or out of range";
/** An argument that must be a float is not. */
export const NOT_FLOAT = "ERR value is not a valid float";
/** An index is out of range (LSET). */
export const OUT_OF_RANGE = "ERR index out of range";
/** Source and destination are the same (SMOVE, MOVE, ...). */
export const SAME_OBJECT = "ERR source and destination objects are the same";
/** An operation would overflow (INCR). */
export const INCR_OVERFLOW = "ERR increment or decrement would overflow";
/** The database index is invalid. */
export const DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range";
/** The client must AUTH first. */
export const NOAUTH = "NOAUTH Authentication required.";
/** The server is loading its dataset. */
export const LOADING = "LOADING Redis is loading the dataset in memory";
/** EXEC after a command failed to queue. */
export const EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
/** RESTORE/RENAME target exists. */
export const BUSYKEY = "BUSYKEY Target key name already exists.";
/** Writes refused after a failed background save (stop-writes-on-bgsave-error). */
export const MISCONF_RDB =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/** Writes refused after an AOF write error; `reason` is the system error text. */
export function misconfAof(reason: string): string {
  return `MISCONF Errors writing to the AOF file: ${reason}`;
}

/** Wrong number of arguments for `fullname` (`get`, `config|get`). */
export function wrongArity(fullname: string): string {
  return `ERR wrong number of arguments for '${fullname}' command`;
}
