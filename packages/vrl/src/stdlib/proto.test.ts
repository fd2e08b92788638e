// parse_proto / encode_proto against a descriptor set made here with protobufjs (the corpus's
// examples name a .desc file it does not ship), and the stdlib's refusal to read files.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compileVrl, protoFunctions, toJson } from '../index.js';

const require = createRequire(import.meta.url);

interface Pb {
  parse(text: string): { root: { toDescriptor(syntax: string): unknown } };
}
interface Desc {
  FileDescriptorSet: { encode(m: unknown): { finish(): Uint8Array } };
}

function descriptor(): Buffer {
  const pb = require('protobufjs') as Pb;
  const desc = require('protobufjs/ext/descriptor') as Desc;
  const { root } = pb.parse(`
    syntax = "proto3";
    package test_protobuf.v1;
    message Person {
      string name = 1;
      int32 id = 2;
      bytes blob = 3;
      repeated PhoneNumber phones = 4;
      Kind kind = 5;
    }
    message PhoneNumber { string number = 1; }
    enum Kind { UNKNOWN = 0; FRIEND = 1; }
  `);
  return Buffer.from(desc.FileDescriptorSet.encode(root.toDescriptor('proto3')).finish());
}

function run(source: string, options?: Parameters<typeof compileVrl>[1]): unknown {
  const c = compileVrl(source, options);
  if (!c.ok) throw new Error(c.message);
  const r = c.program.run({});
  if (!r.ok) throw new Error(r.aborted ? r.message : r.error);
  return toJson(r.value);
}

describe('parse_proto / encode_proto', () => {
  const desc = descriptor();
  const opts = { functions: protoFunctions((p) => (p === 'person.desc' ? desc : undefined)) };
  const T = '"person.desc", "test_protobuf.v1.Person"';

  it('decodes the corpus example bytes by the descriptor', () => {
    expect(run(`parse_proto!(decode_base64!("Cgdzb21lb25lIggKBjEyMzQ1Ng=="), ${T})`, opts)).toEqual(
      {
        name: 'someone',
        phones: [{ number: '123456' }],
      },
    );
  });

  it('encodes to the corpus example bytes and round-trips enums, ints and bytes', () => {
    expect(
      run(
        `encode_base64(encode_proto!({"name": "someone", "phones": [{"number": "123456"}]}, ${T}))`,
        opts,
      ),
    ).toBe('Cgdzb21lb25lIggKBjEyMzQ1Ng==');
    expect(
      run(
        `parse_proto!(encode_proto!({"id": 7, "kind": "FRIEND", "blob": "hi"}, ${T}), ${T})`,
        opts,
      ),
    ).toEqual({ id: 7, kind: 'FRIEND', blob: 'hi' });
  });

  it('refuses unknown types, bad bytes and (in the stdlib) every file', () => {
    const bad = compileVrl('parse_proto!("x", "person.desc", "test_protobuf.v1.Nope")', opts);
    expect(bad.ok ? [] : bad.diagnostics.map((d) => d.code)).toEqual([610]);
    expect(run(`parse_proto(decode_base16!("0aff"), ${T}) ?? "bad"`, opts)).toBe('bad');
    const std = compileVrl(`parse_proto!("x", ${T})`);
    expect(std.ok ? [] : std.diagnostics.map((d) => d.code)).toEqual([610]);
  });
});
