/**
 * Reading AOF text into records, for comparing files (tests only; written
 * independently of Cairn's loader).
 *
 * @module
 */

/** The commands of an AOF (RESP part only), `#` annotation lines skipped. */
export function parseAofRecords(text: string): string[][] {
  const records: string[][] = [];
  let pos = 0;
  const line = () => {
    const end = text.indexOf("\r\n", pos);
    if (end < 0) throw new Error(`unterminated line at ${pos}`);
    const s = text.slice(pos, end);
    pos = end + 2;
    return s;
  };
  while (pos < text.length) {
    if (text[pos] === "#") {
      line();
      continue;
    }
    const header = line();
    if (header[0] !== "*") {
      throw new Error(`expected a record at ${pos}: ${JSON.stringify(header)}`);
    }
    const argv: string[] = [];
    for (let n = Number(header.slice(1)); n > 0; n--) {
      const len = Number(line().slice(1));
      argv.push(text.slice(pos, pos + len));
      pos += len + 2;
    }
    records.push(argv);
  }
  return records;
}
