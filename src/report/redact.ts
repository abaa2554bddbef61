import { createHmac, randomBytes } from 'node:crypto';
import { isAllowedEnvVar } from '../env/allowlist.js';
import type { MachineIdentity } from './identity.js';
import { isSecretName, REDACTED, redactPatterns, type RedactionCounts, type RedactionKind } from './redact-rules.js';

export interface RedactionOptions {
  /** False with --no-redact: names, paths and addresses stay; secrets, UUIDs, serials and image headers never do. */
  identity: boolean;
  /** --redact-cases: case identifiers and dataset names become short keyed hashes. */
  redactCases: boolean;
  /**
   * --case-salt: the key of those hashes. Without it each report draws a random one, so a hash can be
   * neither looked up in a list of likely names nor linked to the same case in another report; the same
   * salt on several reports makes their hashes comparable.
   */
  caseSalt?: string;
  caseIds?: readonly string[];
  datasetNames?: readonly string[];
}

export interface RedactionSummary {
  enabled: boolean;
  redactCases: boolean;
  counts: RedactionCounts;
}

interface Literal {
  kind: RedactionKind;
  text: string;
  replacement: string;
  /** The match may not continue a longer word, so user `ann` leaves `annotation` alone. */
  bounded: boolean;
}

/**
 * All literals of one kind of boundary as a single alternation, longest first, with a lookup of what each
 * becomes: thousands of case names cost one regex pass per string, not thousands.
 */
interface LiteralMatcher {
  pattern: RegExp;
  byText: Map<string, Literal>;
  caseInsensitive: boolean;
}

// Raw image headers and voxel data: dropped whole, whatever fact carries them.
const IMAGE_KEYS = /^(headers?|niftiHeader|nrrdHeader|imageHeader|rawHeader|imageData|pixelData|voxelData|pixels|voxels|descrip|aux_file|intent_name|db_name|srow_[xyz]|quatern_[bcd]|qoffset_[xyz]|sform|qform|affine)$/i;
const SERIAL_KEYS = /^(serial|serialNumber|serial_number|uuid|gpuUuid|gpu_uuid|boardSerial|board_serial)$/i;
const HOST_KEYS = /^(host|hostname|hostName|host_name|nodename|nodeName|node_name|fqdn)$/i;
const USER_KEYS = /^(user|username|userName|user_name|login|owner)$/i;
const ENV_MAP_KEYS = /^(env|environ|environment|envVars|env_vars|vars)$/i;
// A dataset folder name anywhere (a results path, a log line); its already hashed form is left alone.
const DATASET_FOLDER = /\b(Dataset\d{3})_(?!ds-[0-9a-f]{8}\b)([A-Za-z0-9][A-Za-z0-9_-]*)/g;
const BLOB = /^[A-Za-z0-9+/=\s]{512,}$/;
const VERSION = /^v?\d+(\.\d+){1,3}([.+-]?[A-Za-z0-9]+)*$/;
const VERSION_KEYS = /version|^nvidia-|^torch|cudnn|cuda|cublas|nccl/i;
const PACKAGE_MAP_KEYS = /^(packages|installed)$/;

/**
 * The one redaction layer: every report format renders from what `value()` returns, so a secret removed
 * here is absent from Markdown, JSON and HTML alike.
 */
export class Redactor {
  readonly counts: RedactionCounts = {};
  private readonly literals: LiteralMatcher[];
  private readonly hashName: NameHasher;

  constructor(
    identity: MachineIdentity,
    private readonly options: RedactionOptions,
  ) {
    this.hashName = nameHasher(options.caseSalt ?? randomBytes(16).toString('hex'));
    this.literals = matchersFor(buildLiterals(identity, options, this.hashName));
  }

  summary(): RedactionSummary {
    return { enabled: this.options.identity, redactCases: this.options.redactCases, counts: { ...this.counts } };
  }

  text(input: string): string {
    let out = input;
    for (const { pattern, byText, caseInsensitive } of this.literals) {
      out = out.replace(pattern, (match) => {
        const literal = byText.get(caseInsensitive ? match.toLowerCase() : match)!;
        return this.mark(literal.kind, literal.replacement);
      });
    }
    if (this.options.redactCases) {
      out = out.replace(DATASET_FOLDER, (_m, prefix: string, name: string) => this.mark('dataset', `${prefix}_${this.hashName('ds', name)}`));
    }
    return redactPatterns(out, this.options.identity, (kind) => this.hit(kind));
  }

  /** A deep copy of any JSON-like value with every string, key and known-sensitive field redacted. */
  value<T>(input: T): T {
    return this.walk(input, undefined) as T;
  }

