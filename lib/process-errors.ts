// Last-resort handlers for the long-running commands: what ends (or, for the runtime, only troubles) a server is one
// JSON log line like every other, not a plain-text stack that log pipelines split into many lines. The message is
// cut short and the stack keeps only its frames (code locations), so no request data rides along.
const MAX_MESSAGE = 300;

function errorFields(err: unknown): { err: string; frames?: string[] } {
  if (!(err instanceof Error)) return { err: String(err).slice(0, MAX_MESSAGE) };
  const frames = err.stack
    ?.split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 10)
    .map((l) => l.trim());
  return { err: `${err.name}: ${err.message}`.slice(0, MAX_MESSAGE), ...(frames?.length ? { frames } : {}) };
}

function logLine(level: number, component: string, msg: string, err: unknown): void {
  process.stderr.write(`${JSON.stringify({ level, time: Date.now(), component, msg, ...errorFields(err) })}\n`);
}

/**
 * An uncaught exception is logged (pino's fatal level) and ends the process with exit code 1, as Node would: its state
 * is unknown, and Kubernetes restarts the container. An unhandled rejection does the same, unless `survivesRejections`:
 * the runtime's client libraries (an MCP stream closing, a socket error) can reject where nothing awaits, and that
 * must not take the agent down, so there it is logged at error level and the process goes on.
 */
export function logFatalErrors(component: string, opts: { survivesRejections?: boolean } = {}): void {
  process.on('uncaughtException', (err) => {
    logLine(60, component, 'uncaught exception', err);
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    if (opts.survivesRejections) {
      logLine(50, component, 'unhandled rejection', reason);
      return;
    }
    logLine(60, component, 'unhandled rejection', reason);
    process.exit(1);
  });
}
