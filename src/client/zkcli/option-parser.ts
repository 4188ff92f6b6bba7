// The subset of Apache commons-cli (DefaultParser, 1.4/1.5) that zkCli's commands use: short
// options, options with one value, one option group, "--", negative numbers as values, and the
// exact ParseException messages zkCli prints ("org.apache.commons.cli.X: message").
import { isJavaDouble } from './java-text';

export interface OptionDef {
  /** The option name without '-': usually one character; reconfig has "file", "members", ... */
  readonly opt: string;
  readonly hasArg: boolean;
  readonly description: string;
}

export interface OptionGroupDef {
  readonly opts: readonly string[];
  readonly required: boolean;
}

export class OptionSpec {
  readonly defs: readonly OptionDef[];
  readonly group: OptionGroupDef | undefined;
  private readonly byName = new Map<string, OptionDef>();

  constructor(defs: readonly OptionDef[], group?: OptionGroupDef) {
    this.defs = defs;
    this.group = group;
    for (const def of defs) this.byName.set(def.opt, def);
  }
  get(opt: string): OptionDef | undefined {
    return this.byName.get(opt);
  }
  has(opt: string): boolean {
    return this.byName.has(opt);
  }
  inGroup(opt: string): boolean {
    return this.group !== undefined && this.group.opts.includes(opt);
  }
}

/** A commons-cli ParseException; zkCli prints its toString(). */
export class OptionParseError extends Error {
  readonly javaClass: string;
  constructor(javaClass: string, message: string) {
    super(message);
    this.name = 'OptionParseError';
    this.javaClass = javaClass;
  }
  override toString(): string {
    return `org.apache.commons.cli.${this.javaClass}: ${this.message}`;
  }
}

interface Occurrence {
  readonly def: OptionDef;
  readonly values: string[];
}

export class ParsedCommand {
  readonly args: string[];
  private readonly occurrences: readonly Occurrence[];
  constructor(args: string[], occurrences: readonly Occurrence[]) {
    this.args = args;
    this.occurrences = occurrences;
  }
  hasOption(opt: string): boolean {
    return this.occurrences.some((o) => o.def.opt === opt);
  }
  /** CommandLine.getOptionValue: the first value given for the option. */
  optionValue(opt: string): string | undefined {
    for (const o of this.occurrences) if (o.def.opt === opt && o.values.length > 0) return o.values[0];
    return undefined;
  }
}

function unrecognized(token: string): OptionParseError {
  return new OptionParseError('UnrecognizedOptionException', `Unrecognized option: ${token}`);
}

function groupString(spec: OptionSpec, group: OptionGroupDef): string {
  const items = group.opts.map((opt) => `-${opt} ${spec.get(opt)?.description ?? ''}`);
  return `[${items.join(', ')}]`;
}

class DefaultParser {
  private readonly args: string[] = [];
  private readonly occurrences: Occurrence[] = [];
  private current: Occurrence | null = null;
  private skipParsing = false;
  private selected: string | null = null;

  constructor(private readonly spec: OptionSpec) {}

  parse(tokens: readonly string[]): ParsedCommand {
    for (const token of tokens) this.handleToken(token);
    this.checkRequiredArgs();
    const group = this.spec.group;
    if (group !== undefined && group.required && this.selected === null) {
      throw new OptionParseError('MissingOptionException', `Missing required option: ${groupString(this.spec, group)}`);
    }
    return new ParsedCommand(this.args, this.occurrences);
  }

  private handleToken(token: string): void {
    if (this.skipParsing) {
      this.args.push(token);
    } else if (token === '--') {
      this.skipParsing = true;
    } else if (this.current !== null && this.acceptsArg(this.current) && this.isArgument(token)) {
      this.current.values.push(token);
    } else if (token.startsWith('--')) {
      // No zkCli option has a long name, so every "--x" (or "--x=v") is unknown.
      throw unrecognized(token);
    } else if (token.startsWith('-') && token !== '-') {
      this.handleShortOption(token);
    } else {
      this.handleUnknownToken(token);
    }
    if (this.current !== null && !this.acceptsArg(this.current)) this.current = null;
  }

