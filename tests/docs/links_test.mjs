// docs.links: every relative link of the project's Markdown leads somewhere that exists.
//
//     node tests/docs/links_test.mjs SOURCE_DIR
//
// Checked: README.md, docs/**/*.md, rules/**/*.md, npm/*/README.md, editors/**/README.md (not
// node_modules). A link `[text](target)` or `[text]: target` whose target has no scheme must name
// a file or directory of the repository (relative to the Markdown file); `#anchor` in it (or
// alone, for the same file) must be a heading of that Markdown file, slugged as GitHub does
// (lower case, punctuation dropped, spaces to `-`, `-1`, `-2`... for repeats). Addresses with a
// scheme (https:, mailto:) are not fetched: the suite runs offline.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] || '.');
const files = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.md')) files.push(p);
  }
};
if (fs.existsSync(path.join(root, 'README.md'))) files.push(path.join(root, 'README.md'));
for (const d of ['docs', 'rules', 'npm', 'editors'])
  if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));

const slugs = new Map(); // file -> Set of heading anchors
const anchorsOf = (file) => {
  if (slugs.has(file)) return slugs.get(file);
  const seen = new Map();
  const set = new Set();
  let fence = null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.match(/^\s*(```+|~~~+)/);
    if (f) { fence = fence === null ? f[1][0] : (fence === f[1][0] ? null : fence); continue; }
    if (fence !== null) continue;
    const h = line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
    if (!h) continue;
    let s = h[1].toLowerCase().replace(/<[^>]+>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(s) || 0;
    seen.set(s, n + 1);
    set.add(n ? `${s}-${n}` : s);
  }
  slugs.set(file, set);
  return set;
};

let failures = 0, checked = 0;
for (const file of files) {
  const rel = path.relative(root, file);
  let fence = null;
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const f = line.match(/^\s*(```+|~~~+)/);
    if (f) { fence = fence === null ? f[1][0] : (fence === f[1][0] ? null : fence); return; }
    if (fence !== null) return;
    const code = line.replace(/`[^`]*`/g, ''); // links inside inline code are not links
    const targets = [...code.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
    const def = code.match(/^\s*\[[^\]]+\]:\s*(\S+)/);
    if (def) targets.push(def[1]);
    for (const t of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(t)) continue; // https:, mailto:...
      checked++;
      const [p, anchor] = t.split('#');
      const dest = p ? path.resolve(path.dirname(file), decodeURIComponent(p)) : file;
      let why = null;
      if (!dest.startsWith(root)) why = 'leads outside the repository';
      else if (!fs.existsSync(dest)) why = 'no such file';
      else if (anchor && dest.endsWith('.md') && !anchorsOf(dest).has(anchor.toLowerCase()))
        why = `no heading '#${anchor}' in ${path.relative(root, dest)}`;
      if (why) {
        failures++;
        console.log(`not ok - ${rel}:${i + 1}: (${t}): ${why}`);
      }
    }
  });
}
console.log(`# ${files.length} Markdown files, ${checked} relative links checked, ${failures} broken`);
if (!checked) { console.log('not ok - no link found: the test reads nothing'); process.exit(1); }
process.exit(failures ? 1 : 0);
