import { Workspace } from '../../server/src/workspace/workspace';
import { NodeHost } from '../../server/src/host/node-host';
import { DEFAULT_TARGET } from '../../server/src/model/target';
(async () => {
  const ws = new Workspace(new NodeHost());
  const t0 = Date.now();
  const root = process.argv[2];
  const cfg = await ws.effectiveConfig(root, { ...DEFAULT_TARGET, python: [2, 7] });
  console.log('files', cfg.files.length, 'ms', Date.now() - t0, 'problems', cfg.problems.length);
  for (const p of cfg.problems.slice(0, 10)) console.log(p.code, p.file, p.message);
  console.log('parts:', cfg.get('buildout', 'parts'));
  console.log('versions section:', cfg.versionsSectionName(), cfg.section(cfg.versionsSectionName())?.size);
  const t1 = Date.now();
  const cfg2 = await ws.effectiveConfig(root, { ...DEFAULT_TARGET, python: [2, 7] });
  console.log('warm ms', Date.now() - t1, cfg2 === cfg);
})();
