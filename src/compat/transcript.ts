// The normalized transcript a compatibility case produces. Entries are logged with raw values
// (zxids, times, session ids wrapped in marker classes); `finish()` replaces them by stable names
// so two servers can be compared:
//   zxid   -> "zxid#N", N = order of first appearance in the transcript (0 stays 0);
//   time   -> "T@zxid#N", the zxid whose txn set it (ctime<->czxid, mtime<->mzxid), after checking
//             the value is plausible and that one zxid always carries one time. Comparing times by
//             value is flaky: two txns in the same millisecond would share a name on one run only;
//   session-> the client's label ("A") when it is one of the case's clients, else "session#N".

export class ZxidVal {
  constructor(readonly v: bigint) {}
}
export class TimeVal {
  constructor(
    readonly v: bigint,
    readonly zxid: bigint,
  ) {}
}
export class SessionVal {
  constructor(readonly v: bigint) {}
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Raw = null | undefined | boolean | number | string | bigint | ZxidVal | TimeVal | SessionVal | Raw[] | { [k: string]: Raw };
export type RawEntry = { [k: string]: Raw };

/** Allowed skew between the harness clock and the server's txn times (same host). */
const TIME_SLACK_MS = 60_000n;
const MAX_ENTRIES = 5_000;

export class Transcript {
  private readonly entries: RawEntry[] = [];
  private readonly sessions = new Map<bigint, string>();
  readonly startMs = BigInt(Date.now());

  add(entry: RawEntry): void {
    if (this.entries.length >= MAX_ENTRIES) throw new Error(`transcript over ${MAX_ENTRIES} entries`);
    this.entries.push(entry);
  }
  /** A free-form fact the case computed (e.g. a zxid gap); must be deterministic. */
  note(what: string, value: Raw = true): void {
    this.add({ note: what, value });
  }
  registerSession(id: bigint, label: string): void {
    this.sessions.set(id, label);
  }
  get length(): number {
    return this.entries.length;
  }

  finish(): Json[] {
    const n = new Normalizer(this.sessions, this.startMs, BigInt(Date.now()));
    return this.entries.map((e) => n.value(e));
  }
}

class Normalizer {
  private readonly zxids = new Map<bigint, string>();
  private readonly otherSessions = new Map<bigint, string>();
  private readonly timeOfZxid = new Map<bigint, bigint>();

  constructor(
    private readonly sessions: ReadonlyMap<bigint, string>,
    private readonly startMs: bigint,
    private readonly endMs: bigint,
  ) {}

  value(v: Raw): Json {
    if (v === undefined || v === null) return null;
    if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    if (typeof v !== 'object') return v;
    if (v instanceof ZxidVal) return this.zxid(v.v);
    if (v instanceof TimeVal) return this.time(v);
    if (v instanceof SessionVal) return this.session(v.v);
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = this.value(x);
    return out;
  }

  zxid(z: bigint): string | number {
    if (z === 0n) return 0;
    if (z < 0n) return `zxid:${z}`;
    let name = this.zxids.get(z);
    if (name === undefined) {
      name = `zxid#${this.zxids.size + 1}`;
      this.zxids.set(z, name);
    }
    return name;
  }

  time(t: TimeVal): string | number {
    if (t.v === 0n) return 0;
    if (t.v < this.startMs - TIME_SLACK_MS || t.v > this.endMs + TIME_SLACK_MS) return `BAD_TIME(${t.v})`;
    const seen = this.timeOfZxid.get(t.zxid);
    if (seen === undefined) this.timeOfZxid.set(t.zxid, t.v);
    else if (seen !== t.v) return `TIME_MISMATCH(${this.zxid(t.zxid)})`;
    return `T@${this.zxid(t.zxid)}`;
  }

  session(s: bigint): string | number {
    if (s === 0n) return 0;
    const label = this.sessions.get(s);
    if (label !== undefined) return label;
    let name = this.otherSessions.get(s);
    if (name === undefined) {
      name = `session#${this.otherSessions.size + 1}`;
      this.otherSessions.set(s, name);
    }
    return name;
  }
}
