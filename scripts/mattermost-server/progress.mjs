// Progress lines for the real-server scripts: one prefix, elapsed times, and a heartbeat for long
// steps. Scripts may print; these helpers write to stderr so stdout stays free for results.

/** Formats a duration in milliseconds as "850ms", "12.3s" or "4m05s". */
export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.floor(seconds - minutes * 60);
  return `${minutes}m${String(rest).padStart(2, "0")}s`;
}

/** The default reporter: one line per message on stderr, prefixed with the script's name. */
export function stderrReporter(prefix) {
  return (message) => {
    process.stderr.write(`[${prefix}] ${message}\n`);
  };
}

/** A reporter that drops everything (for callers that want silence). */
export function silentReporter() {
  return () => {};
}

/**
 * Calls `describe()` every `intervalMs` and reports its text with the elapsed time, until the
 * returned function is called. For steps that print nothing for minutes (compiling, downloading).
 */
export function startHeartbeat(report, describe, intervalMs = 30_000) {
  const started = Date.now();
  const timer = setInterval(() => {
    report(`${describe()} (${formatDuration(Date.now() - started)} so far)`);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
