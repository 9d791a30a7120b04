/**
 * Where the multi-part AOF lives: `<dir>/<appenddirname>/`, its files named
 * after `appendfilename` (see persistence/aof/manifest.ts for the names),
 * and the old single file `<dir>/<appendfilename>` an upgrade moves in.
 *
 * `appendfilename` and `appenddirname` cannot change at runtime; `dir` is
 * read at each use, as Redis's relative paths follow CONFIG SET dir.
 *
 * @module
 */

import type { Config } from "../../core/config/config.ts";
import { byteStringToUtf8 } from "../../core/bytes.ts";
import { joinPath } from "../../persistence/io/files.ts";
import { type ManifestLocation, partPath } from "../../persistence/aof/manifest.ts";

/** The file names and paths of one server's multi-part AOF. */
export class AofLayout {
  /** `appendfilename` (a byte string): the stem of every file name. */
  readonly stem: string;
  /** `appenddirname` (a byte string). */
  readonly dirName: string;
  readonly #config: Config;

  /** Reads the names from `config`. */
  constructor(config: Config) {
    this.#config = config;
    this.stem = config.get<string>("appendfilename");
    this.dirName = config.get<string>("appenddirname");
  }

  /** The data directory (`dir`). */
  dataDir(): string {
    return byteStringToUtf8(this.#config.get<string>("dir"));
  }

  /** The AOF directory. */
  aofDir(): string {
    return joinPath(this.dataDir(), byteStringToUtf8(this.dirName));
  }

  /** The AOF directory and the stem, for the manifest functions. */
  location(): ManifestLocation {
    return { dir: this.aofDir(), stem: this.stem };
  }

  /** The path of a file of the AOF directory. */
  part(name: string): string {
    return partPath(this.location(), name);
  }

  /** `<dir>/<appendfilename>`: where a pre-7.0 server keeps its single AOF file. */
  classicPath(): string {
    return joinPath(this.dataDir(), byteStringToUtf8(this.stem));
  }

  /** A rewrite's temporary base in the data directory (`temp-rewriteaof-<pid>.aof`). */
  tempBasePath(): string {
    return joinPath(this.dataDir(), `temp-rewriteaof-${Deno.pid}.aof`);
  }

  /** The finished temporary base (`temp-rewriteaof-bg-<pid>.aof`), before it moves in. */
  finishedBaseName(): string {
    return `temp-rewriteaof-bg-${Deno.pid}.aof`;
  }

  /** Path of {@link finishedBaseName}. */
  finishedBasePath(): string {
    return joinPath(this.dataDir(), this.finishedBaseName());
  }
}
