/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * Used for anything that is hashed or signed (the ledger hash chain, SETTLEMENT.md §6), so the
 * output must be byte-identical for equal data regardless of key insertion order. JCS is defined
 * in terms of ECMAScript itself: strings are escaped as JSON.stringify does, numbers are written
 * in ES Number-to-string form, and object keys are sorted by UTF-16 code units.
 *
 * Deliberately stricter than JSON.stringify where it would silently change the data:
 * non-finite numbers, unsafe bigints, lone surrogates, cycles, non-plain objects (Map, Set,
 * class instances without toJSON) and undefined/functions/symbols inside arrays all throw.
 * Error messages carry the JSON path but never the value (values may be personal data).
 */

export class CanonicalJsonError extends TypeError {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`canonical JSON: ${problem} at ${path}`);
    this.name = 'CanonicalJsonError';
    this.path = path;
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// With the `u` flag a lone surrogate is a code point of category Cs; a valid pair is not.
const LONE_SURROGATE_RE = /\p{Cs}/u;
// Cheap pre-check (no `u` flag): most strings hold no surrogate at all.
const ANY_SURROGATE_RE = /[\uD800-\uDFFF]/;

/**
 * Where a value sits, as a chain of keys; rendered as a JSON path only when an error is thrown
 * (building path strings for every key would cost more than the serialisation itself).
 */
type Path = { parent: Path; key: string | number } | null;

function render(path: Path): string {
  if (!path) return '$';
  const { key } = path;
  const head = render(path.parent);
  if (typeof key === 'number') return `${head}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${head}.${key}` : `${head}[${JSON.stringify(key)}]`;
}

function fail(path: Path, problem: string): never {
  throw new CanonicalJsonError(render(path), problem);
}

function serializeString(s: string, path: Path): string {
  // RFC 8785 requires I-JSON input (RFC 7493 §2.1): no lone surrogates.
  if (ANY_SURROGATE_RE.test(s) && LONE_SURROGATE_RE.test(s)) fail(path, 'string contains a lone surrogate');
  return JSON.stringify(s);
}

function isOmittable(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function serialize(value: unknown, path: Path, stack: Set<object>, key: string): string {
  // Honour toJSON like JSON.stringify (e.g. Date → ISO string), with the same key argument.
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, key);
  }

  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail(path, 'non-finite number');
      // ES Number::toString is exactly the JCS number form; String(-0) is already "0".
      return String(value);
    case 'bigint':
      // Accepted for convenience (money is bigint øre) but only where it is exactly
      // representable as an IEEE double, so every JCS consumer reads the same number.
      if (value > MAX_SAFE || value < -MAX_SAFE) fail(path, 'bigint outside the safe integer range ±(2^53−1)');
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return fail(path, `${typeof value} is not a JSON value`);
    case 'object':
      break;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (stack.has(obj)) fail(path, 'cyclic structure');
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      let out = '[';
      for (let i = 0; i < obj.length; i++) {
        const p = { parent: path, key: i };
        // JSON.stringify would write null here, silently changing hashed data.
        if (!(i in obj)) fail(p, 'sparse array hole');
        out += (i ? ',' : '') + serialize(obj[i], p, stack, String(i));
      }
      return out + ']';
    }
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      fail(path, 'not a plain object (Map, Set or class instance without toJSON)');
    }
    // Default sort compares UTF-16 code units, which is exactly what JCS §3.2.3 requires.
    const keys = Object.keys(obj).sort();
    let out = '{';
    let first = true;
    for (const k of keys) {
      const v = (obj as Record<string, unknown>)[k];
      if (isOmittable(v)) continue; // omitted, as JSON.stringify does
      const p = { parent: path, key: k };
      out += `${first ? '' : ','}${serializeString(k, p)}:${serialize(v, p, stack, k)}`;
      first = false;
    }
    return out + '}';
  } finally {
    stack.delete(obj);
  }
}

/** Canonical (RFC 8785) JSON text of `value`. Throws CanonicalJsonError on non-JSON input. */
export function canonicalJson(value: unknown): string {
  return serialize(value, null, new Set(), '');
}

/** UTF-8 bytes of the canonical JSON, the form that is hashed or signed. */
export function canonicalJsonBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
