import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson, canonicalJsonBytes } from '../../src/domain/canonical-json.js';

/** IEEE-754 double from its 16 hex digits (RFC 8785 Appendix B is written that way). */
function f64(hex: string): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, BigInt(`0x${hex}`));
  return dv.getFloat64(0);
}

/** JSON.parse turns -0 into 0, so compare against the value with -0 normalised. */
function withoutNegZero(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : v;
  if (Array.isArray(v)) return v.map(withoutNegZero);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      Object.defineProperty(out, k, { value: withoutNegZero(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

describe('canonicalJson: RFC 8785 examples', () => {
  it('§3.2.2 sample: numbers, string escaping and literals', () => {
    const input = {
      // eslint-disable-next-line no-loss-of-precision -- RFC 8785's own test value: it must print as its nearest double does
      numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' + '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('§3.2.3 sorting by UTF-16 code units, including non-ASCII and astral keys', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts an astral key (surrogate pair) before U+E000..U+FFFF, unlike code-point order', () => {
    expect(canonicalJson({ '\uffff': 1, '\u{10000}': 2 })).toBe('{"\u{10000}":2,"\uffff":1}');
  });

  it('sorts integer-like keys as strings, not in JS property order', () => {
    expect(canonicalJson({ b: 1, 10: 2, 2: 3, a: 4, '': 5 })).toBe('{"":5,"10":2,"2":3,"a":4,"b":1}');
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('Appendix B number %s → %s', (hex, expected) => {
    expect(canonicalJson(f64(hex))).toBe(expected);
  });

  it('number forms', () => {
    expect(canonicalJson([1e21, 1e20, -0, 1.5, 0.1, -1, 1e-7, 100, 1.0])).toBe('[1e+21,100000000000000000000,0,1.5,0.1,-1,1e-7,100,1]');
  });

  it('string escaping: control characters short or \\u00xx lowercase, nothing else escaped', () => {
    const all = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
    expect(canonicalJson(all)).toBe(
      '"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f' +
        '\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"',
    );
    expect(canonicalJson('"\\/\u007f\u2028\u2029é😀<>&\'')).toBe('"\\"\\\\/\u007f\u2028\u2029é😀<>&\'"');
  });

  it('no whitespace, nested structures, empty containers', () => {
    expect(canonicalJson({ z: [], y: {}, x: [{ b: null, a: [1, 'two', { d: true, c: false }] }] })).toBe(
      '{"x":[{"a":[1,"two",{"c":false,"d":true}],"b":null}],"y":{},"z":[]}',
    );
  });

  it('UTF-8 bytes', () => {
    expect(canonicalJsonBytes({ '€': 'ø' }).toString('hex')).toBe(Buffer.from('{"€":"ø"}', 'utf8').toString('hex'));
  });
});

describe('canonicalJson: bigint and JSON.stringify compatibility', () => {
  it('writes safe bigints as integers', () => {
    expect(canonicalJson({ a: 12345n, b: -9007199254740991n, c: 9007199254740991n, d: 0n })).toBe(
      '{"a":12345,"b":-9007199254740991,"c":9007199254740991,"d":0}',
    );
  });

  it('omits undefined, functions and symbols in objects like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 1, c: () => 1, d: Symbol('x') })).toBe('{"b":1}');
    expect(canonicalJson({ [Symbol('k')]: 1, k: 2 })).toBe('{"k":2}');
  });

  it('honours toJSON (Date) and null-prototype objects', () => {
    expect(canonicalJson({ at: new Date('2024-01-02T03:04:05.678Z') })).toBe('{"at":"2024-01-02T03:04:05.678Z"}');
    const o = Object.create(null) as Record<string, unknown>;
    o.b = 1;
    o.a = 2;
    expect(canonicalJson(o)).toBe('{"a":2,"b":1}');
  });

  it('escapes keys', () => {
    expect(canonicalJson({ 'a"b': 1, '\n': 2 })).toBe('{"\\n":2,"a\\"b":1}');
  });
});

describe('canonicalJson: rejections', () => {
  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', { a: [-Infinity] }],
    ['bigint above 2^53-1', 9007199254740992n],
    ['bigint below -(2^53-1)', { a: -9007199254740992n }],
    ['top-level undefined', undefined],
    ['top-level function', () => 1],
    ['top-level symbol', Symbol('s')],
    ['undefined in array', [1, undefined]],
    ['function in array', [() => 1]],
    // eslint-disable-next-line no-sparse-arrays -- the hole is the input under test
    ['sparse array', [1, , 3]],
    ['Map', new Map([['a', 1]])],
    ['Set', { s: new Set([1]) }],
    [
      'class instance',
      new (class Foo {
        a = 1;
      })(),
    ],
    ['lone high surrogate', 'a\ud800'],
    ['lone low surrogate in key', { '\udc00': 1 }],
  ])('%s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
  });

  it('rejects cycles but allows shared (acyclic) references', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(/cyclic/);
    const shared = { v: 1 };
    expect(canonicalJson({ p: shared, q: [shared] })).toBe('{"p":{"v":1},"q":[{"v":1}]}');
  });

  it('errors name the path, never the value', () => {
    try {
      canonicalJson({ child: { cpr: '0101901234', n: [1, 2, NaN] } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CanonicalJsonError);
      expect((e as CanonicalJsonError).path).toBe('$.child.n[2]');
      expect((e as Error).message).not.toContain('0101901234');
    }
  });
});

describe('canonicalJson: properties', () => {
  const jsonArb = fc.oneof(
    fc.jsonValue(),
    fc.jsonValue({ stringUnit: 'grapheme' }), // non-ASCII, astral, combining sequences
    fc.jsonValue({ stringUnit: 'binary-ascii' }), // control characters
  );

  it('JSON.parse(canonical(x)) deep-equals x (with -0 as 0)', () => {
    fc.assert(
      fc.property(jsonArb, (x) => {
        expect(JSON.parse(canonicalJson(x))).toStrictEqual(withoutNegZero(x));
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent: canonical(parse(canonical(x))) === canonical(x)', () => {
    fc.assert(
      fc.property(jsonArb, (x) => {
        const c = canonicalJson(x);
        expect(canonicalJson(JSON.parse(c))).toBe(c);
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue({ maxDepth: 2 })), fc.nat(), (obj, seed) => {
        const entries = Object.entries(obj);
        // Deterministic shuffle driven by the generated seed.
        const shuffled = entries
          .map((e, i) => [e, (i * 2654435761 + seed) % 1000003] as const)
          .sort((a, b) => a[1] - b[1])
          .map(([e]) => e);
        const rebuilt: Record<string, unknown> = {};
        for (const [k, v] of shuffled) {
          Object.defineProperty(rebuilt, k, { value: v, enumerable: true, writable: true, configurable: true });
        }
        expect(canonicalJson(rebuilt)).toBe(canonicalJson(obj));
      }),
    );
  });

  it('matches JSON.stringify for scalars and arrays (no objects involved)', () => {
    const scalarArr = fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ unit: 'grapheme' }), fc.boolean(), fc.constant(null)));
    fc.assert(
      fc.property(scalarArr, (arr) => {
        expect(canonicalJson(arr)).toBe(JSON.stringify(arr));
      }),
    );
  });
});
