// A real Camunda 7 external-task worker (the npm package camunda-external-task-client-js, pinned in
// package.json) against Otklik's /engine-rest on loopback (issue 17 §1): it subscribes to TOPIC,
// takes one task, completes it with typed variables (or reports a BPMN error with ERROR_CODE), stops,
// and prints what it saw as one JSON line. Driven by tests/web/test_external_task_clients.py.
import { BasicAuthInterceptor, Client, Variables } from "camunda-external-task-client-js";

const { ENDPOINT, USERNAME, PASSWORD, TOPIC, ERROR_CODE } = process.env;
const result = { errors: [] };

const client = new Client({
  baseUrl: ENDPOINT,
  workerId: "js-worker",
  maxTasks: 1,
  interval: 100,
  lockDuration: 20000,
  asyncResponseTimeout: 1000,
  interceptors: new BasicAuthInterceptor({ username: USERNAME, password: PASSWORD }),
});

function finish(code) {
  client.stop();
  clearTimeout(timer);
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(code);
}

const timer = setTimeout(() => {
  result.errors.push("no task within 30 s");
  finish(1);
}, 30000);

for (const event of ["poll:error", "complete:error", "handleBpmnError:error"]) {
  client.on(event, (...args) => {
    const error = args[args.length - 1];
    result.errors.push(`${event}: ${error && error.message ? error.message : String(error)}`);
    if (event !== "poll:error") finish(1);
  });
}

client.subscribe(TOPIC, async ({ task, taskService }) => {
  result.task = {
    id: task.id,
    topicName: task.topicName,
    activityId: task.activityId,
    businessKey: task.businessKey,
    category: task.variables.get("category"),
  };
  const variables = new Variables().set("registry_number", "JS-17").set("checked_by_js", true).set("pages", 3);
  if (ERROR_CODE) {
    await taskService.handleBpmnError(task, ERROR_CODE, "not a threat", variables);
  } else {
    await taskService.complete(task, variables);
  }
  result.done = true;
  finish(0);
});
