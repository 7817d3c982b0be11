// Requirement lines, egg-name matching and [versions] values, as buildout and pkg_resources read them.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import { isPinnedByItself, normaliseEggName, parseRequirement, readVersionValue } from '../../../server/src/model/eggs';

test('requirements: name, extras, specs and marker', () => {
  assert.deepEqual(parseRequirement('neoppod[admin, ctl]'), { name: 'neoppod', key: 'neoppod', extras: ['admin', 'ctl'], specs: [] });
  assert.deepEqual(parseRequirement(' GDAL ==3.9+SlapOSPatched001 '), { name: 'GDAL', key: 'gdal', extras: [], specs: [{ op: '==', version: '3.9+SlapOSPatched001' }] });
  assert.deepEqual(parseRequirement('foo (>=1.0, <2)')?.specs, [{ op: '>=', version: '1.0' }, { op: '<', version: '2' }]);
  assert.equal(parseRequirement('foo; python_version < "3"')?.marker, 'python_version < "3"');
  for (const bad of ['', '# comment', '${ZODB:egg}', 'foo[bar', 'foo bar', '/srv/egg', 'foo ==']) assert.equal(parseRequirement(bad), undefined, bad);
});

test('only exactly one == spec pins a requirement by itself', () => {
  const pinned = (text: string) => isPinnedByItself(parseRequirement(text)!);
  assert.equal(pinned('a==1'), true);
  assert.equal(pinned('a == 1.0.post1'), true);
  assert.equal(pinned('a'), false);
  assert.equal(pinned('a>=1'), false);
  assert.equal(pinned('a==1,<2'), false);
  assert.equal(pinned('a===1'), false);
});

test('egg names match when buildout (safe_name) or PEP 503 would take them for one project', () => {
  const same = (a: string, b: string) => normaliseEggName(a) === normaliseEggName(b);
  assert.ok(same('Foo_Bar', 'foo-bar'));
  assert.ok(same('zope.interface', 'Zope-Interface'));
  assert.ok(same('backports.functools_lru_cache', 'backports-functools-lru-cache'));
  assert.ok(!same('foo', 'foobar'));
  assert.notEqual(normaliseEggName('foo2'), normaliseEggName('foo-2'));
});

test('[versions] values: exact versions are pins, ranges and empty values are not', () => {
  assert.deepEqual(readVersionValue('1.0'), { pinned: true, version: '1.0' });
  assert.deepEqual(readVersionValue('==1.0'), { pinned: true, version: '1.0' });
  assert.deepEqual(readVersionValue('2.4.4:whl'), { pinned: true, version: '2.4.4' });
  assert.deepEqual(readVersionValue('5.8.1+SlapOSPatched002'), { pinned: true, version: '5.8.1+SlapOSPatched002' });
  for (const v of ['', '  ', '>=1.0', '<2', '!=1.0', '~=1.0']) assert.equal(readVersionValue(v).pinned, false, v);
});
