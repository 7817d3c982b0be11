// Evaluates the expression of a conditional section (`[name:expr]`) for a configured Target, without
// executing anything. It understands PEP 508 markers and the Python forms buildout offers (`python3`,
// `sys.version_info < (3,10)`, `platform.machine() == "x86_64"`, `and`/`or`/`not`); anything else is
// "unknown", and the caller reports it instead of guessing.

import { Target } from './target';

export type ConditionResult = { known: true; value: boolean } | { known: false; reason: string };

type Value = boolean | number | string | Value[] | Unknown;
class Unknown { constructor(readonly reason: string) {} }

const MINOR_NAMES = ['24', '25', '26', '27', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '310', '311', '312', '313', '314', '315'];

function names(t: Target): Record<string, Value> {
  const [major, minor] = t.python;
  const n: Record<string, Value> = {
    python2: major === 2, python3: major === 3,
    cpython: t.implementation === 'cpython', pypy: t.implementation === 'pypy', jython: false, ironpython: false,
    linux: t.sysPlatform.includes('linux'), windows: t.sysPlatform.includes('win32'), cygwin: t.sysPlatform.includes('cygwin'),
    solaris: t.sysPlatform.includes('sunos'), macosx: t.sysPlatform.includes('darwin'), posix: !t.sysPlatform.includes('win32'),
    bits32: /^(i[3-6]86|x86|arm|armv7l|armv6l)$/.test(t.machine), bits64: !/^(i[3-6]86|x86|arm|armv7l|armv6l)$/.test(t.machine),
    little_endian: !/^(s390x|ppc64|sparc)/.test(t.machine), big_endian: /^(s390x|ppc64|sparc)/.test(t.machine),
    True: true, False: false,
  };
  for (const v of MINOR_NAMES) n['python' + v] = `${major}${minor}` === v;
  return n;
}

function attribute(path: string, t: Target, called: boolean): Value {
  const [major, minor] = t.python;
  const version = `${major}.${minor}.0`;
  const known = names(t);
  const table: Record<string, Value> = {
    // The target names a major.minor release: the patch level, release level and serial are not known.
    'sys.version_info': [major, minor, new Unknown('the patch release of the target Python is not known'), 'final', 0],
    'sys.platform': t.sysPlatform,
    'os.name': t.sysPlatform.includes('win32') ? 'nt' : 'posix',
    'sys.maxsize': known.bits64 ? 2 ** 63 - 1 : 2 ** 31 - 1,
    'sys.byteorder': known.little_endian ? 'little' : 'big',
  };
  const calls: Record<string, Value> = {
    'platform.machine': t.machine,
    'platform.system': ({ linux: 'Linux', darwin: 'Darwin', win32: 'Windows' } as Record<string, string>)[t.sysPlatform] ?? t.sysPlatform,
    'platform.python_version': version,
    'platform.python_implementation': t.implementation === 'pypy' ? 'PyPy' : 'CPython',
  };
  if (called && path in calls) return calls[path];
  if (!called && path in table) return table[path];
  return new Unknown(`\`${path}${called ? '()' : ''}\` depends on the machine buildout runs on`);
}

const MARKER_VARS: Record<string, (t: Target) => string> = {
  python_version: (t) => `${t.python[0]}.${t.python[1]}`,
  python_full_version: (t) => `${t.python[0]}.${t.python[1]}.0`,
  sys_platform: (t) => t.sysPlatform,
  platform_machine: (t) => t.machine,
  os_name: (t) => (t.sysPlatform.includes('win32') ? 'nt' : 'posix'),
  platform_system: (t) => ({ linux: 'Linux', darwin: 'Darwin', win32: 'Windows' } as Record<string, string>)[t.sysPlatform] ?? t.sysPlatform,
  implementation_name: (t) => t.implementation,
  platform_python_implementation: (t) => (t.implementation === 'pypy' ? 'PyPy' : 'CPython'),
};

interface Token { kind: 'name' | 'num' | 'str' | 'op' | 'end'; text: string }

function tokenize(src: string): Token[] | undefined {
  const out: Token[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\d+)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(==|!=|<=|>=|\*\*|[<>()[\],.+\-*:]))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) return undefined;
    pos = re.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'name', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'num', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'str', text: m[3].slice(1, -1) });
    else out.push({ kind: 'op', text: m[4] });
  }
  out.push({ kind: 'end', text: '' });
  return out;
}

