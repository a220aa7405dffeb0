import { bulk, error, int, NULL_BULK, OK } from '../../net/resp.js';
import { clientIds, clientInfoString, clientType, freeClient, type ClientType } from '../clients.js';
import type { Call } from './types.js';

/** networking.c: clientCommand() — SETNAME, GETNAME, ID, LIST, INFO, KILL. */

export function clientSetnameCmd(x: Call): void {
  const name = x.argv[2]!;
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) {
      x.out.push(error('ERR Client names cannot contain spaces, newlines or special characters.'));
      return;
    }
  }
  x.c.name = name;
  x.out.push(OK);
}

export function clientGetnameCmd(x: Call): void {
  x.out.push(x.c.name ? bulk(x.c.name) : NULL_BULK);
}

export function clientIdCmd(x: Call): void {
  x.out.push(int(x.c.id));
}

export function clientListCmd(x: Call): void {
  const lines = clientIds(x.n).map((id) => clientInfoString(x.n, x.n.d.clients[id]!) + '\n');
  x.out.push(bulk(lines.join('')));
}

export function clientInfoCmd(x: Call): void {
  x.out.push(bulk(clientInfoString(x.n, x.c) + '\n'));
}

function typeByName(s: string): ClientType | undefined {
  switch (s.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    case 'master':
      return 'master';
    default:
      return undefined;
  }
}

/**
 * CLIENT KILL ip:port (old form: +OK or "No such client") or CLIENT KILL <filter value> ...
 * (new form: the number killed). SKIPME defaults to yes in the new form: the caller survives.
 * Killing the caller itself is deferred until its reply is written (CLIENT_CLOSE_AFTER_REPLY).
 */
export function clientKillCmd(x: Call): void {
  const argv = x.argv;
  let addr: string | undefined;
  let laddr: string | undefined;
  let type: ClientType | undefined;
  let id: number | undefined;
  let skipme = true;
  if (argv.length === 3) {
    addr = argv[2]!;
    skipme = false;
  } else if (argv.length > 3) {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i]!.toLowerCase();
      const val = argv[i + 1];
      if (val === undefined) {
        x.out.push(error('ERR syntax error'));
        return;
      }
      if (opt === 'id') {
        if (!/^\d+$/.test(val)) {
          x.out.push(error('ERR client-id should be greater than 0'));
          return;
        }
        id = Number(val);
      } else if (opt === 'type') {
        type = typeByName(val);
        if (!type) {
          x.out.push(error(`ERR Unknown client type '${val}'`));
          return;
        }
      } else if (opt === 'addr') addr = val;
      else if (opt === 'laddr') laddr = val;
      else if (opt === 'user') {
        if (val !== 'default') {
          x.out.push(error(`ERR No such user '${val}'`));
          return;
        }
      } else if (opt === 'skipme') {
        const l = val.toLowerCase();
        if (l === 'yes') skipme = true;
        else if (l === 'no') skipme = false;
        else {
          x.out.push(error('ERR syntax error'));
          return;
        }
      } else if (opt === 'maxage') {
        continue;
      } else {
        x.out.push(error('ERR syntax error'));
        return;
      }
    }
  } else {
    x.out.push(error('ERR syntax error'));
    return;
  }
  let killed = 0;
  for (const cid of clientIds(x.n)) {
    const cl = x.n.d.clients[cid];
    if (!cl) continue; // freed as a side effect of an earlier kill (e.g. our master's client)
    if (addr !== undefined && cl.addr !== addr) continue;
    if (laddr !== undefined && cl.laddr !== laddr) continue;
    if (type !== undefined && clientType(cl) !== type) continue;
    if (id !== undefined && cl.id !== id) continue;
    if (cid === x.c.id && skipme) continue;
    if (cid === x.c.id) x.c.closeAfterReply = true;
    else freeClient(x.n, cid, true);
    killed++;
  }
  if (argv.length === 3) x.out.push(killed === 0 ? error('ERR No such client') : OK);
  else x.out.push(int(killed));
}
