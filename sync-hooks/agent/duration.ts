// Go duration strings ("30s", "5m0s", "1h30m", "250ms") as seconds, the way kagent's translator turns a
// metav1.Duration into config.json's float seconds.

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const PART_RE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Parse a Go duration; throws with the offending text when it is not one. */
export function durationSeconds(text: string): number {
  const s = text.trim();
  if (s === '0') return 0;
  let sign = 1;
  let i = 0;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  let total = 0;
  let parts = 0;
  while (i < s.length) {
    PART_RE.lastIndex = i;
    const m = PART_RE.exec(s);
    if (!m) throw new Error(`invalid duration "${text}"`);
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
    i = PART_RE.lastIndex;
    parts++;
  }
  if (parts === 0) throw new Error(`invalid duration "${text}"`);
  // Round to nanoseconds so 0.1+0.2-style float noise never reaches config.json.
  return sign * (Math.round(total * 1e9) / 1e9);
}
