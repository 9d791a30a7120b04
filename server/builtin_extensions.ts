/**
 * Commands the server adds on top of the core's own families because they
 * need the persistence codecs: DUMP and RESTORE (the RDB value encoding) and
 * DEBUG SET-SKIP-CHECKSUM-VALIDATION. Core stays free of file formats; the
 * server composes the two.
 *
 * @module
 */

import type { Core, DebugSubcommand } from "../core/core.ts";
import { setSerializedLengthProvider } from "../core/commands/debug.ts";
import { subcommandSyntaxError } from "../core/commands/help_reply.ts";
import { DUMP_COMMANDS } from "../persistence/rdb/dump_commands.ts";
import { createDumpPayload } from "../persistence/rdb/dump.ts";

// A DUMP payload is the type byte, the value, 2 bytes of version and 8 of CRC.
const DUMP_OVERHEAD = 11;

const skipChecksumValidation: DebugSubcommand = {
  name: "set-skip-checksum-validation",
  help:
    "SET-SKIP-CHECKSUM-VALIDATION <0|1>\n    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  handler(client, argv) {
    if (argv.length !== 3) {
      client.reply.error(subcommandSyntaxError(argv));
      return;
    }
    client.core.skipChecksumValidation = (Number.parseInt(argv[2].trim(), 10) || 0) !== 0;
    client.reply.ok();
  },
};

/** Registers the codec-backed commands on `core`. */
export function registerBuiltinExtensions(core: Core): void {
  core.commands.register(DUMP_COMMANDS);
  core.addDebugSubcommands([skipChecksumValidation]);
  // DEBUG OBJECT's serializedlength is the RDB payload of the value.
  setSerializedLengthProvider(core, (value) => {
    const compression = core.config.spec("rdbcompression") === undefined ||
      core.config.get<boolean>("rdbcompression");
    return createDumpPayload(value, core.limits, { compression }).length - DUMP_OVERHEAD;
  });
}
