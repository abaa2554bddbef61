import os from 'node:os';

/** Who and where the report is made: the literal strings redaction removes from every output. */
export interface MachineIdentity {
  userNames: string[];
  homeDirs: string[];
  hostNames: string[];
  env: NodeJS.ProcessEnv;
}

/** This machine's identity, from the OS and the environment (which can disagree inside containers). */
export function currentIdentity(env: NodeJS.ProcessEnv = process.env): MachineIdentity {
  const userNames = [safe(() => os.userInfo().username), env.USER, env.LOGNAME, env.USERNAME, env.SUDO_USER];
  const homeDirs = [safe(() => os.homedir()), env.HOME, env.USERPROFILE];
  const hostNames = [safe(() => os.hostname()), env.HOSTNAME, env.COMPUTERNAME, env.SLURMD_NODENAME];
  return { userNames: present(userNames), homeDirs: present(homeDirs), hostNames: present(hostNames), env };
}

function safe(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined; // os.userInfo throws for a uid without a passwd entry (common in containers)
  }
}

function present(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.trim() !== ''))];
}
