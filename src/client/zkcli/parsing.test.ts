// The Java-emulation pieces: word splitting, commons-cli parsing, number parsing, dates, StatsTrack.
import { describe, expect, it } from 'vitest';
import { formatJavaDate } from './java-date';
import { decodeJavaInt, isJavaDouble, parseJavaInt, parseJavaLong } from './java-text';
import { parseMainArgs } from './main-args';
import { OptionSpec, parseOptions } from './option-parser';
import { StatsTrack } from './stats-track';
import { tokenizeCommand } from './tokenize';
import { clientConfigString } from './client-config';

describe('tokenizeCommand', () => {
  it('splits on spaces and strips matched quotes', () => {
    expect(tokenizeCommand('  ls   -s  /a  ')).toEqual(['ls', '-s', '/a']);
    expect(tokenizeCommand(`create /a "x y" 'p q'`)).toEqual(['create', '/a', 'x y', 'p q']);
    expect(tokenizeCommand('set /a ""')).toEqual(['set', '/a', '']);
  });
  it('keeps Java quirks', () => {
    expect(tokenizeCommand('a"b c"')).toEqual(['a"b', 'c"']);
    expect(tokenizeCommand('"abc')).toEqual(['abc']);
    expect(tokenizeCommand('"ab"cd')).toEqual(['ab', 'cd']);
    expect(tokenizeCommand('   ')).toEqual([' ']);
    expect(tokenizeCommand('"')).toEqual([]);
  });
});

describe('commons-cli DefaultParser', () => {
  const spec = new OptionSpec([
    { opt: 's', hasArg: false, description: 'stats' },
    { opt: 'v', hasArg: true, description: 'version' },
  ]);
  const parse = (...w: string[]) => parseOptions(spec, w);
  const error = (...w: string[]) => {
    try {
      parse(...w);
    } catch (e) {
      return String(e);
    }
    return 'no error';
  };

  it('separates options from arguments anywhere on the line', () => {
    const cl = parse('set', '/a', '-s', 'x', '-v', '3');
    expect(cl.args).toEqual(['set', '/a', 'x']);
    expect(cl.hasOption('s')).toBe(true);
    expect(cl.optionValue('v')).toBe('3');
  });
  it('accepts -v3, -v=3, -sv 3, negative numbers as values and -- to stop', () => {
    expect(parse('x', '-v3').optionValue('v')).toBe('3');
    expect(parse('x', '-v=3').optionValue('v')).toBe('3');
    expect(parse('x', '-sv', '3').optionValue('v')).toBe('3');
    expect(parse('x', '-v', '-1').optionValue('v')).toBe('-1');
    expect(parse('x', '--', '-s').args).toEqual(['x', '-s']);
    expect(parse('x', '-').args).toEqual(['x', '-']);
  });
  it('reports errors with the commons-cli exception names', () => {
    expect(error('x', '-q')).toBe('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -q');
    expect(error('x', '-sq')).toBe('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -sq');
    expect(error('x', '--long=1')).toBe('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: --long=1');
    expect(error('x', '-xy=1')).toBe('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -xy=1');
    expect(error('x', '-v')).toBe('org.apache.commons.cli.MissingArgumentException: Missing argument for option: v');
    expect(error('x', '-v', '-s')).toBe('org.apache.commons.cli.MissingArgumentException: Missing argument for option: v');
    expect(error('x', '-s=1')).toBe('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -s=1');
  });
});

describe('Java numbers', () => {
  it('parseInt / parseLong / decode with Java messages', () => {
    expect(parseJavaInt('+42')).toBe(42);
    expect(() => parseJavaInt('2147483648')).toThrow('For input string: "2147483648"');
    expect(() => parseJavaInt('')).toThrow('For input string: ""');
    expect(parseJavaLong('1099511627775')).toBe(1099511627775n);
    expect(parseJavaLong('ff', 16)).toBe(255n);
    expect(decodeJavaInt('0x1F')).toBe(31);
    expect(decodeJavaInt('#10')).toBe(16);
    expect(decodeJavaInt('010')).toBe(8);
    expect(decodeJavaInt('-0')).toBe(-0);
    expect(() => decodeJavaInt('0xZZ')).toThrow('For input string: "ZZ" under radix 16');
  });
  it('recognizes what Double.parseDouble accepts', () => {
    for (const s of ['-1', '-1.5', '-.5e3', '-1d', '-Infinity', '-NaN', '-0x1p3']) expect(isJavaDouble(s)).toBe(true);
    for (const s of ['-s', '-1x', '-', '-e5']) expect(isJavaDouble(s)).toBe(false);
  });
});

describe('formatJavaDate', () => {
  it('prints Date.toString() in the given zone without reading the clock', () => {
    expect(formatJavaDate(Date.UTC(2026, 10, 21, 23, 21, 0))).toBe('Sat Nov 21 23:21:00 UTC 2026');
    expect(formatJavaDate(0)).toBe('Thu Jan 01 00:00:00 UTC 1970');
    expect(formatJavaDate(Date.UTC(2026, 6, 4, 12, 5, 9), 'America/New_York')).toBe('Sat Jul 04 08:05:09 EDT 2026');
  });
});

describe('StatsTrack', () => {
  it('round-trips the quota text format', () => {
    const t = new StatsTrack('count=2,bytes=-1=;byteHardLimit=3;countHardLimit=1');
    expect(t.count).toBe(2n);
    expect(t.byteHardLimit).toBe(3n);
    expect(t.toString()).toBe('count=2,bytes=-1=;byteHardLimit=3;countHardLimit=1');
    expect(new StatsTrack('').toString()).toBe('count=-1,bytes=-1');
    // Java's split drops the trailing empty value, so kv[1] is out of bounds there too.
    expect(() => new StatsTrack('count=,bytes=5')).toThrow('Index 1 out of bounds for length 1');
  });
});

describe('clientConfigString', () => {
  it('orders servers as the Java hash table iterates them', () => {
    const cfg = Array.from({ length: 5 }, (_, i) => `server.${5 - i}=h${5 - i}:2888:3888;h${5 - i}:2181`).join('\n');
    // Checked against java.util.Properties on a JVM.
    expect(clientConfigString(`${cfg}\nversion=1`)).toBe('1 h2:2181,h1:2181,h5:2181,h4:2181,h3:2181');
    const many = Array.from({ length: 15 }, (_, i) => `server.${i + 1}=h:1:2;h${i + 1}:1`).join('\n');
    expect(clientConfigString(`${many}\nversion=1`)).toBe(
      '1 h10:1,h11:1,h2:1,h14:1,h1:1,h15:1,h12:1,h13:1,h6:1,h5:1,h4:1,h3:1,h9:1,h8:1,h7:1',
    );
  });
});

describe('parseMainArgs', () => {
  it('reads -server/-timeout/-r and the one-shot command', () => {
    expect(parseMainArgs(['-server', '127.0.0.1:2181', '-r', 'ls', '-s', '/'])).toMatchObject({
      server: '127.0.0.1:2181',
      readOnly: true,
      command: ['ls', '-s', '/'],
      error: null,
    });
    expect(parseMainArgs([]).server).toBe('localhost:2181');
    expect(parseMainArgs(['-server']).error).toBe('Error: no argument found for option -server');
  });
});
