// Validates JSON files against a JSON Schema (draft-07), for tests/config/config_test.sh:
//
//     node schema_check.js SCHEMA FILE...
//
// Prints `FILE: ok` or `FILE: invalid: WHERE: WHY` per file; exits 0 when every file is
// valid, 1 when one is not, 2 on a usage error, an unreadable file, or a schema using a
// keyword this checker does not implement (so a schema can never pass by being misread).
//
// It implements the subset of draft-07 that docs/isolint.schema.json uses: type, enum,
// properties, additionalProperties (boolean or schema), required, items (one schema),
// minItems, minLength, pattern, $ref to "#/definitions/NAME", and the annotations (title,
// description, default, $id, $schema, $comment, examples).
'use strict';
const fs = require('fs');

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  console.error('usage: node schema_check.js SCHEMA FILE...');
  process.exit(2);
}

function load(path) {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (e) {
    console.error(`${path}: ${e.message}`);
    process.exit(2);
  }
}

const root = load(schemaPath);
const annotations = new Set(['title', 'description', 'default', '$id', '$schema', '$comment',
  'examples', 'definitions']);
const keywords = new Set(['type', 'enum', 'properties', 'additionalProperties', 'required',
  'items', 'minItems', 'minLength', 'pattern', '$ref']);

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v; // string, number, boolean, object
}

function resolve(ref) {
  const m = /^#\/definitions\/([^/]+)$/.exec(ref);
  if (!m || !root.definitions || !(m[1] in root.definitions)) {
    console.error(`${schemaPath}: unsupported or dangling $ref ${ref}`);
    process.exit(2);
  }
  return root.definitions[m[1]];
}

// Returns the first error as "WHERE: WHY", or null.
function check(schema, v, where) {
  if (typeof schema === 'boolean') return schema ? null : `${where}: not allowed`;
  for (const k of Object.keys(schema)) {
    if (!keywords.has(k) && !annotations.has(k)) {
      console.error(`${schemaPath}: keyword '${k}' is not implemented by this checker`);
      process.exit(2);
    }
  }
  if (schema.$ref) return check(resolve(schema.$ref), v, where);
  const t = typeOf(v);
  if (schema.type) {
    const ok = schema.type === t || (schema.type === 'number' && t === 'integer');
    if (!ok) return `${where}: must be of type ${schema.type}, not ${t}`;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
    return `${where}: must be one of ${JSON.stringify(schema.enum)}`;
  if (t === 'string' && schema.minLength !== undefined && [...v].length < schema.minLength)
    return `${where}: shorter than ${schema.minLength}`;
  if (t === 'string' && schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(v))
    return `${where}: does not match ${schema.pattern}`;
  if (t === 'array') {
    if (schema.minItems !== undefined && v.length < schema.minItems)
      return `${where}: fewer than ${schema.minItems} items`;
    if (schema.items) {
      for (let i = 0; i < v.length; i++) {
        const e = check(schema.items, v[i], `${where}[${i}]`);
        if (e) return e;
      }
    }
  }
  if (t === 'object') {
    for (const r of schema.required || [])
      if (!(r in v)) return `${where}: lacks required "${r}"`;
    const props = schema.properties || {};
    for (const [k, val] of Object.entries(v)) {
      const sub = k in props ? props[k] : schema.additionalProperties;
      if (sub === undefined) continue;
      if (sub === false && !(k in props)) return `${where}: unknown key "${k}"`;
      const e = check(sub, val, `${where}.${k}`);
      if (e) return e;
    }
  }
  return null;
}

let bad = 0;
for (const f of files) {
  const e = check(root, load(f), '$');
  if (e) {
    console.log(`${f}: invalid: ${e}`);
    bad++;
  } else {
    console.log(`${f}: ok`);
  }
}
process.exit(bad ? 1 : 0);
