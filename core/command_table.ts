/**
 * The command table: every command the server knows, by name.
 *
 * Built-in families and plugins register {@link CommandSpec}s; a name can
 * have only one owner. Lookup follows Redis's `lookupCommand`: the first
 * argument names the command, and for a container command (CONFIG, CLIENT,
 * ...) the second names the subcommand.
 *
 * @module
 */

import { type Command, type CommandSpec, Flag, flagBits } from "./command.ts";

/** Why a lookup failed, with Redis's reply text. */
export interface LookupFailure {
  /** The error reply. */
  error: string;
}

const noop = () => {};

/** All commands by lower-case name. */
export class CommandTable {
  #commands = new Map<string, Command>();
  // Names exactly as clients send them ("SET", "set", "Set") to commands,
  // so the hot path skips toLowerCase. Bounded: junk names are not cached.
  #byRawName = new Map<string, Command>();
  // The last name looked up: the request parser hands back the same string
  // for a repeated name, so a pipeline of one command compares by identity.
  #lastRaw: string | null = null;
  #lastCommand: Command | null = null;

  /** Registers commands. Throws when a name is already taken. */
  register(specs: readonly CommandSpec[], owner = "core"): void {
    for (const spec of specs) {
      if (this.#commands.has(spec.name)) {
        throw new Error(`Cannot register command "${spec.name}" for ${owner}: it already exists`);
      }
      this.#commands.set(spec.name, compile(spec, null));
    }
    this.#byRawName.clear();
    this.#lastRaw = null;
    this.#lastCommand = null;
  }

  /** The command named `name` (any case), without subcommand resolution. */
  get(name: string): Command | undefined {
    return this.#commands.get(name.toLowerCase());
  }

  /** Every top-level command. */
  all(): IterableIterator<Command> {
    return this.#commands.values();
  }

  /** Number of top-level commands. */
  get size(): number {
    return this.#commands.size;
  }

  /**
   * Resolves `argv` to a command or subcommand. Returns the error Redis
   * would reply with when there is none.
   */
  lookup(argv: readonly string[]): Command | LookupFailure {
    const raw = argv[0];
    let cmd: Command | undefined;
    if (raw === this.#lastRaw) cmd = this.#lastCommand!;
    else {
      cmd = this.#byRawName.get(raw);
      if (cmd === undefined) {
        cmd = this.#commands.get(raw.toLowerCase());
        if (cmd === undefined) return { error: unknownCommand(argv) };
        if (this.#byRawName.size < 4096) this.#byRawName.set(raw, cmd);
      }
      this.#lastRaw = raw;
      this.#lastCommand = cmd;
    }
    if (cmd.subcommands === null || argv.length < 2) return cmd;
    const sub = cmd.subcommands.get(argv[1].toLowerCase());
    if (sub !== undefined) return sub;
    return {
      error: sanitize(
        `ERR unknown subcommand '${
          argv[1].slice(0, 128)
        }'. Try ${cmd.fullname.toUpperCase()} HELP.`,
      ),
    };
  }
}

function compile(spec: CommandSpec, parent: Command | null): Command {
  let flags = flagBits(spec.flags);
  if (spec.getKeys !== undefined) flags |= Flag.movablekeys;
  const cmd: Command = {
    spec,
    fullname: parent === null ? spec.name : `${parent.fullname}|${spec.name}`,
    arity: spec.arity,
    flags,
    handler: spec.handler ?? noop,
    parent,
    subcommands: spec.subcommands ? new Map() : null,
    stats: { calls: 0, sampledUsec: 0, sampledCalls: 0, rejectedCalls: 0, failedCalls: 0 },
  };
  for (const sub of spec.subcommands ?? []) {
    cmd.subcommands!.set(sub.name, compile(sub, cmd));
  }
  return cmd;
}

function unknownCommand(argv: readonly string[]): string {
  let args = "";
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${argv[i].slice(0, 128 - args.length)}' `;
  }
  return sanitize(
    `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`,
  );
}

// Arguments come from the client and may hold line breaks, which would
// break the protocol inside an error reply.
function sanitize(message: string): string {
  return message.replace(/[\r\n]/g, " ");
}
