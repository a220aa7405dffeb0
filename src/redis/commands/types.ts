import type { Resp } from '../../net/resp.js';
import type { Node } from '../node.js';
import type { ClientRec } from '../state.js';

/**
 * What a command appends to (its replies, the commands it propagates): the first item in a field,
 * the others in an array made only for them. Almost every command has one reply and at most one
 * command to propagate, and an empty array's first push allocates room for 17.
 */
export class Collected<T> {
  length = 0;
  private first: T | undefined = undefined;
  private rest: T[] | null = null;

  push(v: T): void {
    if (this.length === 0) this.first = v;
    else (this.rest ??= []).push(v);
    this.length++;
  }

  /** Empty again, for the next command (the array made for a second item is kept). */
  clear(): void {
    this.length = 0;
    this.first = undefined;
    if (this.rest !== null) this.rest.length = 0;
  }

  /** The i-th item pushed (0 <= i < length). */
  at(i: number): T {
    return (i === 0 ? this.first : this.rest![i - 1]) as T;
  }
}

/** One command execution: the replies it produced and the commands it wants propagated. */
export interface Call {
  readonly n: Node;
  readonly c: ClientRec;
  readonly argv: string[];
  readonly out: Collected<Resp>;
  readonly prop: Collected<string[]>;
  /** The command came from our master's replication stream (CLIENT_MASTER: obeyed, no replies). */
  readonly fromMaster: boolean;
}

/** Command flags from src/commands/*.json that processCommand() looks at. */
export interface CmdFlags {
  readonly write?: boolean;
  readonly readonly?: boolean;
  readonly stale?: boolean;
  readonly loading?: boolean;
  readonly noauth?: boolean;
  readonly nomulti?: boolean;
  readonly mayReplicate?: boolean;
}

export interface CmdSpec {
  /** Full name as error messages show it, e.g. `client|kill`. */
  readonly fullname: string;
  readonly arity: number;
  readonly flags: CmdFlags;
  readonly run?: (x: Call) => void;
  readonly subs?: Readonly<Record<string, CmdSpec>>;
}
