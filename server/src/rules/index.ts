// The registry of rules, in the order their findings are listed. Add a rule by adding its file and a line here.

import { Rule } from '../core/rule';
import { unpinnedEgg } from './unpinned-egg';
import { untaggedRepository } from './untagged-repository';
import { developOption } from './develop-option';
import { fileNotFound } from './file-not-found';
import { md5sumMismatch } from './md5sum-mismatch';
import { missingMd5sum } from './missing-md5sum';

export const RULES: Rule[] = [
  unpinnedEgg,
  untaggedRepository,
  developOption,
  fileNotFound,
  md5sumMismatch,
  missingMd5sum,
];
