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
 * Where a value sits: the keys from the root, pushed and popped as the serialiser descends, and
 * rendered as a JSON path only when an error is thrown (building a path for every value would
 * cost more than the serialisation itself).
 */
type Path = (string | number)[];

function render(path: Path): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  }
  return out;
}

function fail(path: Path, problem: string): never {
  throw new CanonicalJsonError(render(path), problem);
}

function serializeString(s: string, path: Path): string {
  // RFC 8785 requires I-JSON input (RFC 7493 §2.1): no lone surrogates.
  if (ANY_SURROGATE_RE.test(s) && LONE_SURROGATE_RE.test(s)) fail(path, 'string contains a lone surrogate');
  return JSON.stringify(s);
}

/** Serialised object keys: an explanation repeats the same few dozen names thousands of times. */
const KEY_CACHE = new Map<string, string>();
const KEY_CACHE_MAX = 4096;

function serializeKey(k: string, path: Path): string {
  let text = KEY_CACHE.get(k);
  if (text === undefined) {
    text = serializeString(k, path);
    if (KEY_CACHE.size < KEY_CACHE_MAX) KEY_CACHE.set(k, text);
  }
  return text;
}

function isOmittable(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function serialize(value: unknown, path: Path, stack: object[], key: string | number): string {
  // Honour toJSON like JSON.stringify (e.g. Date → ISO string), with the same key argument.
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, String(key));
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
  // The objects being serialised, root to here: a cycle is one met again on its own path.
  if (stack.includes(obj)) fail(path, 'cyclic structure');
  stack.push(obj);
  const out = Array.isArray(obj) ? serializeArray(obj, path, stack) : serializeObject(obj, path, stack);
  stack.pop();
  return out;
}

function serializeArray(arr: unknown[], path: Path, stack: object[]): string {
  let out = '[';
  for (let i = 0; i < arr.length; i++) {
    path.push(i);
    // JSON.stringify would write null here, silently changing hashed data.
    if (!(i in arr)) fail(path, 'sparse array hole');
    out += (i ? ',' : '') + serialize(arr[i], path, stack, i);
    path.pop();
  }
  return out + ']';
}

function serializeObject(obj: object, path: Path, stack: object[]): string {
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
    path.push(k);
    out += `${first ? '' : ','}${serializeKey(k, path)}:${serialize(v, path, stack, k)}`;
    path.pop();
    first = false;
  }
  return out + '}';
}

/** Canonical (RFC 8785) JSON text of `value`. Throws CanonicalJsonError on non-JSON input. */
export function canonicalJson(value: unknown): string {
  return serialize(value, [], [], '');
}

/** UTF-8 bytes of the canonical JSON, the form that is hashed or signed. */
export function canonicalJsonBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
