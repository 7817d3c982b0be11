// Conditional sections (`[name:expr]`) against Python itself: every expression below is evaluated by this
// machine's python3 in the namespace buildout gives section conditions (sys, os, platform, re, python2,
// python3, python27..., cpython, pypy, linux, posix, bits32, bits64, endianness; PEP 508 markers first
// when the `packaging` module is there), and by our evaluator for the same Python and machine. Where we
// give an answer it must be Python's; the forms SlapOS writes must always get one. Nothing is executed on
// our side: the expressions that read the running system must stay unknown.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import { spawnSync } from 'child_process';
import { evaluateCondition } from '../../../server/src/model/conditions';
import { Target } from '../../../server/src/model/target';

/** The forms found in SlapOS profiles and their close variants: each must be evaluated. */
const MUST_KNOW = [
  'python2', 'python3', 'not python2', 'python27', 'python311', 'python36', 'pypy', 'cpython',
  'linux', 'posix', 'windows', 'macosx', 'bits32', 'bits64', 'little_endian', 'big_endian',
  'python3 and linux', 'python2 or bits32', 'not (python2 or pypy)',
  'sys.version_info < (3,10)', 'sys.version_info >= (3, 8)', 'sys.version_info < (3, 12, 1)', 'sys.version_info[0] == 3',
  'sys.version_info > (3,)', 'sys.version_info[:2] == (3, 11)',
  'platform.machine() == "x86_64"', "platform.machine() == 'aarch64'", 'linux and platform.machine() == "x86_64"',
  'platform.machine() in ("x86_64", "aarch64")', 'platform.machine() not in ["i686"]',
  'sys.platform == "linux"', 'sys.platform.startswith("linux")', 'os.name == "posix"',
  'python3 and not bits32 and platform.machine() != "armv7l"',
];

/** PEP 508 markers, which buildout tries first. */
const MARKERS = [
  'python_version < "3.10"', 'python_version >= "3.11"', 'platform_machine == "x86_64"', 'sys_platform == "linux"',
  'python_version == "2.7" or platform_machine == "aarch64"', 'implementation_name == "cpython"',
];

/** Read the running system (or a patch level no target names): never evaluated by the checker, always reported. */
const MUST_STAY_UNKNOWN = [
  "os.path.isdir('/usr/lib/arm-linux-gnueabihf')",
  "open('/proc/device-tree/model').read()",
  'platform.release() < "5"',
  "__import__('os').system('true')",
  'platform.freedesktop_os_release()["ID"] == "debian"',
  // The target is a major.minor release: its patch level is not known.
  'sys.version_info < (3, 11, 1)', 'sys.version_info[2] >= 4',
];

const ORACLE = String.raw`
import json, os, platform, re, struct, sys
expressions = json.load(sys.stdin)
try:
    from packaging.markers import Marker, InvalidMarker
except ImportError:
    Marker = None
major, minor = platform.python_version_tuple()[:2]
names = {'sys': sys, 'os': os, 'platform': platform, 're': re,
         'python2': major == '2', 'python3': major == '3'}
for v in ['24', '25', '26', '27'] + ['3' + str(m) for m in range(0, 16)]:
    names['python' + v] = major + minor == v
version = sys.version.lower()
names.update(pypy='pypy' in version, jython='java' in version, ironpython='iron' in version)
names['cpython'] = not (names['pypy'] or names['jython'] or names['ironpython'])
plat = sys.platform.lower()
names.update(linux='linux' in plat, windows='win32' in plat, cygwin='cygwin' in plat, solaris='sunos' in plat,
             macosx='darwin' in plat, posix='posix' in os.name.lower())
bits = struct.calcsize('P') * 8
names.update(bits32=bits == 32, bits64=bits == 64, little_endian=sys.byteorder == 'little', big_endian=sys.byteorder == 'big')
out = []
for e in expressions:
    if Marker is not None:
        try:
            out.append({'value': bool(Marker(e).evaluate()), 'by': 'marker'})
            continue
        except InvalidMarker:
            pass
    try:
        out.append({'value': bool(eval(e, dict(names))), 'by': 'python'})
    except Exception as x:
        out.append({'error': type(x).__name__})
print(json.dumps({'python': [int(major), int(minor)], 'machine': platform.machine(), 'platform': sys.platform,
                  'markers': Marker is not None, 'results': out}))
`;

interface OracleAnswer { python: [number, number]; machine: string; platform: string; markers: boolean; results: ({ value: boolean; by: string } | { error: string })[] }

function askPython(expressions: string[]): OracleAnswer {
  const r = spawnSync('python3', ['-c', ORACLE], { input: JSON.stringify(expressions), encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, `python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('conditions evaluate as Python evaluates them for the same Python and machine', (t) => {
  // The host's own expressions must not be run for real by this test either: the unknown ones are left out.
  const all = [...MUST_KNOW, ...MARKERS];
  const oracle = askPython(all);
  const target: Target = { python: oracle.python, implementation: 'cpython', sysPlatform: oracle.platform, machine: oracle.machine };
  let compared = 0;
  all.forEach((expression, i) => {
    const ours = evaluateCondition(expression, target);
    const theirs = oracle.results[i];
    if (MARKERS.includes(expression) && !oracle.markers) { if (ours.known) compared++; return; }
    assert.ok(!('error' in theirs), `python3 could not evaluate ${expression}: ${JSON.stringify(theirs)}`);
    assert.ok(ours.known, `${expression} must be evaluated statically (${!ours.known && ours.reason})`);
    assert.equal(ours.value, theirs.value, `${expression}: Python says ${theirs.value}`);
    compared++;
  });
  t.diagnostic(`${compared} expressions agree with Python ${oracle.python.join('.')} on ${oracle.platform}/${oracle.machine}${oracle.markers ? '' : ' (no packaging module: markers checked for an answer only)'}`);
});

test('conditions for another target than the host: python2.7, pypy, 32-bit and aarch64 machines', () => {
  const py27: Target = { python: [2, 7], implementation: 'cpython', sysPlatform: 'linux', machine: 'x86_64' };
  const pypy: Target = { python: [3, 10], implementation: 'pypy', sysPlatform: 'linux', machine: 'x86_64' };
  const arm32: Target = { python: [3, 11], implementation: 'cpython', sysPlatform: 'linux', machine: 'armv7l' };
  const aarch64: Target = { python: [3, 11], implementation: 'cpython', sysPlatform: 'linux', machine: 'aarch64' };
  const cases: [string, Target, boolean][] = [
    ['python2', py27, true], ['python27', py27, true], ['python3', py27, false], ['sys.version_info < (3,10)', py27, true],
    ['python_version < "3"', py27, true], ['pypy', pypy, true], ['cpython', pypy, false], ['python310', pypy, true],
    ['bits32', arm32, true], ['bits64', arm32, false], ['linux and platform.machine() == "x86_64"', aarch64, false],
    ['platform_machine == "aarch64"', aarch64, true], ['sys.version_info < (3,10)', aarch64, false],
  ];
  for (const [expression, target, expected] of cases) {
    const r = evaluateCondition(expression, target);
    assert.ok(r.known, `${expression} unknown`);
    assert.equal(r.value, expected, `${expression} for ${JSON.stringify(target)}`);
  }
});

test('conditions that read the running system are reported, never run', () => {
  for (const expression of MUST_STAY_UNKNOWN) {
    const r = evaluateCondition(expression, { python: [3, 11], implementation: 'cpython', sysPlatform: 'linux', machine: 'x86_64' });
    assert.equal(r.known, false, expression);
    assert.ok(!r.known && r.reason.length > 0);
  }
});
