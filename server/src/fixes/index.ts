// The registry of fixes, one per rule that can be fixed. Add a fix by adding its file and a line here.

import { Fix } from '../core/fix';

export const FIXES: Fix[] = [
];

export function fixFor(code: string): Fix | undefined {
  return FIXES.find((f) => f.code === code);
}
