/** What a contestant child process reports back to the orchestrator over IPC. */
export interface ContestantResult {
  /** Wall time of the work itself, from the first query to the answer (process start and imports excluded). */
  seconds: number;
  /** Business rows the contestant compared (orders + dispatches), for rows/s. */
  rowsCompared: number;
  /** Its answer; undefined when the answer is in Recon's store (the orchestrator reads it there). */
  found?: { missing: string[]; orphans: string[] };
  /** RSS just before the work started: the fixed cost of Node, tsx and the driver. */
  startRssBytes: number;
  /** Peak RSS of the whole child process (getrusage maxrss). */
  peakRssBytes: number;
  /**
   * Tuples the databases read for the measured work, when the child counted them itself because it did other work
   * around it (a warm cycle's warm-up and its changes); otherwise the orchestrator counts the whole child.
   */
  tuplesRead?: number;
  /** Contestant-specific numbers (Recon's report, port statistics, sampling) for the report. */
  details: Record<string, unknown>;
}

export type ContestantName = 'recon-sweep' | 'recon-cycle' | 'per-row' | 'in-memory';

export interface ContestantRequest {
  name: ContestantName;
  options: Record<string, number>;
}
