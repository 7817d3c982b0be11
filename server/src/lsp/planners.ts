// Binds the paste-versions and freeze commands to their pure core planners (fixes/paste-versions.ts and
// freeze/plan-freeze.ts). A planner not in this build yet is undefined, and its command says so.

import { FileEdit, FixContext } from '../core/fix';
import { CheckOptions } from '../core/settings';
import { EffectiveConfig } from '../model/effective-config';
import { Workspace } from '../workspace/workspace';

export interface PastePlan { edits: FileEdit[]; added: unknown[]; conflicts: unknown[]; duplicates: unknown[] }
export interface FreezePlan { edits: FileEdit[]; summary: { changed: string[]; blocking: string[] } }

export interface Planners {
  pasteVersions?: (ws: Workspace, root: string, config: EffectiveConfig, pickedVersionsText: string) => PastePlan | Promise<PastePlan>;
  freeze?: (ws: Workspace, root: string, options: CheckOptions, fixCtx: FixContext, pickedVersionsText?: string) => Promise<FreezePlan>;
}

export const PLANNERS: Planners = {};
