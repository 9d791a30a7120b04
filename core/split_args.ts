/**
 * Splits a line into arguments the way Redis's `sdssplitargs` does. Redis
 * uses that one function for inline commands, redis.conf lines and the AOF
 * manifest, so Cairn does too: quoting rules must agree byte for byte.
 *
 * - Blanks separate arguments.
 * - `"double quotes"` understand `\n \r \t \b \a \\ \"` and `\xHH`.
 * - `'single quotes'` understand only `\'`.
 * - A closing quote must be followed by a blank or the end of the line.
 *
 * @module
 */

/**
 * Returns the arguments of `line` (a byte string), or `null` when quotes are
 * unbalanced or a closing quote is followed by something other than a blank.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (true) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let current = "";
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = i < n ? line[i] : "";
      if (inDouble) {
        if (c === "\\" && line[i + 1] === "x" && isHex(line[i + 2]) && isHex(line[i + 3])) {
          current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === "\\" && i + 1 < n) {
          i++;
          current += ESCAPES[line[i]] ?? line[i];
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else if (c === "") {
          return null;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === "\\" && line[i + 1] === "'") {
          i++;
          current += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else if (c === "") {
          return null;
        } else {
          current += c;
        }
      } else {
        switch (c) {
          case " ":
          case "\n":
          case "\r":
          case "\t":
          case "\0":
          case "":
            done = true;
            break;
          case '"':
            inDouble = true;
            break;
          case "'":
            inSingle = true;
            break;
          default:
            current += c;
        }
      }
      if (i < n) i++;
    }
    out.push(current);
  }
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };

function isSpace(c: number): boolean {
  // C's isspace: space, \t, \n, \v, \f, \r
  return c === 32 || (c >= 9 && c <= 13);
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/**
 * Quotes a byte string so that {@link splitArgs} reads it back unchanged, the
 * way Redis's `sdscatrepr` does (used in the manifest and CONFIG REWRITE).
 */
export function quoteArg(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c:
        out += "\\\\";
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x07:
        out += "\\a";
        break;
      case 0x08:
        out += "\\b";
        break;
      default:
        out += c >= 0x20 && c < 0x7f ? s[i] : "\\x" + c.toString(16).padStart(2, "0");
    }
  }
  return out + '"';
}
