#!/usr/bin/env node
// Tokenizes every file of the SlapOS corpus that the `buildout` language claims and checks the grammar's
// line-level invariants against buildout's own rules (configparser): a `#`/`;` in column 0 is a comment and
// nothing else is; every `[header]` names a section; every option line names an option; no token is invalid.
// It does not check colours or value details: the *.test.cfg files do. Skips when the corpus is absent.
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = process.env.BUILDOUT_CORPUS || path.resolve(ROOT, '../shared/corpus/slapos');
const GRAMMAR = path.join(ROOT, 'syntaxes/buildout.tmLanguage.json');

// The same patterns as package.json contributes.languages[buildout] (checked below, so they cannot drift).
const CLAIMED = [/(^|\/)buildout\.cfg$/, /(^|\/)software[^/]*\.cfg$/, /(^|\/)instance[^/]*\.cfg$/, /(^|\/)instance[^/]*\.cfg\.in$/,
  /(^|\/)buildout\.hash\.cfg$/, /(^|\/)stack\/(.*\/)?[^/]*\.cfg$/, /(^|\/)component\/(.*\/)?[^/]*\.cfg$/];
const OPTION_LINE = /^([^\s{}[\]=:]+\s*[-+]?)=/;   // buildout's option_start
const HEADER_LINE = /^\[\s*[^\s#[\]:;{}]+\s*(:[^#;]*)?\]\s*([#;].*)?$/;
// Genuine mistakes in the corpus that the grammar is right to mark invalid (buildout rejects them when used).
const KNOWN_INVALID = new Set([
  'component/vm-img/debian.cfg:110',   // `${archive}` has no colon: not a valid buildout substitution
  'stack/wendelin/instance.cfg.in:223', // `${directory:directory/instance-legacy.cfg` never closes: left as literal text
]);

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}

async function main() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const lang = pkg.contributes.languages.find((l) => l.id === 'buildout');
  const declared = [...(lang.filenames || []), ...(lang.filenamePatterns || [])].sort().join(' ');
  const expected = '**/component/**/*.cfg **/stack/**/*.cfg buildout.cfg buildout.hash.cfg instance*.cfg instance*.cfg.in software*.cfg';
  if (declared !== expected) throw new Error(`package.json language patterns changed (${declared}); update CLAIMED in ${__filename}`);
  if (!fs.existsSync(CORPUS)) { console.log(`grammar corpus: skipped (no corpus at ${CORPUS})`); return; }

  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR),
  });
  const grammar = await registry.loadGrammar('source.buildout');
  const files = walk(CORPUS).map((f) => path.relative(CORPUS, f)).filter((f) => CLAIMED.some((re) => re.test(f))).sort();
  const problems = [];
  let lines = 0;
  const t0 = Date.now();
  for (const file of files) {
    let stack = vsctm.INITIAL;
    const text = fs.readFileSync(path.join(CORPUS, file), 'utf8').split(/\r?\n/);
    // Jinja templates may open a {% ... %} block over several lines; only plain buildout lines are checked.
    const templated = /\{[%{#]/.test(text.join('\n'));
    text.forEach((line, i) => {
      const r = grammar.tokenizeLine(line, stack);
      stack = r.ruleStack;
      lines++;
      const first = r.tokens[0] ? r.tokens[0].scopes.join(' ') : '';
      const where = `${file}:${i + 1}: ${line.slice(0, 80)}`;
      const isComment = (scopes) => scopes.some((s) => s.startsWith('comment.line'));
      if (line === '' || (templated && /\{[%{#]|[%}#]\}/.test(line))) return;
      if (/\.jinja\b/.test(first)) return;   // inside a multi-line jinja block or comment: jinja's text, not buildout's
      for (const t of r.tokens) {
        if (t.scopes.some((s) => s.startsWith('invalid.')) && !KNOWN_INVALID.has(`${file}:${i + 1}`)) {
          problems.push(`invalid token "${line.slice(t.startIndex, t.endIndex)}" at ${where}`);
        }
      }
      if (/^[#;]/.test(line)) {
        if (!/comment\.line/.test(first)) problems.push(`column-0 comment not a comment at ${where}`);
      } else if (r.tokens.some((t) => isComment(t.scopes)) && !/^\[/.test(line)) {
        problems.push(`comment scope outside column 0 at ${where}`);
      } else if (HEADER_LINE.test(line)) {
        if (!r.tokens.some((t) => t.scopes.includes('entity.name.section.buildout'))) problems.push(`header without section name at ${where}`);
      } else if (OPTION_LINE.test(line) && !/^</.test(line)) {
        const name = OPTION_LINE.exec(line)[1].replace(/\s*[-+]?$/, '');
        const tok = r.tokens.find((t) => t.scopes.includes('variable.other.option.buildout'));
        if (!tok || tok.startIndex !== 0 || line.slice(0, tok.endIndex).replace(/[-+]$/, '') !== name) {
          problems.push(`option "${name}" not scoped as an option at ${where}`);
        }
      }
    });
  }
  for (const p of problems.slice(0, 40)) console.log(p);
  console.log(`grammar corpus: ${files.length} files, ${lines} lines in ${Date.now() - t0} ms; ${problems.length} problems`);
  if (files.length < 500) throw new Error(`expected the corpus to hold over 500 buildout files, found ${files.length}`);
  if (problems.length) process.exitCode = 1;
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
