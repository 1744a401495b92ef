// consoleToLog: console calls become JSON log lines at the method's level, formatted like console formats them.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { consoleToLog } from '../../runtime/console-log.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, log: pino({ level: 'trace', base: { agent: 'a' } }, stream) };
}

describe('consoleToLog', () => {
  it('maps each method to its level and formats the arguments as console does', () => {
    const { lines, log } = capture();
    const c = consoleToLog(log, console);
    c.error('Agent execution failed for message %s:', 'm1', new Error('boom'));
    c.warn('Reference task x not found.');
    c.log('count', 3, { a: 1 });
    c.info('info line');
    c.debug('debug line');
    expect(lines.map((l) => l.level)).toEqual([50, 40, 30, 30, 20]);
    expect(lines[0].msg).toMatch(/^Agent execution failed for message m1: Error: boom/);
    expect(lines[2].msg).toBe('count 3 { a: 1 }');
    expect(lines.every((l) => l.agent === 'a')).toBe(true);
  });

  it('cuts very long messages short', () => {
    const { lines, log } = capture();
    consoleToLog(log, console).error('x'.repeat(10_000));
    expect(String(lines[0].msg).length).toBeLessThanOrEqual(2001);
    expect(String(lines[0].msg).endsWith('…')).toBe(true);
  });

  it('keeps the other console methods of the original', () => {
    const { log } = capture();
    const c = consoleToLog(log, console);
    expect(c.table).toBe(console.table);
    expect(c.time).toBe(console.time);
  });
});
