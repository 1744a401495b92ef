// pino JSON logs. Secrets never reach a log line: the runtime logs no headers, URLs without credentials or query, and
// provider errors cut short; the redaction list is a second line of defence.
import pino, { type Logger } from 'pino';

export function createLogger(env: NodeJS.ProcessEnv, bindings: Record<string, string>): Logger {
  return pino({
    level: env.LOG_LEVEL?.toLowerCase() || 'info',
    base: bindings,
    redact: {
      paths: [
        'headers',
        '*.headers',
        'authorization',
        '*.authorization',
        'apiKey',
        '*.apiKey',
        'api_key',
        '*.api_key',
        'token',
        '*.token',
      ],
      censor: '[redacted]',
    },
  });
}
