// What Camunda Modeler's Camunda 7 deployment tool sends, with Node's own fetch and FormData
// (Node 18+): the connection check, the version, then the deployment — three fields and one part
// per file, named by the file, the diagram as text/xml — and, when asked, "start instance".
// Written from the Modeler's CamundaAPI.js (camunda/camunda-modeler), not copied from it.
//
// Settings (environment): ENDPOINT (…/engine-rest), AUTH_TYPE (basic | bearer), USERNAME and
// PASSWORD, or TOKEN; DIAGRAM (a .bpmn path), ATTACHMENTS (.form paths, comma-separated),
// DEPLOYMENT_NAME; START_VARIABLES (JSON, optional: start the deployed definition with them).
// Prints one JSON object on stdout; exits 1 when the server refused.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

const env = process.env;
const base = env.ENDPOINT.replace(/\/deployment\/create\/?/, '');

function headers() {
  const result = { accept: 'application/json' };
  if (env.AUTH_TYPE === 'bearer') {
    result.authorization = `Bearer ${env.TOKEN}`;
  } else if (env.AUTH_TYPE === 'basic') {
    result.authorization = 'Basic ' + Buffer.from(`${env.USERNAME}:${env.PASSWORD}`).toString('base64');
  }
  return result;
}

async function call(path, options = {}) {
  const response = await fetch(base + path, {
    ...options,
    headers: { ...options.headers, ...headers() },
    signal: AbortSignal.timeout(20000)
  });
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    body = { notJson: true };
  }
  return { status: response.status, ok: response.ok, body };
}

async function main() {
  const connection = await call('/deployment?maxResults=0');
  const version = await call('/version');
  if (!connection.ok || !version.ok) {
    return { step: 'connection', connection, version };
  }

  const form = new FormData();
  form.append('deployment-name', env.DEPLOYMENT_NAME || 'diagram');
  form.append('deployment-source', 'Camunda Modeler');
  form.append('enable-duplicate-filtering', 'true');
  if (env.TENANT_ID) {
    form.append('tenant-id', env.TENANT_ID);
  }
  const diagramName = basename(env.DIAGRAM);
  form.append(diagramName, new Blob([ await readFile(env.DIAGRAM, 'utf8') ], { type: 'text/xml' }), diagramName);
  for (const path of (env.ATTACHMENTS || '').split(',').filter(Boolean)) {
    form.append(basename(path), new Blob([ await readFile(path, 'utf8') ]), basename(path));
  }
  const deployment = await call('/deployment/create', { method: 'POST', body: form });
  const result = { step: 'deploy', version: version.body.version, deployment };
  if (!deployment.ok || !env.START_VARIABLES) {
    return result;
  }

  const definition = Object.values(deployment.body.deployedProcessDefinitions || {})[0];
  result.start = await call(`/process-definition/${definition.id}/start`, {
    method: 'POST',
    body: JSON.stringify({ businessKey: env.BUSINESS_KEY, variables: JSON.parse(env.START_VARIABLES) }),
    headers: { 'content-type': 'application/json' }
  });
  return result;
}

const result = await main();
process.stdout.write(JSON.stringify(result) + '\n');
const refused = result.step === 'connection' || !result.deployment.ok || (result.start && !result.start.ok);
process.exit(refused ? 1 : 0);
