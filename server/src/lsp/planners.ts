// Binds the paste-versions and freeze commands to their pure core planners (fixes/paste-versions.ts and
// freeze/plan-freeze.ts), so that commands.ts names what it needs and not where it lives.

import { planFreeze } from '../freeze/plan-freeze';
import { pasteVersionsForFreeze, planPasteVersions } from '../fixes/paste-versions';

export const PLANNERS = {
  pasteVersions: planPasteVersions,
  freeze: planFreeze,
  /** How the freeze merges pasted picked versions (the same core as pasteVersions). */
  pasteForFreeze: pasteVersionsForFreeze,
};
