/**
 * What every benchmark suite receives.
 *
 * @module
 */

/** Options shared by suites. */
export interface SuiteOptions {
  /** Smaller datasets and fewer requests, for a smoke run. */
  quick: boolean;
}