/** A recursive-descent evaluator for the expression subset; three-valued so `True or unknown` is True. */
class Evaluator {
  private i = 0;
  private known: Record<string, Value> | undefined;
  constructor(private readonly toks: Token[], private readonly target: Target, private readonly marker: boolean) {}
  /** The names an expression may use, built once per expression (most use one or two). */
  private names(): Record<string, Value> { return (this.known ??= names(this.target)); }
  private peek(): Token { return this.toks[this.i]; }
  private next(): Token { return this.toks[this.i++]; }
  private accept(text: string): boolean {
    const t = this.peek();
    if ((t.kind === 'op' || t.kind === 'name') && t.text === text) { this.i++; return true; }
    return false;
  }
  parseAll(): Value {
    const v = this.or();
    if (this.peek().kind !== 'end') throw new SyntaxError('trailing text');
    return v;
  }
  private or(): Value {
    let left = this.and();
    while (this.accept('or')) {
      const right = this.and();
      left = truth(left) === true ? true : truth(right) === true ? true : (left instanceof Unknown ? left : right instanceof Unknown ? right : false);
    }
    return left;
  }
  private and(): Value {
    let left = this.not();
    while (this.accept('and')) {
      const right = this.not();
      left = truth(left) === false ? false : truth(right) === false ? false : (left instanceof Unknown ? left : right instanceof Unknown ? right : true);
    }
    return left;
  }
  private not(): Value {
    if (this.accept('not')) {
      const v = this.not();
      const b = truth(v);
      return b === undefined ? v : !b;
    }
    return this.comparison();
  }
  private comparison(): Value {
    let left = this.arith();
    for (;;) {
      const t = this.peek();
      let op: string | undefined;
      if (t.kind === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.text)) { op = t.text; this.i++; }
      else if (t.kind === 'name' && t.text === 'in') { op = 'in'; this.i++; }
      else if (t.kind === 'name' && t.text === 'not' && this.toks[this.i + 1]?.text === 'in') { op = 'not in'; this.i += 2; }
      if (!op) return left;
      const right = this.arith();
      left = compare(left, op, right, this.marker);
    }
  }
  private arith(): Value {
    let left = this.unary();
    while (this.peek().kind === 'op' && ['+', '-', '*', '**'].includes(this.peek().text)) {
      const op = this.next().text;
      const right = this.unary();
      if (typeof left === 'number' && typeof right === 'number') left = op === '+' ? left + right : op === '-' ? left - right : op === '*' ? left * right : left ** right;
      else left = new Unknown('arithmetic on non-numbers');
    }
    return left;
  }
  private unary(): Value {
    if (this.accept('-')) { const v = this.unary(); return typeof v === 'number' ? -v : new Unknown('negation'); }
    return this.postfix();
  }
  private postfix(): Value {
    const t = this.peek();
    if (t.kind === 'name' && !['and', 'or', 'not', 'in'].includes(t.text)) {
      this.i++;
      let path = t.text;
      while (this.peek().text === '.' && this.toks[this.i + 1]?.kind === 'name') { this.i++; path += '.' + this.next().text; }
      let value: Value;
      const method = /^(.+)\.(startswith|endswith)$/.exec(path);
      if (method && this.accept('(')) value = this.stringTest(method[1], method[2]);
      else if (this.accept('(')) {
        if (!this.accept(')')) { this.skipBalanced(')'); value = new Unknown(`\`${path}(...)\` is not evaluated`); }
        else value = attribute(path, this.target, true);
      } else value = this.lookup(path);
      return this.subscripts(value);
    }
    return this.subscripts(this.atom());
  }
  /** The value of a name or dotted attribute (not called): a marker variable, a buildout name, `sys.platform`, ... */
  private lookup(path: string): Value {
    if (this.marker && path in MARKER_VARS) return MARKER_VARS[path](this.target);
    if (!path.includes('.') && path in this.names()) return this.names()[path];
    return attribute(path, this.target, false);
  }
  /** `sys.platform.startswith("linux")`: a known string's prefix or suffix test with one string argument. */
  private stringTest(path: string, test: string): Value {
    const subject = this.lookup(path);
    const argument = this.peek().kind === 'str' ? this.next().text : undefined;
    if (argument === undefined || !this.accept(')')) { this.skipBalanced(')'); return new Unknown(`\`${path}.${test}(...)\` is not evaluated`); }
    if (typeof subject !== 'string') return subject instanceof Unknown ? subject : new Unknown(`\`${path}.${test}(...)\` is not evaluated`);
    return test === 'startswith' ? subject.startsWith(argument) : subject.endsWith(argument);
  }
  private subscripts(value: Value): Value {
    while (this.accept('[')) {
      // An index, or a slice with optional bounds (`sys.version_info[:2]`).
      const from = this.peek().text === ':' ? undefined : this.or();
      if (this.accept(':')) {
        const to = this.peek().text === ']' ? undefined : this.or();
        if (!this.accept(']')) throw new SyntaxError('expected ]');
        const bound = (b: Value | undefined) => b === undefined || typeof b === 'number';
        value = Array.isArray(value) && bound(from) && bound(to) ? value.slice(from as number | undefined, to as number | undefined) : new Unknown('slice');
        continue;
      }
      if (!this.accept(']')) throw new SyntaxError('expected ]');
      value = Array.isArray(value) && typeof from === 'number' ? (value[from < 0 ? value.length + from : from] ?? new Unknown('index')) : new Unknown('subscript');
    }
    while (this.peek().text === '.' || this.peek().text === '(') {
      if (this.accept('.')) this.next();
      else { this.next(); this.skipBalanced(')'); }
      value = new Unknown('method call on a value');
    }
    return value;
  }
  private skipBalanced(close: string): void {
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === 'end') throw new SyntaxError('unbalanced');
      if (t.kind === 'op' && (t.text === '(' || t.text === '[')) depth++;
      if (t.kind === 'op' && (t.text === ')' || t.text === ']')) depth--;
    }
    void close;
  }
  private atom(): Value {
    const t = this.next();
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'str') return t.text;
    if (t.kind === 'op' && (t.text === '(' || t.text === '[')) {
      const close = t.text === '(' ? ')' : ']';
      const items: Value[] = [];
      let tuple = close === ']';
      while (!this.accept(close)) {
        items.push(this.or());
        if (this.accept(',')) tuple = true;
        else if (this.peek().text === 'for') { this.skipBalanced(close); return new Unknown('a comprehension'); }
        else if (!this.accept(close)) throw new SyntaxError('expected ' + close);
        else break;
      }
      return tuple ? items : items[0];
    }
    throw new SyntaxError('unexpected ' + t.text);
  }
}

