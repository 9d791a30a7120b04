/** Cairn's version, printed in logs and INFO. */
export const VERSION = "0.1.0";

/** The Redis version whose behaviour and file formats Cairn follows. */
export const REDIS_COMPAT_VERSION = "7.0.15";
