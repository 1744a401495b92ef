// Kubernetes resource quantities in the API server's canonical form. The server stores `3000m` as `3` and `1.5Gi`
// as `1536Mi`; a child that carries the non-canonical spelling would differ from what is stored on every resync and
// be rewritten forever (see DESIGN.md "An unchanged resync writes nothing").

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL_SUFFIX).map(([s, e]) => [e, s]));
const BINARY_BY_POWER = new Map(Object.entries(BINARY_SUFFIX).map(([s, p]) => [p, s]));

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

interface Parsed {
  /** value = mantissa * 10^exp (* 1024^binaryPower) */
  mantissa: bigint;
  exp: number;
  binaryPower: number;
  format: Format;
}

const QUANTITY_RE = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

function parse(input: string): Parsed {
  const m = QUANTITY_RE.exec(input.trim());
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) throw new Error(`invalid quantity "${input}"`);
  const [, sign, whole, frac = '', suffix = ''] = m;
  let mantissa = BigInt((whole || '0') + frac);
  if (sign === '-') mantissa = -mantissa;
  let exp = -frac.length;
  let binaryPower = 0;
  let format: Format = 'DecimalSI';
  if (suffix in BINARY_SUFFIX) {
    binaryPower = BINARY_SUFFIX[suffix];
    format = 'BinarySI';
  } else if (/^[eE]/.test(suffix)) {
    exp += Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    exp += DECIMAL_SUFFIX[suffix];
  }
  return { mantissa, exp, binaryPower, format };
}

function stripZeros(mantissa: bigint, exp: number): [bigint, number] {
  if (mantissa === 0n) return [0n, 0];
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp += 1;
  }
  return [mantissa, exp];
}

function formatDecimal(mantissa: bigint, exp: number, format: 'DecimalSI' | 'DecimalExponent'): string {
  [mantissa, exp] = stripZeros(mantissa, exp);
  if (mantissa === 0n) return '0';
  let target = Math.floor(exp / 3) * 3;
  if (format === 'DecimalSI') {
    if (target > 18) target = 18;
    if (target < -9) {
      // The server rounds values below 1n up to 1n; quantities that small do not occur in pod specs.
      const scale = 10n ** BigInt(-9 - exp);
      mantissa = (mantissa + scale - 1n) / scale;
      exp = -9;
      target = -9;
    }
  }
  const scaled = mantissa * 10n ** BigInt(exp - target);
  if (format === 'DecimalExponent') return target === 0 ? `${scaled}` : `${scaled}e${target}`;
  return `${scaled}${DECIMAL_BY_EXP.get(target) ?? ''}`;
}

// Memo of canonicalQuantity: it is pure, the BigInt arithmetic is the costliest step of building a Deployment, and
// an Agent's quantities repeat on every resync. Bounded; malformed quantities (which throw) are not cached.
const canonicalMemo = new Map<string, string>();

/** The canonical string the API server would store for a quantity. Throws on a malformed quantity. */
export function canonicalQuantity(q: string | number): string {
  const key = String(q);
  const hit = canonicalMemo.get(key);
  if (hit !== undefined) return hit;
  const out = computeCanonicalQuantity(key);
  if (canonicalMemo.size >= 4096) canonicalMemo.clear();
  canonicalMemo.set(key, out);
  return out;
}

function computeCanonicalQuantity(q: string): string {
  const p = parse(q);
  if (p.format !== 'BinarySI') return formatDecimal(p.mantissa, p.exp, p.format);
  // Binary: work in whole bytes; fractional or small values fall back to decimal, as the server does.
  const [mantissa, exp] = stripZeros(p.mantissa, p.exp);
  let value: bigint;
  if (exp >= 0) value = mantissa * 10n ** BigInt(exp) * 1024n ** BigInt(p.binaryPower);
  else {
    const num = mantissa * 1024n ** BigInt(p.binaryPower);
    const den = 10n ** BigInt(-exp);
    if (num % den !== 0n) return formatDecimal(num, exp, 'DecimalSI');
    value = num / den;
  }
  const abs = value < 0n ? -value : value;
  if (abs < 1024n) return formatDecimal(value, 0, 'DecimalSI');
  let power = 0;
  while (power < 6 && value % 1024n ** BigInt(power + 1) === 0n) power++;
  if (power === 0) return formatDecimal(value, 0, 'DecimalSI');
  return `${value / 1024n ** BigInt(power)}${BINARY_BY_POWER.get(power)}`;
}

/** Canonicalise every quantity of a ResourceRequirements-shaped object. */
export function canonicalResources<
  T extends { limits?: Record<string, string | number>; requests?: Record<string, string | number> },
>(r: T): T {
  const out: Record<string, unknown> = { ...r };
  for (const side of ['limits', 'requests'] as const) {
    const list = r[side];
    if (!list) continue;
    out[side] = canonicalList(list);
  }
  return out as T;
}

// A loop instead of Object.fromEntries(Object.entries(...).map(...)): no intermediate arrays on every sync request.
function canonicalList(list: Record<string, string | number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(list)) {
    const v = canonicalQuantity(list[k]);
    // A key named "__proto__" is data (as fromEntries would define it), not the prototype.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
