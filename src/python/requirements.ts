import { satisfies } from '@renovatebot/pep440';

/** One PEP 508 requirement line as found in Requires-Dist. */
export interface Requirement {
  name: string;
  /** Normalized (PEP 503) for lookups. */
  key: string;
  specifier: string;
  marker?: string;
  line: string;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function parseRequirement(line: string): Requirement | undefined {
  const [body = '', marker] = splitMarker(line);
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?\s*([^;()]*?)\s*\)?\s*$/.exec(body);
  if (!m) return undefined;
  return { name: m[1]!, key: normalizeName(m[1]!), specifier: m[2]!.replace(/\s+/g, ''), marker: marker?.trim() || undefined, line: line.trim() };
}

function splitMarker(line: string): [string, string | undefined] {
  const at = line.indexOf(';');
  return at === -1 ? [line, undefined] : [line.slice(0, at), line.slice(at + 1)];
}

/**
 * Evaluates a PEP 508 environment marker (`platform_system == "Darwin" and python_version < "3.12"`,
 * `extra == "dev"`). Versions compare as PEP 440 where both sides parse, else as strings. An unreadable
 * marker counts as true, so a requirement is checked rather than silently dropped.
 */
export function evaluateMarker(marker: string, env: Readonly<Record<string, string>>, extras: readonly string[] = []): boolean {
  const tokens = marker.match(/\(|\)|"[^"]*"|'[^']*'|===|==|!=|<=|>=|~=|<|>|\bnot in\b|\bin\b|\band\b|\bor\b|[A-Za-z_][A-Za-z0-9_.]*/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const value = (token: string | undefined): { text: string; variable?: string } => {
    if (token === undefined) throw new Error('marker ended early');
    if (/^["']/.test(token)) return { text: token.slice(1, -1) };
    return { text: token === 'extra' ? '' : (env[token] ?? ''), variable: token };
  };
  const comparison = (): boolean => {
    if (peek() === '(') {
      next();
      const inner = or();
      next();
      return inner;
    }
    const left = value(next());
    const op = next()!;
    const right = value(next());
    if (left.variable === 'extra' || right.variable === 'extra') {
      const wanted = normalizeName(left.variable === 'extra' ? right.text : left.text);
      const has = extras.map(normalizeName).includes(wanted);
      return op === '!=' ? !has : has;
    }
    return compare(left.text, op, right.text);
  };
  const and = (): boolean => {
    let result = comparison();
    while (peek() === 'and') {
      next();
      result = comparison() && result;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (peek() === 'or') {
      next();
      result = and() || result;
    }
    return result;
  };
  try {
    return or();
  } catch {
    return true;
  }
}

function compare(left: string, op: string, right: string): boolean {
  if (op === 'in') return right.includes(left);
  if (op === 'not in') return !right.includes(left);
  const spec = `${op}${right}`;
  if (/^\d/.test(left) && /^\d/.test(right) && op !== '===') {
    try {
      return satisfies(left, spec, { prereleases: true });
    } catch {
      // fall through to string comparison
    }
  }
  switch (op) {
    case '==':
    case '===':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    default:
      return false;
  }
}

export interface RequirementProblem {
  requirement: Requirement;
  installed: string | null;
}

/**
 * Like `pip check` for one distribution: every Requires-Dist that applies here (markers evaluated, extras
 * not requested) must be installed at a satisfying version. Pre-releases count, as in pip check.
 */
export function unmetRequirements(
  lines: readonly string[],
  installed: Readonly<Record<string, string>>,
  markerEnv: Readonly<Record<string, string>>,
): { checked: Requirement[]; problems: RequirementProblem[] } {
  const checked = lines
    .map(parseRequirement)
    .filter((r): r is Requirement => !!r && (!r.marker || evaluateMarker(r.marker, markerEnv)));
  const problems = checked
    .map((requirement) => ({ requirement, installed: installed[requirement.key] ?? null }))
    .filter(({ requirement, installed: version }) => version === null || (requirement.specifier !== '' && !versionSatisfies(version, requirement.specifier)));
  return { checked, problems };
}

export function versionSatisfies(version: string, specifier: string): boolean {
  try {
    return satisfies(version, specifier, { prereleases: true });
  } catch {
    return false;
  }
}
