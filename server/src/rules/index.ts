// The registry of rules, in the order their findings are listed. Add a rule by adding its file and a line here.

import { Rule } from '../core/rule';
import { unpinnedEgg } from './unpinned-egg';

export const RULES: Rule[] = [
  unpinnedEgg,
];
