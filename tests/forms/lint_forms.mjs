// Checks Camunda Forms the way the ecosystem does: form-js's JSON schema (ajv, draft-07) and
// @camunda/form-linting (the Camunda Modeler's form linter) for one Camunda 7 version.
//
//   node tests/forms/lint_forms.mjs --platform-version 7.22.0 forms/*.form
//
// The version is the one the diagrams declare (modeler:executionPlatformVersion); the caller
// (tests/forms/test_form_lint.py) reads it from bpmn/ and passes it, and every form is linted
// as if it declared "Camunda Platform" at that version — so a form that declares another
// version, or none (the linter then checks nothing), still gets the diagrams' rules.
// Prints one JSON object per problem on stdout ({file, component, check, severity, message})
// and exits 1 when any is an error or a warning; 2 on a usage error.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

// @camunda/form-linting is published as untranspiled ES modules with extension-less relative
// imports and no "type": "module" (the Modeler bundles it). These hooks let plain Node load it:
// relative imports inside the package get ".js", and its files are read as ES modules.
const hooks = `
const PACKAGE = '/node_modules/@camunda/form-linting/';
export async function resolve(specifier, context, next) {
  const inPackage = context.parentURL && context.parentURL.includes(PACKAGE);
  if (inPackage && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    return next(specifier + '.js', context);
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.includes(PACKAGE) && url.endsWith('.js')) {
    return next(url, { ...context, format: 'module' });
  }
  return next(url, context);
}
`;
register('data:text/javascript,' + encodeURIComponent(hooks), import.meta.url);

function usage(message) {
  process.stderr.write(`${message}\nusage: node tests/forms/lint_forms.mjs --platform-version 7.22.0 FILE.form...\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const at = args.indexOf('--platform-version');
if (at < 0 || !args[at + 1]) usage('--platform-version is required');
const platformVersion = args[at + 1];
const files = args.filter((_, i) => i !== at && i !== at + 1);
if (!files.length) usage('no form given');

const { FormLinter } = await import(pathToFileURL(join(root, 'node_modules/@camunda/form-linting/index.js')).href);
const { default: Ajv } = await import('ajv');

const schema = JSON.parse(readFileSync(join(here, 'form-json-schema.json'), 'utf8'));
// The schema names draft-07 without the trailing '#' ajv registers it under; ajv's strict mode
// also refuses the schema's nested "$schema" and "$id" keywords, which are valid draft-07.
delete schema.$schema;
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
const validate = ajv.compile(schema);

// The component a JSON pointer (/components/3/validate/pattern) lands in: its id, else its key.
function componentAt(form, pointer) {
  let node = form;
  let found = null;
  const parts = pointer.split('/').slice(1);
  for (let i = 0; i < parts.length && node != null; i++) {
    node = node[parts[i]];
    if (parts[i - 1] === 'components' && node && typeof node === 'object') found = node;
  }
  return found ? (found.id || found.key || null) : null;
}

// if/then schemas fail twice: once on the property ("must NOT be valid" under "then"), once on
// the "if" that chose it. The first says which property; the "if" line adds nothing.
function describe(error) {
  const property = error.params && error.params.additionalProperty;
  if (error.keyword === 'false schema') return `property "${error.instancePath.split('/').pop()}" is not allowed here`;
  if (property) return `property "${property}" is not allowed`;
  return `${error.instancePath || '/'} ${error.message}`;
}

const linter = new FormLinter();
let failed = false;
for (const file of files) {
  const report = (problem) => {
    if (problem.severity !== 'info') failed = true;
    process.stdout.write(JSON.stringify({ file, ...problem }) + '\n');
  };
  let form;
  try {
    form = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    report({ component: null, check: 'json', severity: 'error', message: String(error.message) });
    continue;
  }
  if (!validate(form)) {
    for (const error of validate.errors) {
      if (error.keyword === 'if') continue;
      report({ component: componentAt(form, error.instancePath), check: 'form-json-schema', severity: 'error', message: describe(error) });
    }
  }
  const target = { ...form, executionPlatform: 'Camunda Platform', executionPlatformVersion: platformVersion };
  for (const problem of linter.lint(target)) {
    report({
      component: problem.id || null,
      check: 'form-linting',
      severity: problem.category === 'warn' ? 'warning' : problem.category,
      message: problem.message,
    });
  }
}
process.exit(failed ? 1 : 0);
