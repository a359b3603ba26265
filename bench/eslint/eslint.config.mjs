// ESLint 9 flat config for the benchmark: the five isolint patterns as `no-restricted-syntax`
// selectors (the same candidates as bench/ast-grep/rules/), every file parsed by
// @typescript-eslint/parser. Run by bench/run.sh from bench/.work with
// `eslint --no-config-lookup -c <this file> corpus`; the parser is resolved from the current
// directory's node_modules (bench/.work), where run.sh installs the pinned version.
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "eslint-bench.js"));
const parser = require("@typescript-eslint/parser");

const CLIENTS = "/^(PrismaClient|Pool|Client|MongoClient|Redis|Cluster|Kysely)$/";
const FACTORIES = "/^(postgres|drizzle|createPool|createPoolCluster|createConnection|createClient|neon)$/";
const GLOBALS = "/^(globalThis|global|self|window)$/";
const newClient = `NewExpression:matches([callee.name=${CLIENTS}], [callee.property.name=${CLIENTS}])`;
const callFactory = `CallExpression:matches([callee.name=${FACTORIES}], [callee.property.name=${FACTORIES}])`;
const outside = (sel) => `${sel}:not(:function ${sel.split(":")[0]})`;

const selectors = [
  // module-scope-client
  { selector: outside(newClient), message: "module-scope-client" },
  { selector: outside(callFactory), message: "module-scope-client (call)" },
  // lazy-singleton-client: an assignment of a client to a plain name inside a function
  {
    selector: `:function AssignmentExpression[left.type="Identifier"]:matches([right.type="NewExpression"][right.callee.name=${CLIENTS}], [right.type="CallExpression"][right.callee.name=${FACTORIES}])`,
    message: "lazy-singleton-client",
  },
  // global-object-cache: a client stored on globalThis / global / self / window (also `x ?? new C()`)
  {
    selector: `AssignmentExpression[left.type="MemberExpression"]:matches([left.object.name=${GLOBALS}], [left.object.expression.name=${GLOBALS}]):matches(${[
      "right", "right.right"].flatMap((v) => [`[${v}.callee.name=${CLIENTS}]`, `[${v}.callee.property.name=${CLIENTS}]`,
                                              `[${v}.callee.name=${FACTORIES}]`, `[${v}.callee.property.name=${FACTORIES}]`]).join(", ")})`,
    message: "global-object-cache",
  },
  // global-scope-io: I/O, timers, random values outside any function
  {
    selector: outside(
      `CallExpression:matches([callee.name=/^(fetch|setTimeout|setInterval)$/], [callee.object.name="crypto"][callee.property.name=/^(randomUUID|getRandomValues)$/])`,
    ),
    message: "global-scope-io",
  },
];

export default [
  {
    files: ["**/*.ts", "**/*.mts", "**/*.cts", "**/*.tsx", "**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"],
    languageOptions: { parser, ecmaVersion: "latest", sourceType: "module" },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: { "no-restricted-syntax": ["error", ...selectors] },
  },
];
