import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateClientTypes, generateOpenApi } from '../../src/http/openapi.js';

let generated: any;
beforeAll(async () => {
  generated = JSON.parse(await generateOpenApi());
});

describe('the committed OpenAPI document', () => {
  it('matches the routes (run `npm run openapi` when this fails)', () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    expect(JSON.parse(committed)).toEqual(generated);
  });

  it('has fresh client types (openapi/openapi.d.ts; run `npm run openapi` when this fails)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.d.ts', import.meta.url), 'utf8');
    const json = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(await generateClientTypes(json));
  });

  it('documents the API key security scheme and the main routes', () => {
    expect(generated.components.securitySchemes.apiKey.scheme).toBe('bearer');
    for (const path of ['/v1/measurements', '/v1/measurements/batch', '/v1/ledger/verify', '/v1/ledger/export.ndjson']) {
      expect(Object.keys(generated.paths)).toContain(path);
    }
  });
});
