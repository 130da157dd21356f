import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenApi } from '../../src/http/openapi.js';

describe('the committed OpenAPI document', () => {
  it('matches the routes (run `npm run openapi` when this fails)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(await generateOpenApi()));
  });

  it('documents problem responses and the API key security scheme', async () => {
    const doc = JSON.parse(await generateOpenApi());
    expect(doc.components.securitySchemes.apiKey.scheme).toBe('bearer');
    expect(Object.keys(doc.paths)).toContain('/v1/measurements');
    expect(Object.keys(doc.paths)).toContain('/v1/ledger/verify');
  });
});
