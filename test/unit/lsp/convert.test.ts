// Paths become `file:` URIs encoded as VS Code's URI.file encodes them, whether or not they need encoding.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import { pathToUri, uriToPath } from '../../../server/src/lsp/convert';

test('pathToUri encodes what VS Code encodes and nothing else, and uriToPath reverses it', () => {
  const cases: [string, string][] = [
    ['/srv/slapos/software/erp5/software.cfg', 'file:///srv/slapos/software/erp5/software.cfg'],
    ['/srv/my release/software.cfg', 'file:///srv/my%20release/software.cfg'],
    ['/srv/a#b/c%d.cfg', 'file:///srv/a%23b/c%25d.cfg'],
    ['/srv/été/x+y.cfg', 'file:///srv/%C3%A9t%C3%A9/x%2By.cfg'],
    ['/srv/a_b-c.d~e/f.cfg', 'file:///srv/a_b-c.d~e/f.cfg'],
    ['relative/path.cfg', 'file:///relative/path.cfg'],
    ['relative dir/path.cfg', 'file:///relative%20dir/path.cfg'],
  ];
  for (const [file, uri] of cases) {
    assert.equal(pathToUri(file), uri, file);
    if (file.startsWith('/')) assert.equal(uriToPath(uri), file);
  }
  // A URL is kept as it is.
  assert.equal(pathToUri('https://lab.nexedi.com/nexedi/slapos/raw/master/stack/slapos.cfg'), 'https://lab.nexedi.com/nexedi/slapos/raw/master/stack/slapos.cfg');
});
