#!/usr/bin/env bash
# boot-time-layer across files through the CLI: the finding at the sink with its
# related locations (and SARIF codeFlows steps) in the files where the layer acquires
# I/O and is composed, whether the scan names those files or reads them as context,
# byte-identical whatever --jobs, and the negative projects quiet.
# Usage: xlayer_test.sh ISOLINT SOURCE_DIR
. "$(dirname "$0")/../cli/lib.sh"
t_init xlayer "$@"
CWD=$SRC/fixtures/ts-projects

# --- SARIF: related locations and codeFlows steps carry their own file --------------------
il scan --no-config --format sarif --jobs 1 layer-composed-in-other-file
rc_is "composed across files: findings exit 1" 1
cp "$OUT" "$T/c1.sarif"
js "SARIF: one boot-time-layer result, at the sink in worker.ts" "$T/c1.sarif" \
  'j.runs[0].results.length === 1 && j.runs[0].results[0].ruleId === "boot-time-layer" && j.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri === "layer-composed-in-other-file/worker.ts"'
js "SARIF: related locations in lib/db.ts (the leaf) and lib/app.ts (the composition)" "$T/c1.sarif" \
  '((r) => r[0].physicalLocation.artifactLocation.uri === "layer-composed-in-other-file/lib/db.ts" && r[0].physicalLocation.region.startLine === 8 && r.some(l => l.physicalLocation.artifactLocation.uri === "layer-composed-in-other-file/lib/app.ts" && l.physicalLocation.region.startLine === 7))(j.runs[0].results[0].relatedLocations)'
js "SARIF: the threadFlow starts in lib/db.ts and ends at the sink in worker.ts" "$T/c1.sarif" \
  '((s) => s[0].location.physicalLocation.artifactLocation.uri === "layer-composed-in-other-file/lib/db.ts" && s[s.length - 1].location.physicalLocation.artifactLocation.uri === "layer-composed-in-other-file/worker.ts" && s.some(x => x.location.physicalLocation.artifactLocation.uri.endsWith("lib/app.ts")))(j.runs[0].results[0].codeFlows[0].threadFlows[0].locations)'
sarif_ok "multitool validates the cross-file layer SARIF" "$T/c1.sarif"
il scan --no-config --format sarif --jobs 4 layer-composed-in-other-file
check "--jobs 1 and --jobs 4 give byte-identical SARIF" cmp -s "$T/c1.sarif" "$OUT"

# --- only the worker named: the layer's files are read as context ---------------------------
il scan --no-config --format json layer-across-files/worker.ts
rc_is "worker.ts alone: findings exit 1" 1
js "JSON: the finding is in worker.ts, related to lib/db.ts line 8" "$OUT" \
  'j.results.length === 1 && j.results[0].path === "layer-across-files/worker.ts" && j.results[0].related[0].path === "layer-across-files/lib/db.ts" && j.results[0].related[0].start.line === 8'
il scan --no-config --format text layer-via-index-reexport/worker.ts
out_has "text: the note names the leaf in lib/db.ts" "acquires I/O here at layer-via-index-reexport/lib/db.ts:8:"

# --- an in-memory worker resolves its layer against lib/db.ts on disk -----------------------
il_in "$CWD/layer-across-files/worker.ts" scan --no-config --stdin-filename layer-across-files/worker.ts
rc_is "stdin worker.ts: findings exit 1" 1
out_has "stdin worker.ts: the layer in lib/db.ts on disk is followed" "acquires I/O here at layer-across-files/lib/db.ts:8:"
# the text on stdin wins: a worker that builds the layer per request is clean
printf 'import { ManagedRuntime } from "effect";\nimport { DbLive } from "./lib/db";\nexport default { async fetch() { const rt = ManagedRuntime.make(DbLive); return rt; } };\n' >"$T/per-request.ts"
il_in "$T/per-request.ts" scan --no-config --stdin-filename layer-across-files/worker.ts
rc_is "stdin per-request worker.ts: clean" 0
out_lacks "stdin per-request worker.ts: no boot-time-layer" "boot-time-layer"

# --- members: a static field of an imported class, a namespace import --------------------
il scan --no-config --format json layer-static-field-other-file layer-service-class-namespace-import
rc_is "member layers: findings exit 1" 1
js "JSON: DbService.Live of an imported class, related to its field in lib/db.ts" "$OUT" \
  'j.results.some(r => r.ruleId === "boot-time-layer" && r.path === "layer-static-field-other-file/worker.ts" && r.related[0].path === "layer-static-field-other-file/lib/db.ts" && r.related[0].start.line === 6)'
js "JSON: Services.InfraLive and Db.Default, both related to the service class" "$OUT" \
  'j.results.filter(r => r.ruleId === "boot-time-layer" && r.path === "layer-service-class-namespace-import/main.ts" && r.related[0].path === "layer-service-class-namespace-import/services/db.ts").length === 2'

# --- the file defining the layer alone: nothing builds it --------------------------------
il scan --no-config --format json layer-across-files/lib/db.ts
rc_is "lib/db.ts alone: no findings" 0

# --- negatives ----------------------------------------------------------------------------
for p in neg-layer-without-io-other-file neg-layer-per-request-middleware neg-imported-not-a-layer \
  neg-type-only-layer-import neg-runtime-in-handler-other-file neg-layer-import-cycle; do
  il scan --no-config --format json "$p"
  js "$p: no boot-time-layer finding" "$OUT" '!j.results.some(r => r.ruleId === "boot-time-layer")'
done

t_done
