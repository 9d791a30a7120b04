/**
 * Counters behind INFO stats, with Redis's meanings.
 *
 * @module
 */

/** Server-wide counters. */
export class ServerStats {
  /** Connections accepted since start. */
  connectionsReceived = 0;
  /** Connections refused (maxclients). */
  rejectedConnections = 0;
  /** Commands executed. */
  commandsProcessed = 0;
  /** Bytes read from clients. */
  netInputBytes = 0;
  /** Bytes written to clients. */
  netOutputBytes = 0;
  /** Keys deleted because their TTL passed. */
  expiredKeys = 0;
  /** Read lookups that found their key. */
  keyspaceHits = 0;
  /** Read lookups that did not. */
  keyspaceMisses = 0;
  /** Error replies, by error code (`ERR`, `WRONGTYPE`, ...). */
  readonly errorReplies: Map<string, number> = new Map();
  /** Error replies in total. */
  totalErrorReplies = 0;
  /** Commands refused before running. */
  rejectedCalls = 0;
  /** Commands that ran and replied with an error. */
  failedCalls = 0;

  /** Records one error reply with code `code`. */
  countError(code: string): void {
    this.totalErrorReplies++;
    // Redis caps the table at 128 distinct codes and then counts only totals.
    const n = this.errorReplies.get(code);
    if (n !== undefined) this.errorReplies.set(code, n + 1);
    else if (this.errorReplies.size < 128) this.errorReplies.set(code, 1);
  }

  /** Resets what CONFIG RESETSTAT resets. */
  reset(): void {
    this.connectionsReceived = this.rejectedConnections = this.commandsProcessed = 0;
    this.netInputBytes = this.netOutputBytes = this.expiredKeys = 0;
    this.keyspaceHits = this.keyspaceMisses = 0;
    this.errorReplies.clear();
    this.totalErrorReplies = this.rejectedCalls = this.failedCalls = 0;
  }
}