  private acceptsArg(o: Occurrence): boolean {
    return o.def.hasArg && o.values.length < 1;
  }

  private isShortOption(token: string): boolean {
    if (!token.startsWith('-') || token.length === 1) return false;
    const eq = token.indexOf('=');
    const name = eq === -1 ? token.slice(1) : token.slice(1, eq);
    return this.spec.has(name) || (name.length > 0 && this.spec.has(name.charAt(0)));
  }

  private isArgument(token: string): boolean {
    return !this.isShortOption(token) || isJavaDouble(token);
  }

  private handleShortOption(token: string): void {
    const t = token.slice(1);
    const eq = t.indexOf('=');
    if (t.length === 1) {
      const def = this.spec.get(t);
      if (def !== undefined) this.handleOption(def);
      else this.handleUnknownToken(token);
    } else if (eq === -1) {
      const def = this.spec.get(t);
      if (def !== undefined) this.handleOption(def);
      else this.handleConcatenatedOptions(token);
    } else {
      const name = t.slice(0, eq);
      const def = this.spec.get(name);
      if (name.length === 1 && def !== undefined && def.hasArg) {
        this.handleOption(def);
        this.current?.values.push(t.slice(eq + 1));
        this.current = null;
      } else if (name.length === 1) {
        this.handleUnknownToken(token);
      } else {
        throw unrecognized(token);
      }
    }
  }

  private handleConcatenatedOptions(token: string): void {
    for (let i = 1; i < token.length; i++) {
      const def = this.spec.get(token.charAt(i));
      if (def === undefined) {
        this.handleUnknownToken(token);
        return;
      }
      this.handleOption(def);
      if (this.current !== null && token.length !== i + 1) {
        this.current.values.push(token.slice(i + 1));
        return;
      }
    }
  }

  private handleUnknownToken(token: string): void {
    if (token.startsWith('-') && token.length > 1) throw unrecognized(token);
    this.args.push(token);
  }

  private handleOption(def: OptionDef): void {
    this.checkRequiredArgs();
    if (this.spec.inGroup(def.opt)) {
      if (this.selected !== null && this.selected !== def.opt) {
        throw new OptionParseError(
          'AlreadySelectedException',
          `The option '${def.opt}' was specified but an option from this group has already been selected: '${this.selected}'`,
        );
      }
      this.selected = def.opt;
    }
    const occurrence: Occurrence = { def, values: [] };
    this.occurrences.push(occurrence);
    this.current = def.hasArg ? occurrence : null;
  }

  private checkRequiredArgs(): void {
    if (this.current !== null && this.acceptsArg(this.current)) {
      throw new OptionParseError('MissingArgumentException', `Missing argument for option: ${this.current.def.opt}`);
    }
  }
}

/** DefaultParser.parse(options, tokens) with stopAtNonOption=false. Throws OptionParseError. */
export function parseOptions(spec: OptionSpec, tokens: readonly string[]): ParsedCommand {
  return new DefaultParser(spec).parse(tokens);
}

/** HelpFormatter.printHelp(cmdLineSyntax, options) with the default width and paddings. */
export function helpLines(syntax: string, spec: OptionSpec): string[] {
  const sorted = [...spec.defs].sort((a, b) => {
    const x = a.opt.toLowerCase();
    const y = b.opt.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const labels = sorted.map((d) => ` -${d.opt}${d.hasArg ? ' <arg>' : ''}`);
  const width = Math.max(0, ...labels.map((l) => l.length));
  return [`usage: ${syntax}`, ...sorted.map((d, i) => `${(labels[i] ?? '').padEnd(width)}   ${d.description}`)];
}
