// Cases beyond the corpus examples for the parsing functions of issue 19: the error paths, the
// file-reading rule of parse_etld and the parts of each format the examples do not reach.
import { describe, expect, it } from 'vitest';
import { compileVrl, parseEtldFunction, toJson } from '../index.js';

function run(source: string, options?: Parameters<typeof compileVrl>[1]): unknown {
  const c = compileVrl(source, options);
  if (!c.ok) throw new Error(c.message);
  const r = c.program.run({});
  if (!r.ok) throw new Error(r.aborted ? r.message : r.error);
  return toJson(r.value);
}

function codes(source: string): number[] {
  const c = compileVrl(source);
  return c.ok ? [] : c.diagnostics.map((d) => d.code);
}

describe('parsing functions', () => {
  it('parse_cef fails without a CEF header and reads escapes and custom labels', () => {
    expect(run('parse_cef("no cef here") ?? "failed"')).toBe('failed');
    expect(
      run(
        String.raw`parse_cef!(s'CEF:0|a\|b|p|1|2|n|3|cs1=x\\y cs1Label=Lbl', translate_custom_fields: true)`,
      ),
    ).toMatchObject({
      deviceVendor: 'a|b',
      Lbl: 'x\\y',
    });
  });

  it('parse_cbor reads indefinite lengths, tags, half floats, and refuses trailing bytes', () => {
    // {_ "a": [_ 1, -2], "b": tag 1 (1.5 as half float)}
    expect(run('parse_cbor!(decode_base16!("bf61619f0121ff6162c1f93e00ff"))')).toEqual({
      a: [1, -2],
      b: 1.5,
    });
    expect(run('parse_cbor(decode_base16!("0101")) ?? "failed"')).toBe('failed');
  });

  it('parse_etld refuses psl files unless the embedder passes a reader', () => {
    expect(codes('parse_etld!("a.b", psl: "/etc/hosts")')).toEqual([610]);
    const files: Record<string, string> = { 'my.dat': '// list\ncorp\n*.wild\n!ok.wild\n' };
    const reader = parseEtldFunction((p) => files[p]);
    const opts = { functions: [reader] };
    expect(run('parse_etld!("x.y.corp", plus_parts: 1, psl: "my.dat")', opts)).toEqual({
      etld: 'corp',
      etld_plus: 'y.corp',
      known_suffix: true,
    });
    expect(run('parse_etld!("a.b.wild", psl: "my.dat")', opts)).toMatchObject({ etld: 'b.wild' });
    expect(run('parse_etld!("a.ok.wild", psl: "my.dat")', opts)).toMatchObject({ etld: 'wild' });
    expect(run('parse_etld!("www.example.co.uk", plus_parts: 1)')).toMatchObject({
      etld_plus: 'example.co.uk',
    });
  });

  it('grok: unknown patterns are E610; types, nesting and alias recursion work', () => {
    expect(codes('parse_grok!("x", "%{NOPE:x}")')).toEqual([610]);
    expect(run('parse_grok!("n=42 f=1.5", "n=%{INT:n:int} f=%{NUMBER:f:float}")')).toEqual({
      n: 42,
      f: 1.5,
    });
    expect(
      run('parse_groks!("a b", patterns: ["%{x}"], aliases: {"x": "%{WORD:p.q} %{WORD:p.r}"})'),
    ).toEqual({ p: { q: 'a', r: 'b' } });
    expect(run('parse_groks("a b", patterns: ["%{WORD:w}"]) ?? "no match"')).toBe('no match');
  });

  it('match_datadog_query: negation, comparisons, ranges, tags and _exists_', () => {
    const q = (ev: string, query: string): unknown =>
      run(`match_datadog_query(${ev}, s'${query}')`);
    expect(q('{"message": "a b"}', '-c')).toBe(true);
    expect(q('{"a": {"b": 5}}', '@a.b:>=5 AND @a.b:<6')).toBe(true);
    expect(q('{"n": 11}', '@n:[1 TO 10]')).toBe(false);
    expect(q('{"tags": ["env:prod"]}', 'env:prod AND NOT env:dev')).toBe(true);
    expect(q('{"x": 1}', '_exists_:@x OR _missing_:@x')).toBe(true);
    expect(codes('match_datadog_query({}, "(a")')).toEqual([610]);
  });

  it('parse_xml and parse_ruby_hash reject malformed input', () => {
    expect(run('parse_xml("<a><b></a>") ?? "bad"')).toBe('bad');
    expect(run('parse_xml!("<a n=\\"1\\">x &amp; y</a>", attr_prefix: "_")')).toEqual({
      a: { _n: 1, text: 'x & y' },
    });
    expect(run('parse_ruby_hash("{ a => }") ?? "bad"')).toBe('bad');
    expect(run('parse_ruby_hash!("{:a => [1, :b], c: nil}")')).toEqual({ a: [1, 'b'], c: null });
  });

  it('log formats: vpc field count, nginx error without request, influx without tags', () => {
    expect(run('parse_aws_vpc_flow_log("1 2", "a") ?? "bad"')).toBe('bad');
    expect(
      run('parse_nginx_log!("2021/04/01 13:02:31 [warn] 1#2: something odd", "error")'),
    ).toEqual({
      timestamp: '2021-04-01T13:02:31Z',
      severity: 'warn',
      pid: 1,
      tid: 2,
      message: 'something odd',
    });
    expect(run('parse_influxdb!("m f=1i")')).toEqual([
      { name: 'm_f', kind: 'absolute', gauge: { value: 1 } },
    ]);
  });

  it('ip_pton/ip_ntop round-trip IPv4 and IPv6 bytes; friendly ids decode to UUIDs', () => {
    expect(run('ip_ntop!(ip_pton!("fe80::1:0:0:2"))')).toBe('fe80::1:0:0:2');
    expect(run('encode_base16(ip_pton!("10.0.0.255"))')).toBe('0a0000ff');
    expect(run('ip_ntop("abc") ?? "bad"')).toBe('bad');
    expect(run('uuid_from_friendly_id("not-base62!") ?? "bad"')).toBe('bad');
  });
});
