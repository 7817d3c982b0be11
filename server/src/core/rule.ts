// The contract of a rule: a pure, synchronous check over one root profile's effective configuration.
// Each rule lives in its own file under rules/, named by its id; its findings carry that id as code.
// What is installed, its downloads and eggs come from the configuration's lookups in model/
// (computeInstalled, downloadsOf, requestedEggs), so that a rule's memoised findings record those reads.

import { Severity, RelatedLocation } from './finding';
import { EffectiveConfig } from '../model/effective-config';
import type { Workspace } from '../workspace/workspace';
import { Mode } from '../protocol';

export interface RuleFinding {
  file: string;
  start: number;
  end: number;
  message: string;
  /** Overrides the rule's default severity for this finding (before mode and settings apply). */
  severity?: Severity;
  related?: { file: string; start: number; end: number; message: string }[];
  data?: Record<string, unknown>;
}

export interface RuleContext {
  root: string;
  config: EffectiveConfig;
  ws: Workspace;
  mode: Mode;
  report(finding: RuleFinding): void;
}

export interface Rule {
  id: string;
  /** One sentence for docs and `--help`. */
  description: string;
  defaultSeverity: Severity;
  /** Freeze rules are informational in development mode. */
  freeze: boolean;
  check(ctx: RuleContext): void;
}

export type { RelatedLocation };
