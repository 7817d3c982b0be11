// Binds the paste-versions and freeze commands to their pure core planners (fixes/paste-versions.ts and
// freeze/plan-freeze.ts). A planner not in this build yet is undefined, and its command says so.

import { FileEdit } from '../core/fix';
import { EffectiveConfig } from '../model/effective-config';
import { Workspace } from '../workspace/workspace';
import { PastePlanner, planFreeze } from '../freeze/plan-freeze';

export interface PastePlan { edits: FileEdit[]; added: unknown[]; conflicts: unknown[]; duplicates: unknown[] }

export interface Planners {
  pasteVersions?: (ws: Workspace, root: string, config: EffectiveConfig, pickedVersionsText: string) => PastePlan | Promise<PastePlan>;
  freeze?: typeof planFreeze;
  /** How the freeze merges pasted picked versions (the same core as pasteVersions). */
  pasteForFreeze?: PastePlanner;
}

export const PLANNERS: Planners = { freeze: planFreeze };
