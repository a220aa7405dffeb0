import type { Resp } from '../../net/resp.js';
import type { Node } from '../node.js';
import type { ClientRec } from '../state.js';

/** One command execution: the replies it produced and the commands it wants propagated. */
export interface Call {
  readonly n: Node;
  readonly c: ClientRec;
  readonly argv: string[];
  readonly out: Resp[];
  readonly prop: string[][];
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
