/**
 * Functions of 70 lines or fewer (TigerBeetle's rule, the one this project copies): a longer
 * function is a closure doing several jobs. The functions longer than that when the rule came in
 * are listed with their length; a listed one may shrink (and must leave the list once it is 70 or
 * fewer), never grow, and no other function may pass 70.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 70;

/** `file:name` → its length in lines when the rule came in. */
const OVER: Record<string, number> = {
  'src/cli/run.ts:runCommand': 105,
  'src/recording/record.ts:recordScenario': 99,
  'src/tui/app.tsx:App': 99,
  'src/net/stringmatch.ts:matchImpl': 98,
  'src/redis/replication/replica.ts:onHandshakeEvent': 95,
  'src/redis/commands/client.ts:clientKillCmd': 72,
};

function longFunctions(): Map<string, number> {
  const files = execFileSync('git', ['ls-files', 'src/**/*.ts', 'src/**/*.tsx'], { encoding: 'utf8' }).trim().split('\n');
  const out = new Map<string, number>();
  for (const f of files) {
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true, f.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (n: ts.Node): void => {
      if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.body) {
        const lines = sf.getLineAndCharacterOfPosition(n.end).line - sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
        if (lines > MAX_LINES) {
          const name = n.name?.getText(sf) ?? '(anonymous)';
          const key = `${f}:${name}`;
          out.set(key, Math.max(lines, out.get(key) ?? 0));
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

describe(`functions of ${MAX_LINES} lines or fewer`, () => {
  const found = longFunctions();

  it('no function passes the limit unless listed, and a listed one never grows', () => {
    const problems = [...found].filter(([k, n]) => n > (OVER[k] ?? MAX_LINES)).map(([k, n]) => `${k}: ${n} lines (${k in OVER ? `listed at ${OVER[k]}` : `limit ${MAX_LINES}`})`);
    expect(problems).toEqual([]);
  });

  it('the list holds only functions still over the limit', () => {
    expect(Object.keys(OVER).filter((k) => !found.has(k))).toEqual([]);
  });
});
