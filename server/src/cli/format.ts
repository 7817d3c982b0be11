// Renders findings for people (text), programs (JSON, LSP-style 0-based positions) and code-scanning
// tools (SARIF 2.1.0). Pure string building; main.ts does the printing.

import * as path from 'path';
import { Finding, SEVERITY_ORDER } from '../core/finding';
import { RULES } from '../rules/index';

const rel = (file: string, cwd: string) => (/^[a-z]+:\/\//i.test(file) ? file : path.relative(cwd, file) || '.');

export function formatText(findings: Finding[], cwd: string, profiles: number): string {
  const lines = findings.map((f) => `${rel(f.file, cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} [${f.code}] ${f.message}`);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const files = new Set(findings.map((f) => f.file)).size;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(`${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('information')} information in ${plural(files, 'file')} (${plural(profiles, 'root profile')} checked)`);
  return lines.join('\n') + '\n';
}

export function formatJson(findings: Finding[], cwd: string): string {
  return JSON.stringify({
    findings: findings.map((f) => ({
      file: rel(f.file, cwd), range: f.range, severity: f.severity, code: f.code, message: f.message, profile: rel(f.profile, cwd),
      ...(f.related ? { related: f.related.map((r) => ({ file: rel(r.file, cwd), range: r.range, message: r.message })) } : {}),
      ...(f.data ? { data: f.data } : {}),
    })),
  }, null, 2) + '\n';
}

export function formatSarif(findings: Finding[], cwd: string, version: string): string {
  const codes = [...new Set(findings.map((f) => f.code))];
  const ruleIds = [...new Set([...RULES.map((r) => r.id), ...codes])];
  const level = (s: Finding['severity']) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: {
        name: 'buildout-freeze', version, semanticVersion: version,
        rules: ruleIds.map((id) => ({ id, shortDescription: { text: RULES.find((r) => r.id === id)?.description ?? id } })),
      } },
      columnKind: 'utf16CodeUnits',
      originalUriBaseIds: { SRCROOT: { uri: 'file://' + cwd.replace(/\/?$/, '/') } },
      results: findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: ruleIds.indexOf(f.code),
        level: level(f.severity),
        message: { text: f.message },
        locations: [{ physicalLocation: {
          artifactLocation: { uri: rel(f.file, cwd).split(path.sep).join('/'), uriBaseId: 'SRCROOT' },
          region: { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 },
        } }],
        properties: { profile: rel(f.profile, cwd) },
      })),
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code));
}
