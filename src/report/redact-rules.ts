/**
 * Pattern rules for what must never leave the machine in a report, whatever the fact or log line it sits
 * in. Each rule is a regex plus a replacement; `redactPatterns` applies them in order and counts hits.
 */

export type RedactionKind =
  | 'home'
  | 'user'
  | 'host'
  | 'ip'
  | 'mac'
  | 'uuid'
  | 'serial'
  | 'secret'
  | 'url-credential'
  | 'case'
  | 'dataset'
  | 'image-header';

export type RedactionCounts = Partial<Record<RedactionKind, number>>;

interface PatternRule {
  kind: RedactionKind;
  pattern: RegExp;
  replace(match: string, ...groups: string[]): string;
  /** Rules that stay on with --no-redact: nobody needs a token or a GPU serial to triage an issue. */
  always?: boolean;
}

// Not after a version context (`gdcm==3.0.24.1`, `Version: 3.0.24.1`). pip's `python-gdcm-3.0.24.1` is
// redacted: a host can be named `worker-10.1.2.4` too, and a lost version costs less than a leaked address.
const IPV4 = /(?<![\w.]|[=<>~!]=|[Vv]ersion:? ?)(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.]*\d)(?:\/\d{1,2})?/g;
// Candidates only; isIpv6 decides (a time like 12:34:56 or a MAC has the same characters).
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|:)?(?![\w:])/gi;
const MAC = /(?<![\w:-])[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}(?![\w:-])/gi;
// GPU-…, MIG-… and bare UUIDs: nvidia-smi -L, machine-id style values, boot ids. CUDA_VISIBLE_DEVICES also
// accepts a unique prefix (GPU-8932f937), so a GPU-/MIG- id is redacted however short.
const UUID = /\b(?:(?:GPU-|MIG-)[0-9a-f]{4,}(?:-[0-9a-f]+)*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gi;
const SERIAL_TEXT = /\b(serial(?:[ _-]?(?:number|no\.?))?\s*[:=]\s*)("?)[\w.-]+\2/gi;
// Other people's home folders (a debug.json written on another node, a shared results folder).
const HOME_PATH = /((?:^|[\s"'=:(])(?:\/home|\/Users|\/u|[A-Za-z]:\\Users|\\\\[^\\\s]+\\Users)[\\/])(?!<user>)([^\\/\s"'<>]+)/g;
const URL_CREDENTIAL = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(?::[^\s/@]*)?@/gi;
/** Words that make an env var or field name secret-looking (the list plus common spellings). */
export const SECRET_WORDS = ['token', 'key', 'secret', 'password', 'passwd', 'passphrase', 'auth', 'cookie', 'credential'];
const SECRET_NAME = '[A-Za-z0-9_.-]*(?:token|key|secret|passw(?:or)?d|passphrase|auth|cookie|credential)[A-Za-z0-9_.-]*';
// NAME=value, NAME: value, "name": "value" (log lines, command lines, pasted env dumps).
const SECRET_ASSIGNMENT = new RegExp(`(?<![\\w])(["']?${SECRET_NAME}["']?\\s*[=:]\\s*)(["']?)([^\\s"',;&}]{3,})\\2`, 'gi');
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/-]{8,}=*/gi;
// Well-known token shapes that can appear without a name next to them.
const TOKEN_SHAPES =
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|hf_[A-Za-z0-9]{20,}|sk-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|glpat-[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})\b/g;

export const REDACTED = '<redacted>';

const RULES: PatternRule[] = [
  { kind: 'url-credential', pattern: URL_CREDENTIAL, replace: (_m, scheme) => `${scheme}${REDACTED}@`, always: true },
  { kind: 'secret', pattern: BEARER, replace: (_m, scheme) => `${scheme} ${REDACTED}`, always: true },
  { kind: 'secret', pattern: TOKEN_SHAPES, replace: () => REDACTED, always: true },
  {
    kind: 'secret',
    pattern: SECRET_ASSIGNMENT,
    replace: (match, name, quote, value) => (isHarmlessValue(value!) ? match : `${name}${quote}${REDACTED}${quote}`),
    always: true,
  },
  { kind: 'uuid', pattern: UUID, replace: (m) => (/^MIG-/i.test(m) ? 'MIG-<uuid>' : /^GPU-/i.test(m) ? 'GPU-<uuid>' : '<uuid>'), always: true },
  { kind: 'serial', pattern: SERIAL_TEXT, replace: (_m, label) => `${label}${REDACTED}`, always: true },
  { kind: 'user', pattern: HOME_PATH, replace: (_m, prefix) => `${prefix}<user>` },
  { kind: 'mac', pattern: MAC, replace: () => '<mac>' },
  { kind: 'ip', pattern: IPV6_CANDIDATE, replace: (m) => (isIpv6(m) ? '<ipv6>' : m) },
  { kind: 'ip', pattern: IPV4, replace: (m) => (m.startsWith('127.') || m.startsWith('0.0.0.0') ? m : '<ip>') },
];

/** Applies every pattern rule to one string; `onHit` hears each replacement made. */
export function redactPatterns(text: string, identityRedaction: boolean, onHit: (kind: RedactionKind) => void): string {
  let out = text;
  for (const rule of RULES) {
    if (!identityRedaction && !rule.always) continue;
    out = out.replace(rule.pattern, (match: string, ...groups: unknown[]) => {
      const replaced = rule.replace(match, ...(groups.filter((g) => typeof g === 'string' || g === undefined) as string[]));
      if (replaced !== match) onHit(rule.kind);
      return replaced;
    });
  }
  return out;
}

/** `nnUNet_keep_files_open=true` is not a secret; short flags and numbers never are. */
function isHarmlessValue(value: string): boolean {
  return /^(true|false|yes|no|on|off|none|null|unset|bearer|basic|\d{1,4}|<redacted>|\*+)$/i.test(value);
}

/** True for a real IPv6 address: at most one `::`, groups of 1–4 hex digits, 8 groups or a `::`. */
export function isIpv6(candidate: string): boolean {
  const doubles = candidate.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = candidate.split(':').filter((g) => g !== '');
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return false;
  if (doubles === 0) return groups.length === 8;
  return groups.length <= 7 && candidate !== '::';
}

/** An env var or field name that holds a secret by the rule (token, key, secret, password, auth, cookie, credential). */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // `apikey`, `hftoken`, `dbpassword`, `authorization`, `credentials` all count; so does a plain `KEY`.
  return words.some((w) => SECRET_WORDS.some((s) => w.startsWith(s) || w.endsWith(s) || w.endsWith(`${s}s`)));
}
