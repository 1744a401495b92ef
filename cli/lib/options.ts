// Option parsers shared by the commands; they throw commander's InvalidArgumentError so the message names the option.
import { InvalidArgumentError } from 'commander';

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`not a port number: "${value}"`);
  return n;
}

/** Repeatable option (`-f a.yaml -f b.yaml`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `NAMESPACE/NAME`, or `NAME` in the default namespace. */
export function parseRef(value: string, defaultNamespace = 'default'): { namespace: string; name: string } {
  const parts = value.split('/');
  const ok = (s: string | undefined) => !!s && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s);
  if (parts.length === 1 && ok(parts[0])) return { namespace: defaultNamespace, name: parts[0] };
  if (parts.length === 2 && ok(parts[0]) && ok(parts[1])) return { namespace: parts[0], name: parts[1] };
  throw new InvalidArgumentError(`expected NAMESPACE/NAME (lower-case DNS names), got "${value}"`);
}

/** A count such as a concurrency limit: an integer of at least 1. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`not a positive integer: "${value}"`);
  return n;
}

/** A checker that throws plain Errors (shared with servers and env vars) as a commander argument parser. */
export function flagChecked(check: (value: string, what: string) => string, flag: string): (value: string) => string {
  return (value) => {
    try {
      return check(value, flag);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}
