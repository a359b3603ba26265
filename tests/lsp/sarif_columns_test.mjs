// The VS Code SARIF Viewer contract (INTEGRATION.md section 3): the viewer feeds
// SARIF startLine/startColumn/endLine/endColumn straight into VS Code positions,
// which count UTF-16 code units in the decoded document (BOM dropped, lines
// ending at \n or \r\n). For every result and related location, the text picked
// that way from the SARIF region must equal the text picked with the byte offsets
// of `--format json` from the raw file bytes.
// Usage: node sarif_columns_test.mjs ISOLINT_BINARY SOURCE_DIR
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { BIN, ENV, lines, offsetAt, SRC, tempDir } from './lib.mjs';

const dir = tempDir('sarif-columns');
const unicode = readFileSync(join(SRC, 'tests', 'lsp', 'fixtures', 'unicode.ts'), 'utf8');
writeFileSync(join(dir, 'unicode.ts'), unicode);
writeFileSync(join(dir, 'unicode-crlf.ts'), unicode.replace(/\n/g, '\r\n'));
// a byte-order mark, and a finding on line 1 after non-ASCII text
writeFileSync(
  join(dir, 'unicode-bom.ts'),
  '\ufeffimport { Pool as P1 } from "pg"; /* 🚀 */ export const p1 = new P1();\n' + unicode,
);
cpSync(join(SRC, 'fixtures', 'ts'), join(dir, 'fixtures'), { recursive: true });

function scan(format) {
  const out = execFileSync(BIN, ['scan', '--format', format, '--exit-zero', '.'], { cwd: dir, env: ENV, maxBuffer: 1 << 28 });
  return JSON.parse(out.toString('utf8'));
}

// What VS Code shows for a SARIF region: the decoded document, UTF-16 positions.
const docs = new Map();
function viewerText(uri, region) {
  const path = decodeURIComponent(uri);
  if (!docs.has(path)) docs.set(path, new TextDecoder('utf-8').decode(readFileSync(join(dir, path))));
  const text = docs.get(path);
  const at = (line, col) => offsetAt(text, { line: line - 1, character: col - 1 }, 'utf-16');
  return text.slice(at(region.startLine, region.startColumn), at(region.endLine ?? region.startLine, region.endColumn));
}

// What the JSON report's byte offsets pick from the file's bytes.
function byteText(path, loc) {
  return readFileSync(join(dir, path)).subarray(loc.start.byte, loc.end.byte).toString('utf8');
}

test('SARIF UTF-16 regions and JSON byte offsets pick the same text', () => {
  const sarif = scan('sarif');
  const json = scan('json');
  assert.equal(sarif.runs[0].columnKind, 'utf16CodeUnits');
  const results = sarif.runs[0].results;
  assert.equal(results.length, json.results.length);
  assert.ok(results.length >= 12, `only ${results.length} results`);
  let nonAscii = 0;
  let compared = 0;
  results.forEach((r, i) => {
    const j = json.results[i];
    const loc = r.locations[0].physicalLocation;
    assert.equal(r.ruleId, j.ruleId);
    assert.equal(decodeURIComponent(loc.artifactLocation.uri), j.path);
    const pairs = [[loc, j]];
    (r.relatedLocations || []).forEach((rl, k) => pairs.push([rl.physicalLocation, j.related[k]]));
    assert.equal(pairs.length, 1 + (j.related || []).length);
    for (const [p, jl] of pairs) {
      const shown = viewerText(p.artifactLocation.uri, p.region);
      const picked = byteText(jl.path, jl);
      assert.ok(picked.length > 0, `${j.path}:${jl.start.line}: empty region`);
      assert.equal(shown, picked, `${j.path}:${jl.start.line}:${jl.start.column} (${r.ruleId})`);
      compared++;
      // regions after non-ASCII text on their line: where byte and UTF-16 columns part
      const line = lines(docs.get(decodeURIComponent(p.artifactLocation.uri)))[p.region.startLine - 1];
      const before = line.slice(0, p.region.startColumn - 1);
      if (/[^\x00-\x7f]/.test(before)) {
        nonAscii++;
        const byteCol = Buffer.byteLength(before);
        assert.notEqual(byteCol, p.region.startColumn - 1);
        // a viewer (or writer) using byte columns would show other text: the check can fail
        assert.notEqual(line.slice(byteCol, byteCol + picked.length), picked);
      }
    }
  });
  // three copies of the fixture (LF, CRLF, BOM) with results after emoji and CJK text
  assert.ok(nonAscii >= 12, `only ${nonAscii} regions after non-ASCII text`);
  console.log(`# ${results.length} results, ${compared} regions compared, ${nonAscii} after non-ASCII text`);
  assert.ok(compared > results.length);
});

test('the BOM file: line 1 columns do not count the byte-order mark', () => {
  const sarif = scan('sarif');
  const r = sarif.runs[0].results.find((x) => x.locations[0].physicalLocation.artifactLocation.uri === 'unicode-bom.ts');
  assert.ok(r, 'no result in unicode-bom.ts');
  const region = r.locations[0].physicalLocation.region;
  assert.equal(region.startLine, 1);
  assert.equal(viewerText('unicode-bom.ts', region), 'new P1');
});
