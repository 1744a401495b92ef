// A console whose lines are the runtime's JSON log lines. The A2A SDK reports some failures with console.error/warn
// (a failed push notification, an executor error, an unknown reference task); on a plain console those are the only
// non-JSON lines a log pipeline would see from an agent pod. Formatting is console's own (util.format), cut short;
// the level follows the method.
import { format } from 'node:util';
import type { Logger } from 'pino';

const MAX_MESSAGE = 2000;

const LEVELS = { error: 'error', warn: 'warn', info: 'info', log: 'info', debug: 'debug', trace: 'trace' } as const;

/** A console that logs through `log`; methods other than the logging ones (table, time, ...) are the original's. */
export function consoleToLog(log: Logger, original: Console): Console {
  const routed = Object.create(original) as Console;
  for (const [method, level] of Object.entries(LEVELS) as Array<
    [keyof typeof LEVELS, (typeof LEVELS)[keyof typeof LEVELS]]
  >) {
    routed[method] = (...args: unknown[]) => {
      const msg = format(...args);
      log[level](msg.length > MAX_MESSAGE ? `${msg.slice(0, MAX_MESSAGE)}…` : msg);
    };
  }
  return routed;
}
