// Severity settings that turn every registered rule off except the given ones, so a fixture written for
// one rule is not redrawn each time another rule lands (recipe eggs in a fixture are not pinned, ...).
// Model problems (missing sections, syntax errors) are not rules and still show.

import { RULES } from '../../server/src/rules/index';
import { SeverityName } from '../../server/src/protocol';

export function onlyRules(...ids: string[]): Record<string, SeverityName> {
  return Object.fromEntries(RULES.filter((r) => !ids.includes(r.id)).map((r) => [r.id, 'off' as const]));
}
