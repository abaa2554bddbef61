import type { LogLine } from './normalize.js';
import { LOG_SIGNATURES, type LogSignature, type LogStage, type SignatureKind } from './signatures.js';
import type { NnunetMajor } from './version.js';

/** Where one signature matched. */
export interface SignatureHit {
  signatureId: string;
  line: number;
  text: string;
  /** The message was split over two lines by terminal wrapping and matched once joined. */
  wrapped: boolean;
}

/** One recognised signature in a log, with the advice for this log's nnU-Net version. */
export interface Diagnosis {
  id: string;
  title: string;
  kind: SignatureKind;
  stage: LogStage;
  cause: string;
  fix: string;
  source: readonly string[];
  firstLine: number;
  text: string;
  occurrences: number;
  /** The lines around the first occurrence. */
  excerpt: string[];
}

/** An exception the table does not know: its final traceback line. */
export interface UnrecognizedError {
  line: number;
  text: string;
  excerpt: string[];
}

/** What a wrapper message ("background workers are no longer alive") really hides. */
export interface WrapperResolution {
  wrapperId: string;
  wrapperLine: number;
  /** The real error found above the wrapper (or, failing that, elsewhere), by line. */
  realError?: { line: number; text: string; signatureId?: string; position: 'above' | 'below' };
  /** No real error anywhere: a worker was most likely killed by the kernel's OOM killer. */
  likelyOomKiller: boolean;
}

export interface SignatureMatches {
  diagnoses: Diagnosis[];
  unrecognized: UnrecognizedError[];
  wrappers: WrapperResolution[];
}

const EXCERPT_RADIUS = 2;

/** Matches every signature of the table against the lines; `major` picks v1 or v2 advice. */
export function matchSignatures(
  lines: readonly LogLine[],
  major: NnunetMajor,
  table: readonly LogSignature[] = LOG_SIGNATURES,
): SignatureMatches {
  const hits = findHits(lines, table);
  const linesById = groupLines(hits);
  const kept = hits.filter((hit) => !isShadowed(hit, linesById, table));
  const diagnoses = toDiagnoses(lines, kept, table, major);
  const errorHits = kept.filter((h) => kindOf(h.signatureId, table) === 'error');
  const unrecognized = findUnrecognizedErrors(lines, kept);
  const wrappers = kept
    .filter((h) => kindOf(h.signatureId, table) === 'wrapper')
    .filter((h, i, all) => all.findIndex((o) => o.signatureId === h.signatureId) === i)
    .map((wrapper) => resolveWrapper(lines, wrapper, errorHits, unrecognized));
  return { diagnoses, unrecognized, wrappers };
}

function findHits(lines: readonly LogLine[], table: readonly LogSignature[]): SignatureHit[] {
  const hits: SignatureHit[] = [];
  const mayMatch = screenFor(table);
  for (let i = 0; i < lines.length; i += 1) {
    const text = lines[i]!.text;
    if (text.trim() === '') continue;
    const next = continuationOf(lines[i + 1]?.text);
    if (!mayMatch(text) && (next === '' || (!mayMatch(text + next) && !mayMatch(`${text} ${next}`)))) continue;
    for (const signature of table) {
      if (signature.kind === 'metric') continue;
      const wrapped = matchesAt(signature.patterns, text, next);
      if (wrapped === undefined) continue;
      if (signature.near && !nearby(lines, i, signature.near.patterns, signature.near.lines)) continue;
      hits.push({ signatureId: signature.id, line: lines[i]!.no, text: wrapped ? `${text}${next}` : text, wrapped });
    }
  }
  return hits;
}