function truth(v: Value): boolean | undefined {
  if (v instanceof Unknown) return undefined;
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0, y = pb[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** How `a` compares with `b`: a number, the Unknown it depends on, or undefined for different types. */
function order(a: Value, b: Value, marker: boolean): number | Unknown | undefined {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = order(a[i], b[i], marker);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    if (marker && /^\d+(\.\d+)*$/.test(a) && /^\d+(\.\d+)*$/.test(b)) return compareVersions(a, b);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return order(Number(a), Number(b), marker);
  return undefined;
}

function compare(a: Value, op: string, b: Value, marker: boolean): Value {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if (op === 'in' || op === 'not in') {
    let found: boolean | undefined;
    if (typeof b === 'string' && typeof a === 'string') found = b.includes(a);
    else if (Array.isArray(b)) found = b.some((x) => order(x, a, marker) === 0);
    if (found === undefined) return new Unknown('membership test');
    return op === 'in' ? found : !found;
  }
  const c = order(a, b, marker);
  if (c instanceof Unknown) return c;
  if (c === undefined) return op === '==' ? false : op === '!=' ? true : new Unknown('comparison of different types');
  switch (op) {
    case '==': return c === 0;
    case '!=': return c !== 0;
    case '<': return c < 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    default: return c >= 0;
  }
}

/**
 * Results by target and expression: a profile's conditions are evaluated again on every edit of its file,
 * and a release repeats the same few expressions (`python2`, `sys.version_info < (3,10)`) many times.
 */
const evaluated = new Map<string, ConditionResult>();

/** Evaluates `[name:expr]`'s expression for the target; `\x23` and `\x3b` are un-escaped as buildout does. */
export function evaluateCondition(expression: string, target: Target): ConditionResult {
  // A long expression is no usual condition: not worth keeping.
  if (expression.length > 200) return evaluateNow(expression, target);
  const key = `${target.implementation}${target.python[0]}.${target.python[1]} ${target.sysPlatform} ${target.machine}\0${expression}`;
  let result = evaluated.get(key);
  if (!result) {
    if (evaluated.size >= 10_000) evaluated.clear();
    evaluated.set(key, (result = evaluateNow(expression, target)));
  }
  return result;
}

function evaluateNow(expression: string, target: Target): ConditionResult {
  const expr = expression.replace(/\\x23/g, '#').replace(/\\x3b/g, ';');
  const tokens = tokenize(expr);
  if (!tokens) return { known: false, reason: 'it uses syntax this checker does not evaluate' };
  const isMarker = tokens.some((t) => t.kind === 'name' && t.text in MARKER_VARS);
  let value: Value;
  try {
    value = new Evaluator(tokens, target, isMarker).parseAll();
  } catch {
    return { known: false, reason: 'it uses syntax this checker does not evaluate' };
  }
  const b = truth(value);
  if (b === undefined) return { known: false, reason: (value as Unknown).reason };
  return { known: true, value: b };
}
