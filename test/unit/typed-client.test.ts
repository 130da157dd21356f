/**
 * The vector runner calls the API through a client typed from the committed document
 * (src/vectors/client.ts). This compiles small callers against those types: a path, body field or
 * answer field the document does not have must be a type error, so contract drift breaks the build.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/vectors/sources.js';

const root = projectRoot();

/** Type errors per probe: each source compiled as a file of this project (its tsconfig), in one program. */
function typeErrors(sources: Record<string, string>): Record<string, string[]> {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, dirname(configPath));
  const files = new Map(Object.entries(sources).map(([name, text]) => [join(root, 'test', 'unit', `__typed_client_${name}__.ts`), text]));
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const program = ts.createProgram([...files.keys()], { ...config.options, noEmit: true }, host);
  return Object.fromEntries(
    [...files.keys()].map((path, i) => [
      Object.keys(sources)[i]!,
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(path))
        .map(
          (d) =>
            `${d.start !== undefined ? d.file!.getLineAndCharacterOfPosition(d.start).line + 1 : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
        ),
    ]),
  );
}

const header = `import type { ApiClient, Body } from '../../src/vectors/client.js';\ndeclare const api: ApiClient;\n`;

const probes = {
  ok:
    header +
    `export async function ok() {
      const { data } = await api.POST('/v1/funds', { body: { name: 'F' } satisfies Body<'/v1/funds'> });
      const id: string | undefined = data?.id;
      await api.GET('/v1/funds/{id}/balances', { params: { path: { id: id! } } });
    }\n`,
  drift:
    header +
    `export async function drift() {
      await api.GET('/v1/no-such-path');
      await api.POST('/v1/funds', { body: { name: 'F', colour: 'red' } satisfies Body<'/v1/funds'> });
      await api.POST('/v1/funds/{id}/deposits', { params: { path: { id: 'x' } }, body: { funder: 'LBF' } satisfies Body<'/v1/funds/{id}/deposits'> });
      const { data } = await api.GET('/v1/funds/{id}/balances', { params: { path: { id: 'x' } } });
      return data?.availble_ore;
    }\n`,
};

describe('the client typed from openapi/openapi.json', () => {
  let errors: Record<string, string[]>;
  beforeAll(() => {
    errors = typeErrors(probes);
  }, 120_000);

  it('accepts calls the document describes', () => {
    expect(errors.ok).toEqual([]);
  });

  it('refuses an unknown path, an unknown body field (written as the runner writes bodies: `satisfies Body<…>`), a missing required field and an unknown answer field', () => {
    const lines = errors.drift!.map((e) => Number(e.split(':')[0]));
    expect(lines, errors.drift!.join('\n')).toEqual(expect.arrayContaining([4, 5, 6, 8]));
  });
});
