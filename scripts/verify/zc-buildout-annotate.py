#!/usr/bin/env python3
"""Differential check of `buildout-freeze annotate` against zc.buildout itself.

Merges a root profile's extends chain with zc.buildout's own `configparser.parse` and `_update`
(in the SlapOS fork's order: depth-first post-order, each file once, `${:_profile_base_location_}`
replaced by the file's directory) and prints the canonical JSON of {section: {option: value}}, or with
--digest the sha256 of it. Conditional sections are evaluated for the target Python given as X.Y.

Needs zc.buildout's source on PYTHONPATH (with a zc.buildout egg-info beside it so pkg_resources finds
the distribution). Not run in CI; its digests are kept in test/unit/corpus/annotate.expected.json.
Usage: zc-buildout-annotate.py [--digest] ROOT X.Y CORPUS_DIR
"""
import hashlib, io, json, os, platform, re, sys, types

import zc.buildout.buildout as zb
import zc.buildout.configparser as zcp

args = [a for a in sys.argv[1:] if a != '--digest']
root, target, corpus = os.path.abspath(args[0]), args[1], os.path.abspath(args[2])
major, minor = map(int, target.split('.'))
fake_sys = types.SimpleNamespace(version_info=(major, minor, 0, 'final', 0), platform='linux',
                                 maxsize=sys.maxsize, byteorder='little', version=sys.version)


def condition_globals():
    names = {'sys': fake_sys, 'os': os, 'platform': platform, 're': re, 'python2': major == 2, 'python3': major == 3,
             'cpython': True, 'pypy': False, 'jython': False, 'ironpython': False, 'linux': True, 'windows': False,
             'cygwin': False, 'solaris': False, 'macosx': False, 'posix': True, 'bits32': False, 'bits64': True,
             'little_endian': True, 'big_endian': False}
    for v in ('24', '25', '26', '27', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39',
              '310', '311', '312', '313', '314', '315'):
        names['python' + v] = '%d%d' % (major, minor) == v
    return names


order, done, stack = [], set(), []


def visit(path):
    path = os.path.normpath(os.path.abspath(path))
    if path in done or path in stack:
        return
    done.add(path)
    try:
        text = open(path).read()
    except OSError:
        return
    text = text.replace('${:_profile_base_location_}', os.path.dirname(path))
    try:
        parsed = zcp.parse(io.StringIO(text), path, condition_globals)
    except Exception as e:  # an unevaluable condition: the checker treats the section as absent
        print('parse error in %s: %r' % (path, e), file=sys.stderr)
        return
    extends = parsed.get('buildout', {}).pop('extends', None)
    parsed = zb._annotate(parsed, path)
    stack.append(path)
    for name in (extends or '').split():
        if '://' not in name:
            visit(os.path.join(os.path.dirname(path), name))
    stack.pop()
    order.append(parsed)


visit(root)
merged = {}
for data in order:
    merged = zb._update(merged, data)
defaults = {k: (v.value if hasattr(v, 'value') else v) for k, v in zb._buildout_default_options.items()}
data = {'buildout': zb._annotate_section(defaults, 'DEFAULT_VALUE')}
data['buildout']['directory'] = zb.SectionKey(os.path.dirname(root), 'COMPUTED_VALUE')
data = zb._update(data, merged)
if 'versions' not in data['buildout']:
    data['buildout']['versions'] = zb.SectionKey('versions', 'DEFAULT_VALUE')
    data.setdefault('versions', {})
canonical = {s: {k: v.value.replace(corpus, '<corpus>') for k, v in o.items() if (s, k) != ('buildout', 'executable')}
             for s, o in data.items()}
text = json.dumps(canonical, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
print(hashlib.sha256(text.encode()).hexdigest() if '--digest' in sys.argv else text)
