// Output as the README shows it and as a run prints it, with what differs per run replaced by a placeholder (pure).
// JSON log lines are the servers' structured logs (stderr), which a transcript leaves out.
const PER_RUN: Array<[RegExp, string]> = [
  [/\/metagent-run-[A-Za-z0-9]{6}\b/g, '/metagent-run-<random>'],
  [/\b\d+(?:\.\d+)?(?:ms|s|m|h|d)\b/g, '<duration>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>'],
];

export function normalise(output: string): string {
  return output
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '' && !/^\{".*\}$/.test(l))
    .map((l) => PER_RUN.reduce((acc, [re, to]) => acc.replace(re, to), l))
    .join('\n');
}
