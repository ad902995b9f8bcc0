// The house's function size rule for the JavaScript of py/ and web/: every function (declarations,
// expressions, arrows, methods) at most LIMIT lines, counted from its first line to its last.
//
//   node .ci/house_sizes.mjs [LIMIT]        (run by .ci/house_sizes.py)
//
// Each .js/.mjs file under py/ and web/ (node_modules/ left out) is parsed by acorn as an ES module
// (sourceType "module"); a file that does not parse as a module yet is parsed as a classic
// script, and said so on stderr. A classic script's namespace wrapper (a function called at once
// at the file's top level, `const Name = (() => { … })();`) is the file's scope, not a function:
// the file limit applies to it (counted by .ci/house_sizes.py); it goes away with ES modules. acorn and acorn-walk come from web/node_modules (pinned by
// web/package-lock.json, installed by .ci/setup), or from HOUSE_NODE_MODULES when set.
// Prints one line per offender; exits 0 (none), 1 (offenders) or 2 (cannot check).
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const LIMIT = Number(process.argv[2] || 80);
const modules = process.env.HOUSE_NODE_MODULES || join(ROOT, "web", "node_modules");

let acorn, walk;
try {
  const require = createRequire(join(modules, "house_sizes.cjs"));
  acorn = require("acorn");
  walk = require("acorn-walk");
} catch (e) {
  process.stderr.write(`acorn is missing from ${modules} (run .ci/setup): ${e.message.split("\n")[0]}\n`);
  process.exit(2);
}

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.m?js$/.test(entry.name)) yield path;
  }
}

function parse(path) {
  const text = readFileSync(path, "utf8");
  const options = { ecmaVersion: "latest", locations: true };
  try {
    return acorn.parse(text, { ...options, sourceType: "module" });
  } catch (e) {
    const tree = acorn.parse(text, { ...options, sourceType: "script" });
    process.stderr.write(`${relative(ROOT, path)}: not an ES module yet (${e.message}); ` +
      "checked as a classic script\n");
    return tree;
  }
}

/** A readable name: the function's own, or what holds it (variable, property, method). */
function nameOf(node, ancestors) {
  if (node.id) return node.id.name;
  const parent = ancestors[ancestors.length - 2];
  if (!parent) return "(anonymous)";
  const key = parent.key || (parent.type === "VariableDeclarator" ? parent.id : null);
  if (key && (key.name || key.value)) return key.name || String(key.value);
  if (parent.type === "AssignmentExpression" && parent.left.property) {
    return parent.left.property.name || "(anonymous)";
  }
  return "(anonymous)";
}

/** Whether `node` is called at once at the top level of the file (a classic namespace). */
function isNamespaceWrapper(node, ancestors) {
  const call = ancestors[ancestors.length - 2];
  if (!call || call.type !== "CallExpression" || call.callee !== node) return false;
  const TOP = new Set(["Program", "ExpressionStatement", "VariableDeclaration", "VariableDeclarator"]);
  return ancestors.slice(0, -2).every((a) => TOP.has(a.type));
}

const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
let offenders = 0;
let files = 0;
let wrappers = 0;
const paths = ["py", "web"].flatMap((area) => [...sources(join(ROOT, area))]);
for (const path of paths) {
  let tree;
  try {
    tree = parse(path);
  } catch (e) {
    process.stderr.write(`${relative(ROOT, path)}: does not parse: ${e.message}\n`);
    process.exit(2);
  }
  files += 1;
  walk.fullAncestor(tree, (node, _state, ancestors) => {
    if (!FUNCTIONS.has(node.type)) return;
    if (isNamespaceWrapper(node, ancestors)) {
      wrappers += 1;
      return;
    }
    const lines = node.loc.end.line - node.loc.start.line + 1;
    if (lines <= LIMIT) return;
    offenders += 1;
    console.log(`${relative(ROOT, path)}:${node.loc.start.line}: function ` +
      `${nameOf(node, ancestors)} is ${lines} lines (function limit ${LIMIT})`);
  });
}
process.stderr.write(`house_sizes.mjs: ${files} JS files parsed (${wrappers} classic namespace ` +
  `wrappers not counted as functions), ${offenders} function(s) over ${LIMIT} lines\n`);
process.exit(offenders ? 1 : 0);