// A line that starts a new record (nnU-Net's timestamp, a traceback frame) is never the tail of a wrapped one.
const STARTS_RECORD = /^(?:\[rank\d+\]: )?(?:\d{4}-\d{1,2}-\d{1,2} \d|Traceback \(|\s+File ")/;

/** The next line as a possible continuation of a wrapped line, or '' when it cannot be one. */
function continuationOf(next: string | undefined): string {
  if (next === undefined || STARTS_RECORD.test(next)) return '';
  return next.trimStart();
}

const screens = new WeakMap<readonly LogSignature[], (text: string) => boolean>();

/**
 * One alternation of every pattern (case-sensitive and -insensitive apart): most lines match nothing,
 * and one combined test per line is what keeps a 100 000-line capture fast.
 */
function screenFor(table: readonly LogSignature[]): (text: string) => boolean {
  let screen = screens.get(table);
  if (!screen) {
    const patterns = table.filter((s) => s.kind !== 'metric').flatMap((s) => s.patterns);
    const combine = (list: RegExp[], flags: string) => (list.length === 0 ? /$^/ : new RegExp(list.map((p) => `(?:${p.source})`).join('|'), flags));
    const sensitive = combine(patterns.filter((p) => !p.flags.includes('i')), '');
    const insensitive = combine(patterns.filter((p) => p.flags.includes('i')), 'i');
    screen = (text) => sensitive.test(text) || insensitive.test(text);
    screens.set(table, screen);
  }
  return screen;
}

/**
 * undefined: no match; false: matched within the line; true: matched only across the line break,
 * which terminals insert without a space (hard wrap) and text viewers at a space (soft wrap).
 */
function matchesAt(patterns: readonly RegExp[], text: string, next: string): boolean | undefined {
  if (patterns.some((p) => p.test(text))) return false;
  if (next === '') return undefined;
  for (const joined of [text + next, `${text} ${next}`]) {
    for (const p of patterns) {
      const m = p.exec(joined);
      // Count it only if it starts in this line and crosses the break; otherwise the next line reports it.
      if (m && m.index < text.length && m.index + m[0].length > text.length) return true;
    }
  }
  return undefined;
}

function nearby(lines: readonly LogLine[], index: number, patterns: readonly RegExp[], radius: number): boolean {
  const from = Math.max(0, index - radius);
  const to = Math.min(lines.length - 1, index + radius);
  for (let j = from; j <= to; j += 1) if (patterns.some((p) => p.test(lines[j]!.text))) return true;
  return false;
}

/** Line numbers of each signature's hits, ascending (hits come in line order). */
function groupLines(hits: readonly SignatureHit[]): Map<string, number[]> {
  const byId = new Map<string, number[]>();
  for (const hit of hits) {
    const list = byId.get(hit.signatureId);
    if (list) list.push(hit.line);
    else byId.set(hit.signatureId, [hit.line]);
  }
  return byId;
}

function isShadowed(hit: SignatureHit, linesById: ReadonlyMap<string, readonly number[]>, table: readonly LogSignature[]): boolean {
  const shadow = table.find((s) => s.id === hit.signatureId)?.shadowedBy;
  if (!shadow) return false;
  return shadow.ids.some((id) => {
    const lines = linesById.get(id);
    if (!lines) return false;
    if (shadow.lines === undefined) return true;
    const nearest = lines[firstAtOrAbove(lines, hit.line - shadow.lines)];
    return nearest !== undefined && nearest <= hit.line + shadow.lines;
  });
}

/** Index of the first value >= `min` in an ascending list (binary search). */
function firstAtOrAbove(values: readonly number[], min: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function kindOf(id: string, table: readonly LogSignature[]): SignatureKind | undefined {
  return table.find((s) => s.id === id)?.kind;
}

function toDiagnoses(lines: readonly LogLine[], hits: readonly SignatureHit[], table: readonly LogSignature[], major: NnunetMajor): Diagnosis[] {
  const byId = new Map<string, SignatureHit[]>();
  for (const hit of hits) {
    const list = byId.get(hit.signatureId);
    if (list) list.push(hit);
    else byId.set(hit.signatureId, [hit]);
  }
  return [...byId.entries()]
    .map(([id, list]) => {
      const signature = table.find((s) => s.id === id)!;
      const first = list[0]!;
      return {
        id,
        title: signature.title,
        kind: signature.kind,
        stage: signature.stage,
        cause: signature.cause,
        fix: adviceFor(signature, major),
        source: signature.source,
        firstLine: first.line,
        text: first.text.trim(),
        occurrences: list.length,
        excerpt: excerptAround(lines, first.line),
      };
    })
    .sort((a, b) => a.firstLine - b.firstLine);
}

/** v1-only advice (such as `--fp32`) is given only for logs recognised as v1; v2 has no such switch. */
export function adviceFor(signature: LogSignature, major: NnunetMajor): string {
  return major === 'v1' && signature.fixV1 ? signature.fixV1 : signature.fix;
}

export function excerptAround(lines: readonly LogLine[], lineNo: number, radius = EXCERPT_RADIUS): string[] {
  const index = lines.findIndex((l) => l.no === lineNo);
  if (index === -1) return [];
  return lines.slice(Math.max(0, index - radius), index + radius + 1).map((l) => `${l.no}: ${l.text}`);
}

// The final line of a Python traceback, "ValueError: ..." or "torch.OutOfMemoryError: ...", optionally
// behind a DDP rank prefix. Warnings (UserWarning) and "Exception ignored in" are deliberately not matched.
const EXCEPTION_LINE = /^(?:\[rank\d+\]:\s*)?(?:[A-Za-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception)(?::\s|:$|$)/;
const TRACEBACK_HEADER = /Traceback \(most recent call last\):/;
const WORKER_ERROR = /^Exception in background worker/;
const POINTS_UPWARD = /(?:check|see) (?:the )?(?:text output|print statements) above|error message further up/i;
/** How far above a traceback a recognised message still counts as its explanation (nnU-Net prints, then raises). */
const EXPLAINED_BEFORE_TRACEBACK = 8;

function findUnrecognizedErrors(lines: readonly LogLine[], hits: readonly SignatureHit[]): UnrecognizedError[] {
  const explained = new Set(hits.map((h) => h.line));
  const seen = new Set<string>();
  const found: UnrecognizedError[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i]!.text;
    const text = raw.trim();
    // Source lines inside a traceback are indented by 4; the exception line itself is not.
    if (/^\s{4}/.test(raw) || !EXCEPTION_LINE.test(text) || explained.has(lines[i]!.no)) continue;
    // nnU-Net's summaries ("check text output above") point at errors printed earlier; they are not causes.
    if (POINTS_UPWARD.test(text)) continue;
    // A known message in the same traceback, or printed just before it, already explains this line.
    const block = tracebackBlock(lines, i);
    if (lines.slice(Math.max(0, block.start - EXPLAINED_BEFORE_TRACEBACK), i + 1).some((l) => explained.has(l.no))) continue;
    if (seen.has(text)) continue;
    seen.add(text);
    found.push({ line: lines[i]!.no, text, excerpt: excerptAround(lines, lines[i]!.no) });
  }
  return found;
}

/** The traceback that ends at `index`: back to its "Traceback (most recent call last):" header. */
function tracebackBlock(lines: readonly LogLine[], index: number): { start: number } {
  let start = index;
  for (let j = index - 1; j >= 0 && index - j < 400; j -= 1) {
    const text = lines[j]!.text;
    if (TRACEBACK_HEADER.test(text)) return { start: j };
    if (/^\s/.test(text) || text.trim() === '' || /^\^+$/.test(text.trim())) {
      start = j;
      continue;
    }
    break;
  }
  return { start };
}

function resolveWrapper(
  lines: readonly LogLine[],
  wrapper: SignatureHit,
  errorHits: readonly SignatureHit[],
  unrecognized: readonly UnrecognizedError[],
): WrapperResolution {
  const index = lines.findIndex((l) => l.no === wrapper.line);
  // The wrapper's own traceback (the raise inside the augmenter) is not the real error: skip it.
  const ownStart = lines[tracebackBlock(lines, index).start]?.no ?? wrapper.line;
  const exceptions = [
    ...errorHits.map((h) => ({ line: h.line, text: h.text.trim(), signatureId: h.signatureId as string | undefined })),
    ...unrecognized.map((u) => ({ line: u.line, text: u.text, signatureId: undefined })),
  ];
  // Exceptions first, then batchgenerators' bare "Exception in background worker" notes; above the
  // wrapper first, then below it, since worker output is buffered apart and can land after the message.
  const searches = [
    { list: exceptions, position: 'above' as const },
    { list: workerErrorLines(lines), position: 'above' as const },
    { list: exceptions, position: 'below' as const },
    { list: workerErrorLines(lines), position: 'below' as const },
  ];
  for (const { list, position } of searches) {
    const found = position === 'above'
      ? list.filter((c) => c.line < ownStart).sort((a, b) => b.line - a.line)[0]
      : list.filter((c) => c.line > wrapper.line).sort((a, b) => a.line - b.line)[0];
    if (found) return { wrapperId: wrapper.signatureId, wrapperLine: wrapper.line, realError: { ...found, position }, likelyOomKiller: false };
  }
  return { wrapperId: wrapper.signatureId, wrapperLine: wrapper.line, likelyOomKiller: true };
}

/** batchgenerators prints "Exception in background worker N:" followed by the message on the next line. */
function workerErrorLines(lines: readonly LogLine[]): { line: number; text: string; signatureId: undefined }[] {
  const out: { line: number; text: string; signatureId: undefined }[] = [];
  lines.forEach((l, i) => {
    if (WORKER_ERROR.test(l.text)) out.push({ line: l.no, text: `${l.text.trim()} ${lines[i + 1]?.text.trim() ?? ''}`.trim(), signatureId: undefined });
  });
  return out;
}
