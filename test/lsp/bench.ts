// Measures the real server over stdio on the SlapOS corpus (not a test: run `node out/test/lsp/bench.js`):
// process start to initialized, open-to-first-diagnostics for software/erp5/software.cfg (cold), then
// one-character edits to their publication (warm, spaced so each is the first after a quiet spell), and
// how many publications a burst of 10 edits 20 ms apart gives.

import * as fs from 'fs';
import * as path from 'path';
import { TestClient } from './client';

const CORPUS = process.env.BF_CORPUS ?? '/work/shared/corpus/slapos';
const ROOT = path.join(CORPUS, 'software/erp5/software.cfg');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  const edits = Number(process.argv[2] ?? 40);
  const text = fs.readFileSync(ROOT, 'utf8');

  // After start: the server has indexed the folder (parsing the roots' chains in the background).
  const indexed = await TestClient.start({ folders: [CORPUS] });
  await indexed.waitFor('the root index', () => indexed.logs.some((l) => /root profiles/.test(l)), 60000);
  const indexReady = performance.now() - indexed.startedAt;
  const openedAt = performance.now();
  await indexed.open(ROOT, text);
  const afterIndex = (await indexed.diagnostics(ROOT, (d, p) => p.version === 1, 0, 30000)).at - openedAt;
  await indexed.stop();

  const client = await TestClient.start({ folders: [CORPUS] });
  const initialized = client.initializedAt - client.startedAt;
  const openAt = performance.now();
  await client.open(ROOT, text);
  const first = await client.diagnostics(ROOT, (d, p) => p.version === 1, 0, 30000);
  const cold = first.at - openAt;
  const startToFirst = first.at - client.startedAt;
  // Let the background root index finish before measuring warm edits.
  await client.waitFor('the root index', () => client.logs.some((l) => /root profiles/.test(l)), 30000);
  await sleep(300);

  const latencies: number[] = [];
  let current = text;
  for (let i = 0; i < edits; i++) {
    current = current.replace(/\n$/, '') + (i % 2 ? '\n' : '\n#');
    const before = client.publications.length;
    const sent = performance.now();
    const v = await client.change(ROOT, current);
    const p = await client.diagnostics(ROOT, (d, p) => p.version === v, before, 30000);
    latencies.push(p.at - sent);
    await sleep(120);
  }

  const burstStart = client.publications.length;
  let last = 0;
  for (let i = 0; i < 10; i++) {
    current += 'x';
    last = await client.change(ROOT, current);
    await sleep(20);
  }
  await client.diagnostics(ROOT, (d, p) => p.version === last, burstStart, 30000);
  await sleep(200);
  const burst = client.publicationsFor(ROOT).filter((p) => client.publications.indexOf(p) >= burstStart).map((p) => p.version);

  console.log(JSON.stringify({
    serverStartToInitialized: ms(initialized),
    openToFirstDiagnosticsCold: ms(cold),
    serverStartToFirstDiagnostics: ms(startToFirst),
    rootIndexReadyAfterStart: ms(indexReady),
    openToFirstDiagnosticsAfterIndex: ms(afterIndex),
    findings: first.diagnostics.length,
    editToDiagnostics: { n: latencies.length, p50: ms(pct(latencies, 50)), p95: ms(pct(latencies, 95)), max: ms(Math.max(...latencies)) },
    burstOf10At20ms: { publications: burst.length, versions: burst },
  }, null, 2));
  await client.stop();
}

main().catch((e) => { console.error(e); process.exit(1); });
