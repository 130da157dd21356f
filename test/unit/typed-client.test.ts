/**
 * The vector runner calls the API through a client typed from the committed document
 * (src/vectors/client.ts). This compiles small callers against those types: a path, body field or
 * answer field the document does not have must be a type error, so contract drift breaks the build.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/vectors/sources.js';

const root = projectRoot();
const file = join(root, 'test', 'unit', '__typed_client_probe__.ts');

/** Type errors of `source` compiled as a file of this project (with its tsconfig). */
function typeErrors(source: string): string[] {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, dirname(configPath));
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], { ...config.options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => `${d.start !== undefined ? d.file!.getLineAndCharacterOfPosition(d.start).line + 1 : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

const header = `import type { ApiClient, Body } from '../../src/vectors/client.js';\ndeclare const api: ApiClient;\n`;

describe('the client typed from openapi/openapi.json', () => {
  it('accepts calls the document describes', () => {
    const errors = typeErrors(
      header +
        `export async function ok() {
          const { data } = await api.POST('/v1/funds', { body: { name: 'F' } satisfies Body<'/v1/funds'> });
          const id: string | undefined = data?.id;
          await api.GET('/v1/funds/{id}/balances', { params: { path: { id: id! } } });
        }\n`,
    );
    expect(errors).toEqual([]);
  }, 60_000);

  it('refuses an unknown path, an unknown body field (written as the runner writes bodies: `satisfies Body<…>`), a missing required field and an unknown answer field', () => {
    const errors = typeErrors(
      header +
        `export async function drift() {
          await api.GET('/v1/no-such-path');
          await api.POST('/v1/funds', { body: { name: 'F', colour: 'red' } satisfies Body<'/v1/funds'> });
          await api.POST('/v1/funds/{id}/deposits', { params: { path: { id: 'x' } }, body: { funder: 'LBF' } satisfies Body<'/v1/funds/{id}/deposits'> });
          const { data } = await api.GET('/v1/funds/{id}/balances', { params: { path: { id: 'x' } } });
          return data?.availble_ore;
        }\n`,
    );
    const lines = errors.map((e) => Number(e.split(':')[0]));
    expect(lines, errors.join('\n')).toEqual(expect.arrayContaining([4, 5, 6, 8]));
  }, 60_000);
});
