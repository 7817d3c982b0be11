// remove-develop (fixes develop-option): deletes every `develop` option (`=`, `+=`, `-=`, all their
// lines) from the `[buildout]` blocks of every file in the root's extends chain, so no older definition
// resurfaces once the newest is gone. Offline.
// Deliberately not done: it refuses, rather than guesses, when that is not safe: a `develop` written in a
// remote file or in a file outside the release's own directory (a stack or component shared with other
// releases, which would change them too), or a `${buildout:develop}` that something still reads. The
// develop eggs then need pins in [versions]; unpinned-egg reports them, this fix does not invent versions.

import * as path from 'path';
import { Fix, FileEdit, FixContext, FixResult } from '../core/fix';
import { findReferences } from '../model/references';
import { canonical, isUrl } from '../workspace/workspace';

export const removeDevelop: Fix = {
  code: 'develop-option',
  title: () => 'Remove `develop` from [buildout]',
  online: () => false,
  async compute(_finding, ctx: FixContext): Promise<FixResult> {
    const reader = readerOfDevelop(ctx);
    if (reader) return { error: `Not removing \`develop\`: ${reader} reads \${buildout:develop}.` };
    const root = canonical(ctx.root);
    const rootDir = path.dirname(root);
    const edits: FileEdit[] = [];
    for (const file of ctx.config.files) {
      const syntax = ctx.ws.syntaxOf(file);
      const options = syntax?.sections.filter((s) => s.name === 'buildout').flatMap((s) => s.options.filter((o) => o.name === 'develop')) ?? [];
      if (options.length === 0) continue;
      if (isUrl(file)) return { error: `Not removing \`develop\`: ${file} sets it and is a remote file.` };
      if (file !== root && path.relative(rootDir, file).startsWith('..')) {
        return { error: `Not removing \`develop\`: ${file} sets it and other software releases may extend that file. Remove it there, or override it with an empty \`develop =\` in ${path.basename(root)}.` };
      }
      const text = syntax!.text;
      for (const o of options) edits.push({ file, start: lineStartOf(text, o.nameStart), end: endOfOption(text, o.lines), newText: '' });
    }
    if (edits.length === 0) return { error: 'No `develop` option is written in [buildout] any more.' };
    return { title: edits.length === 1 ? 'Remove `develop` from [buildout]' : `Remove the ${edits.length} \`develop\` options from [buildout]`, edits };
  },
};

/** The first `section:option` other than [buildout] develop itself whose value reads `${buildout:develop}`. */
function readerOfDevelop(ctx: FixContext): string | undefined {
  for (const name of ctx.config.sectionNames()) {
    const section = ctx.config.section(name);
    if (!section) continue;
    for (const [option, value] of section) {
      if (name === 'buildout' && option === 'develop') continue;
      for (const ref of findReferences(value.value)) {
        if (ref.option === 'develop' && (ref.section === 'buildout' || (ref.section === '' && name === 'buildout'))) return `[${name}] ${option}`;
      }
    }
  }
  return undefined;
}

function lineStartOf(text: string, offset: number): number {
  const nl = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1));
  return nl + 1;
}

/** Just past the line break of the option's last non-blank line, so blank separator lines stay. */
function endOfOption(text: string, lines: readonly { start: number; end: number }[]): number {
  let end = lines[0].end;
  for (const l of lines) if (text.slice(l.start, l.end).trim() !== '') end = l.end;
  if (text.startsWith('\r\n', end)) return end + 2;
  if (text[end] === '\n' || text[end] === '\r') return end + 1;
  return end;
}
