// What every check produces: a problem at an exact place in a file, in the core's own terms.
// The LSP layer turns these into Diagnostics and the CLI prints them; neither is known here.

import { TextRange } from '../syntax/line-index';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedLocation { file: string; range: TextRange; message: string }

export interface Finding {
  /** Absolute path (or URL) of the file the finding sits in. */
  file: string;
  range: TextRange;
  severity: Severity;
  /** The rule id: also the file name of the rule and the diagnostic code. */
  code: string;
  message: string;
  /** The root profile the finding was judged in. */
  profile: string;
  related?: RelatedLocation[];
  /** What a quick fix needs to recompute its edit (stateless server). */
  data?: Record<string, unknown>;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
