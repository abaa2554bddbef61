import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The first file called `name` on PATH that the OS would run, like `which`; on Windows PATHEXT
 * extensions are tried as cmd.exe does. Needs no subprocess, so probes can use it freely.
 */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const delimiter = platform === 'win32' ? ';' : ':';
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').map((e) => e.toLowerCase())] : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir.replace(/^"(.*)"$/, '$1'), name + ext);
      if (await isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

export async function isExecutableFile(file: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (platform !== 'win32') await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
