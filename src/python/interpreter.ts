import { open } from 'node:fs/promises';
import path from 'node:path';
import { findOnPath } from '../util/which.js';

export interface InterpreterChoice {
  command: string;
  chosenBy: 'option' | 'path';
}

/** --python when given, else the `python3` (or `python`) that PATH gives, as a shell would pick it. */
export async function chooseInterpreter(option: string | undefined, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<InterpreterChoice | undefined> {
  if (option) {
    const isPath = option.includes('/') || option.includes('\\');
    const found = isPath ? path.resolve(option) : await findOnPath(option, env, platform);
    return { command: found ?? option, chosenBy: 'option' };
  }
  for (const name of ['python3', 'python']) {
    const found = await findOnPath(name, env, platform);
    if (found) return { command: found, chosenBy: 'path' };
  }
  return undefined;
}

/**
 * The interpreter a console script (`nnUNetv2_train`) runs under, from its first lines. Handles
 * `#!/path/python`, `#!/usr/bin/env python3` and pip's `/bin/sh` trampoline for long or spaced paths.
 */
export async function scriptInterpreter(file: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<string | undefined> {
  let head: string;
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(1024);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  return interpreterFromHead(head, (name) => findOnPath(name, env, platform));
}

export async function interpreterFromHead(head: string, which: (name: string) => Promise<string | undefined>): Promise<string | undefined> {
  if (!head.startsWith('#!')) return undefined;
  const [first = '', second = ''] = head.split(/\r?\n/);
  const shebang = first.slice(2).trim();
  if (/^\/bin\/sh\b/.test(shebang)) {
    // pip: '''exec' "/very/long/path/bin/python" "$0" "$@"
    return /^'''exec' "?([^"]+?)"? "\$0"/.exec(second)?.[1];
  }
  const envMatch = /^\S*\/env\s+(?:-S\s+)?(\S+)/.exec(shebang);
  if (envMatch) return which(envMatch[1]!);
  return shebang.split(/\s+/)[0] || undefined;
}
