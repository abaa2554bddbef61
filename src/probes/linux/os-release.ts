/** The fields of /etc/os-release (or /usr/lib/os-release) that name a distribution. */
export interface OsRelease {
  id?: string;
  name?: string;
  versionId?: string;
  prettyName?: string;
}

/** Parses the shell-like KEY=value lines of os-release(5); values may be quoted. */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    fields.set(m[1]!, unquote(m[2]!));
  }
  const pick = (key: string) => fields.get(key) || undefined;
  return { id: pick('ID'), name: pick('NAME'), versionId: pick('VERSION_ID'), prettyName: pick('PRETTY_NAME') };
}

function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? m[2]!.replace(/\\(["\\$`])/g, '$1') : value;
}
