// The data of `buildout annotate`: every section and option after extends, `+=`/`-=` and conditional
// sections, before `<=` macros and `${}` substitution, each value with the files and lines it came from.

import { EffectiveConfig } from './effective-config';
import type { Workspace } from '../workspace/workspace';

export interface AnnotatedOption { value: string; origins: { file: string; line: number; operation: string }[] }
export type Annotation = Record<string, Record<string, AnnotatedOption>>;

export function annotate(config: EffectiveConfig, ws: Workspace, only?: string[]): Annotation {
  const out: Annotation = {};
  const names = [...config.data.keys()].sort();
  for (const name of names) {
    if (only && only.length && !only.includes(name)) continue;
    const section: Record<string, AnnotatedOption> = {};
    for (const key of [...config.data.get(name)!.keys()].sort()) {
      const v = config.data.get(name)!.get(key)!;
      section[key] = {
        value: v.value,
        origins: v.origins.map((o) => ({
          file: o.file || 'DEFAULT_VALUE',
          line: o.option ? (ws.syntaxOf(o.file)?.index.positionAt(o.option.nameStart).line ?? o.option.line) + 1 : 0,
          operation: o.operation,
        })),
      };
    }
    out[name] = section;
  }
  return out;
}