  private walk(input: unknown, key: string | undefined): unknown {
    if (typeof input === 'string') return this.field(key, input);
    if (input === null || typeof input !== 'object') return input;
    if (ArrayBuffer.isView(input) || input instanceof ArrayBuffer) return this.drop();
    if (Array.isArray(input)) return input.map((item) => this.walk(item, key));
    const out: Record<string, unknown> = {};
    const envMap = key !== undefined && ENV_MAP_KEYS.test(key) && Object.values(input).every((v) => typeof v === 'string');
    // `packages: { "python-gdcm": "3.0.24.1" }`: a four-part version under a package name is no IP address.
    const packageMap = key !== undefined && PACKAGE_MAP_KEYS.test(key);
    for (const [name, value] of Object.entries(input)) {
      if (IMAGE_KEYS.test(name)) {
        this.hit('image-header');
        continue;
      }
      // A report shows only allow-listed variables, and never one whose name looks secret.
      if (envMap && (!isAllowedEnvVar(name) || isSecretName(name))) continue;
      out[this.text(name)] = packageMap && typeof value === 'string' && VERSION.test(value) ? value : this.walk(value, name);
    }
    return out;
  }

  private field(key: string | undefined, value: string): string {
    if (key !== undefined) {
      if (SERIAL_KEYS.test(key)) return this.mark(/uuid/i.test(key) ? 'uuid' : 'serial', REDACTED);
      // `installed: { "google-auth": "2.35.0", keyring: "25.4.1" }` are versions, not secrets.
      if (isSecretName(key) && value !== '' && !VERSION.test(value)) return this.mark('secret', REDACTED);
      if (this.options.identity && HOST_KEYS.test(key)) return this.mark('host', '<host>');
      if (this.options.identity && USER_KEYS.test(key)) return this.mark('user', '<user>');
    }
    if (BLOB.test(value)) return this.drop();
    // nvidia-cudnn-cu12 9.1.0.70 has the shape of an IPv4 address; under a version or CUDA package name it is a version.
    if (key !== undefined && VERSION_KEYS.test(key) && VERSION.test(value)) return value;
    return this.text(value);
  }

  private drop(): string {
    return this.mark('image-header', '<binary data removed>');
  }

  private mark(kind: RedactionKind, replacement: string): string {
    this.hit(kind);
    return replacement;
  }

  private hit(kind: RedactionKind): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }
}

type NameHasher = (prefix: 'case' | 'ds', name: string) => string;

/** `case-1a2b3c4d`: the same name gets the same hash within one report (and across reports sharing a salt). */
export function nameHasher(salt: string): NameHasher {
  return (prefix, name) => `${prefix}-${createHmac('sha256', salt).update(name).digest('hex').slice(0, 8)}`;
}

function buildLiterals(identity: MachineIdentity, options: RedactionOptions, hashName: NameHasher): Literal[] {
  const list: Literal[] = [];
  for (const [name, value] of Object.entries(identity.env)) {
    if (value && isSecretName(name) && isSecretValue(value)) list.push({ kind: 'secret', text: value, replacement: REDACTED, bounded: false });
  }
  if (options.identity) {
    for (const home of identity.homeDirs) {
      if (home.length < 2 || home === '/') continue;
      for (const variant of new Set([home, home.replaceAll('\\', '/'), home.replaceAll('\\', '\\\\')])) {
        list.push({ kind: 'home', text: variant.replace(/[\\/]+$/, ''), replacement: '~', bounded: true });
      }
    }
    for (const user of identity.userNames) if (user.length >= 2) list.push({ kind: 'user', text: user, replacement: '<user>', bounded: true });
    for (const host of identity.hostNames) {
      for (const name of new Set([host, host.split('.')[0]!])) {
        if (name.length >= 2 && name.toLowerCase() !== 'localhost') list.push({ kind: 'host', text: name, replacement: '<host>', bounded: true });
      }
    }
  }
  if (options.redactCases) {
    for (const name of options.datasetNames ?? []) {
      const bare = name.replace(/^Dataset\d{3}_/, '');
      if (bare.length >= 3) list.push({ kind: 'dataset', text: bare, replacement: hashName('ds', bare), bounded: true });
    }
    for (const id of options.caseIds ?? []) {
      if (id.length >= 3 && !(/^\d+$/.test(id) && id.length < 4)) list.push({ kind: 'case', text: id, replacement: hashName('case', id), bounded: true });
    }
  }
  return list;
}

function matchersFor(literals: readonly Literal[]): LiteralMatcher[] {
  // Secrets first: a token that contains the user name must go whole, before `<user>` splits it.
  return [false, true].flatMap((bounded) => {
    // Longest first, so a home folder wins over the user name inside it and `case_10` over `case_1`.
    const group = literals.filter((l) => l.bounded === bounded).sort((a, b) => b.text.length - a.text.length);
    if (group.length === 0) return [];
    const byText = new Map<string, Literal>();
    for (const l of group) if (!byText.has(bounded ? l.text.toLowerCase() : l.text)) byText.set(bounded ? l.text.toLowerCase() : l.text, l);
    const alternation = group.map((l) => escapeRegExp(l.text)).join('|');
    const pattern = bounded ? new RegExp(`(?<![A-Za-z0-9])(?:${alternation})(?![A-Za-z0-9]|\\.\\d)`, 'gi') : new RegExp(alternation, 'g');
    return [{ pattern, byText, caseInsensitive: bounded }];
  });
}

function isSecretValue(value: string): boolean {
  return value.length >= 4 && !/^(true|false|yes|no|on|off|none|null|\d{1,4})$/i.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
