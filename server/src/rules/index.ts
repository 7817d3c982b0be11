// The registry of rules, in the order their findings are listed. Add a rule by adding its file and a line here.

import { Rule } from '../core/rule';
import { unpinnedEgg } from './unpinned-egg';
import { untaggedRepository } from './untagged-repository';
import { developOption } from './develop-option';

export const RULES: Rule[] = [
  unpinnedEgg,
  untaggedRepository,
  developOption,
];
