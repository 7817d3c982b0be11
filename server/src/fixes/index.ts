// The registry of fixes, one per rule that can be fixed. Add a fix by adding its file and a line here.

import { Fix } from '../core/fix';
import { pinRepository } from './pin-repository';
import { removeDevelop } from './remove-develop';
import { md5sumMismatchFix, missingMd5sumFix } from './md5sum';

export const FIXES: Fix[] = [
  pinRepository,
  removeDevelop,
  missingMd5sumFix,
  md5sumMismatchFix,
];

export function fixFor(code: string): Fix | undefined {
  return FIXES.find((f) => f.code === code);
}
