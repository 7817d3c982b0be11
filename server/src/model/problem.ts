// A problem the model found while reading profiles (a missing extended file, a cycle, a bad reference),
// located by offsets in one file. check.ts turns these into Findings with line/character ranges.

import { Severity } from '../core/finding';

export interface Problem {
  file: string;
  start: number;
  end: number;
  code: string;
  severity: Severity;
  message: string;
}
