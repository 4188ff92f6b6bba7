// Types shared by the linearizability checker and the sequential models it checks against.

/**
 * One client operation as observed from outside the system.
 * A pending operation (`returnTime` undefined, e.g. the client saw ConnectionLoss) may or may not
 * have taken effect; if it did, it took effect at some instant after `callTime`.
 */
export interface Operation<I, O> {
  clientId: number;
  /** Logical or simulated time the client issued the call. */
  callTime: number;
  /** Time the client saw the reply; undefined = pending (never returned). */
  returnTime?: number;
  input: I;
  /** The reply; must be present iff the operation returned. */
  output?: O;
}

export interface StepResult<S> {
  ok: boolean;
  state: S;
}

/**
 * A sequential specification. `step` must not mutate `state`. For a pending operation `output`
 * is undefined: the model applies the operation's natural outcome (and normally returns ok).
 */
export interface Model<S, I, O> {
  init(): S;
  step(state: S, input: I, output: O | undefined): StepResult<S>;
  /** Structural equality of states; used for memoization when `hash` is absent or not injective. */
  equal?(a: S, b: S): boolean;
  /** Key of a state for memoization. Without `hash` and `equal`, a canonical text of the state is used. */
  hash?(state: S): string;
  /**
   * Split the history into independent sub-histories (P-compositionality), e.g. one per key.
   * Must return the history's own operation objects; an operation may be left out when the
   * model puts no constraint on it.
   */
  partition?(history: readonly Operation<I, O>[]): Operation<I, O>[][];
  /**
   * True when the operation never changes the state (a read). Pending read-only operations are
   * dropped before the search: they constrain nothing, but each one would double the search space.
   */
  readOnly?(input: I): boolean;
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
}
