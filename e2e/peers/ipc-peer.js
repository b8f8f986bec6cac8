// A Greengrass component's side of IPC, written against the unmodified aws-iot-device-sdk-v2 client.
// The tests run it as a real process with the environment a component gets
// (AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT, SVCUID) and read one JSON object per stdout line.
'use strict';
const { greengrasscoreipc } = require('aws-iot-device-sdk-v2');

const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const describe = (err) => ({
  error: (err && err.serviceError && err.serviceError._errorCode) || 'Error',
  serviceError: err && err.serviceError ? err.serviceError : null,
  message: err && (err.description || err.message),
});

async function connect() {
  const client = greengrasscoreipc.createClient();
  await client.connect();
  return client;
}

// A one-shot signal: fire() may come before or after wait(), so an event that arrives early is not lost.
function signal() {
  let fire;
  const fired = new Promise((resolve) => { fire = resolve; });
  return { fire, wait: () => fired };
}

function describeMessage(msg) {
  if (msg.jsonMessage) {
    return { topic: msg.jsonMessage.context && msg.jsonMessage.context.topic, json: msg.jsonMessage.message };
  }
  const bytes = Buffer.from(msg.binaryMessage.message);
  return { topic: msg.binaryMessage.context && msg.binaryMessage.context.topic, binary: bytes.toString('base64') };
}

const commands = {
  // subscribe TOPIC COUNT: prints {ready}, then each message, then exits.
  async subscribe(client, topic, count) {
    let left = Number(count);
    const done = signal();
    const op = client.subscribeToTopic({ topic, receiveMode: greengrasscoreipc.model.ReceiveMode.RECEIVE_ALL_MESSAGES });
    op.on('message', (msg) => { print({ message: describeMessage(msg) }); if (--left === 0) done.fire(); });
    op.on('streamError', (err) => print({ streamError: describe(err) }));
    await op.activate();
    print({ ready: true });
    await done.wait();
    await op.close();
  },

  // publish TOPIC json|binary VALUE (JSON text or base64)
  async publish(client, topic, kind, value) {
    const publishMessage = kind === 'json'
      ? { jsonMessage: { message: JSON.parse(value) } }
      : { binaryMessage: { message: Buffer.from(value, 'base64') } };
    try {
      await client.publishToTopic({ topic, publishMessage });
      print({ published: true });
    } catch (err) {
      print(describe(err));
    }
  },

  // iotcore FILTER TOPIC PAYLOAD: SubscribeToIoTCore FILTER, prints {ready}, PublishToIoTCore TOPIC (QoS 1), prints
  // {published}, then prints the first message received on FILTER and exits.
  async iotcore(client, filter, topic, payload) {
    const done = signal();
    const op = client.subscribeToIoTCore({ topicName: filter, qos: greengrasscoreipc.model.QOS.AT_LEAST_ONCE });
    op.on('message', (event) => {
      const msg = event.message;
      print({ iotMessage: { topic: msg.topicName, payload: Buffer.from(msg.payload).toString('utf8') } });
      done.fire();
    });
    op.on('streamError', (err) => print({ streamError: describe(err) }));
    await op.activate();
    print({ ready: true });
    try {
      await client.publishToIoTCore({ topicName: topic, qos: greengrasscoreipc.model.QOS.AT_LEAST_ONCE, payload: Buffer.from(payload) });
      print({ published: true });
    } catch (err) {
      print(describe(err));
    }
    await done.wait();
    await op.close();
  },

  // config-get COMPONENT|- KEY...
  async 'config-get'(client, component, ...keyPath) {
    try {
      const request = { keyPath };
      if (component !== '-') request.componentName = component;
      print({ get: await client.getConfiguration(request) });
    } catch (err) {
      print(describe(err));
    }
  },

  // config-update EPOCH_SECONDS JSON KEY...
  async 'config-update'(client, seconds, json, ...keyPath) {
    try {
      await client.updateConfiguration({ keyPath, timestamp: new Date(Number(seconds) * 1000), valueToMerge: JSON.parse(json) });
      print({ updated: true });
    } catch (err) {
      print(describe(err));
    }
  },

  // config-watch COMPONENT KEY...: prints {ready}, then the first update event.
  async 'config-watch'(client, component, ...keyPath) {
    const done = signal();
    const op = client.subscribeToConfigurationUpdate({ componentName: component, keyPath });
    op.on('message', (msg) => { print({ event: msg.configurationUpdateEvent }); done.fire(); });
    await op.activate();
    print({ ready: true });
    await done.wait();
    await op.close();
  },

  // update-state STATE
  async 'update-state'(client, state) {
    await client.updateState({ state });
    print({ stateUpdated: state });
  },

  // pause COMPONENT / resume COMPONENT: PauseComponent or ResumeComponent.
  async pause(client, component) {
    try {
      print({ paused: await client.pauseComponent({ componentName: component }) });
    } catch (err) {
      print(describe(err));
    }
  },

  async resume(client, component) {
    try {
      print({ resumed: await client.resumeComponent({ componentName: component }) });
    } catch (err) {
      print(describe(err));
    }
  },

  // metric NAME UNIT VALUE: PutComponentMetric with one metric.
  async metric(client, name, unit, value) {
    try {
      print({ metric: await client.putComponentMetric({ metrics: [{ name, unit, value: Number(value) }] }) });
    } catch (err) {
      print(describe(err));
    }
  },

  // defer-updates RECHECK_MS: defers the first PreComponentUpdateEvent, consents to the next, exits on PostComponentUpdateEvent.
  async 'defer-updates'(client, recheckMs) {
    const done = signal();
    let seen = 0;
    const op = client.subscribeToComponentUpdates({});
    op.on('message', async (msg) => {
      if (msg.preUpdateEvent) {
        const wait = seen++ === 0 ? Number(recheckMs) : 0;
        print({ preUpdate: msg.preUpdateEvent, deferringMs: wait });
        await client.deferComponentUpdate({ deploymentId: msg.preUpdateEvent.deploymentId, message: 'busy', recheckAfterMs: wait });
      } else if (msg.postUpdateEvent) {
        print({ postUpdate: msg.postUpdateEvent });
        done.fire();
      }
    });
    await op.activate();
    print({ ready: true });
    await done.wait();
    await op.close();
  },

  // bench TOPIC ROUND_TRIPS BURST: one client subscribes and publishes to itself. Prints latency percentiles of
  // sequential round trips and the rate of a burst of BURST publishes sent without waiting for each reply.
  async bench(client, topic, roundTrips, burst) {
    let waiter = null;
    let received = 0;
    const op = client.subscribeToTopic({ topic, receiveMode: greengrasscoreipc.model.ReceiveMode.RECEIVE_ALL_MESSAGES });
    op.on('message', () => { received++; if (waiter) waiter(); });
    await op.activate();
    const publish = { topic, publishMessage: { jsonMessage: { message: { n: 1 } } } };
    const until = (count) => new Promise((resolve) => {
      if (received >= count) { resolve(); return; }
      waiter = () => { if (received >= count) { waiter = null; resolve(); } };
    });
    const latencies = [];
    for (let i = 0; i < Number(roundTrips); i++) {
      const start = process.hrtime.bigint();
      const arrived = until(received + 1);
      await client.publishToTopic(publish);
      await arrived;
      latencies.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    latencies.sort((a, b) => a - b);
    const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    const target = received + Number(burst);
    const start = process.hrtime.bigint();
    const done = until(target);
    await Promise.all(Array.from({ length: Number(burst) }, () => client.publishToTopic(publish)));
    await done;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    print({ bench: { roundTrips: latencies.length, p50Us: pick(0.5), p99Us: pick(0.99), burst: Number(burst), msgsPerSecond: Number(burst) / seconds } });
    await op.close();
  },

  // shadow THING: the local shadow service end to end. Subscribes to the classic shadow's update/delta topic, then
  // updates, gets, lists (two pages of two), sends a stale version, deletes and gets again; prints each outcome.
  async shadow(client, thingName) {
    const decode = (response) => JSON.parse(Buffer.from(response.payload).toString('utf8'));
    const attempt = async (label, call) => {
      try {
        print({ [label]: await call() });
      } catch (err) {
        print({ [label]: describe(err) });
      }
    };
    const delta = signal();
    const op = client.subscribeToTopic({ topic: `$aws/things/${thingName}/shadow/update/delta` });
    op.on('message', (msg) => {
      print({ delta: JSON.parse(Buffer.from(msg.binaryMessage.message).toString('utf8')), topic: msg.binaryMessage.context.topic });
      delta.fire();
    });
    await op.activate();
    const update = (shadowName, doc) => client.updateThingShadow({ thingName, shadowName, payload: JSON.stringify(doc) });
    await attempt('update', async () => decode(await update('', { state: { desired: { color: 'red' }, reported: { color: 'blue' } }, clientToken: 'sdk-1' })));
    await delta.wait();
    await attempt('get', async () => decode(await client.getThingShadow({ thingName, shadowName: '' })));
    for (const name of ['n3', 'n1', 'n2']) {
      await update(name, { state: { reported: { name } } });
    }
    await attempt('page1', async () => client.listNamedShadowsForThing({ thingName, pageSize: 2 }));
    const first = await client.listNamedShadowsForThing({ thingName, pageSize: 2 });
    await attempt('page2', async () => client.listNamedShadowsForThing({ thingName, pageSize: 2, nextToken: first.nextToken }));
    await attempt('stale', async () => decode(await update('', { state: { desired: { color: 'green' } }, version: 0 })));
    await attempt('delete', async () => decode(await client.deleteThingShadow({ thingName, shadowName: '' })));
    await attempt('getDeleted', async () => decode(await client.getThingShadow({ thingName, shadowName: '' })));
    await op.close();
  },

  // shadow-get THING SHADOW|-: one GetThingShadow; prints the document or the error.
  async 'shadow-get'(client, thingName, shadowName) {
    try {
      const response = await client.getThingShadow({ thingName, shadowName: shadowName === '-' ? '' : shadowName });
      print({ shadow: JSON.parse(Buffer.from(response.payload).toString('utf8')) });
    } catch (err) {
      print(describe(err));
    }
  },

  // shadow-boot THING: reads reported.boots of the classic shadow (none yet: 0), reports boots + 1, prints both.
  async 'shadow-boot'(client, thingName) {
    const decode = (response) => JSON.parse(Buffer.from(response.payload).toString('utf8'));
    let boots = 0;
    try {
      boots = decode(await client.getThingShadow({ thingName })).state.reported.boots || 0;
    } catch (err) {
      if (describe(err).error !== 'ResourceNotFoundError') throw err;
    }
    const state = { reported: { boots: boots + 1 } };
    const reply = decode(await client.updateThingShadow({ thingName, payload: JSON.stringify({ state }) }));
    print({ boots: boots + 1, version: reply.version });
  },

  // secret SECRET_ID [VERSION_ID|-] [VERSION_STAGE|-]: one GetSecretValue; prints the response (secretBinary as base64)
  // or the error.
  async secret(client, secretId, versionId, versionStage) {
    const request = { secretId };
    if (versionId && versionId !== '-') request.versionId = versionId;
    if (versionStage && versionStage !== '-') request.versionStage = versionStage;
    try {
      const response = await client.getSecretValue(request);
      const value = response.secretValue || {};
      print({
        secret: {
          secretId: response.secretId,
          versionId: response.versionId,
          versionStage: response.versionStage,
          secretString: value.secretString,
          secretBinary: value.secretBinary === undefined ? undefined : Buffer.from(value.secretBinary).toString('base64'),
        },
      });
    } catch (err) {
      print(describe(err));
    }
  },

  // local-deployment create RECIPE_DIR ARTIFACT_DIR NAME VERSION | cancel [ID] | status ID | list: one local
  // deployment operation; prints {created|cancel|status|list: response} or the error.
  async 'local-deployment'(client, action, ...args) {
    try {
      if (action === 'create') {
        const [recipeDirectoryPath, artifactsDirectoryPath, name, version] = args;
        print({ created: await client.createLocalDeployment({ recipeDirectoryPath, artifactsDirectoryPath, rootComponentVersionsToAdd: new Map([[name, version]]) }) });
      } else if (action === 'cancel') {
        print({ cancel: await client.cancelLocalDeployment(args.length > 0 ? { deploymentId: args[0] } : {}) });
      } else if (action === 'status') {
        print({ status: await client.getLocalDeploymentStatus({ deploymentId: args[0] }) });
      } else {
        print({ list: await client.listLocalDeployments({}) });
      }
    } catch (err) {
      print(describe(err));
    }
  },

  // secret-sha256 SECRET_ID: one GetSecretValue; prints the ARN, the version and the SHA-256 of the value (hex), never
  // the value itself, or the error. For components that report which secret they got.
  async 'secret-sha256'(client, secretId) {
    try {
      const response = await client.getSecretValue({ secretId });
      const value = response.secretValue || {};
      const bytes = value.secretBinary !== undefined ? Buffer.from(value.secretBinary) : Buffer.from(value.secretString || '', 'utf8');
      print({ secretId: response.secretId, versionId: response.versionId, sha256: require('crypto').createHash('sha256').update(bytes).digest('hex') });
    } catch (err) {
      print(describe(err));
    }
  },

  // validate-token TOKEN: ValidateAuthorizationToken; prints {validation: response} or the error.
  async 'validate-token'(client, token) {
    try {
      print({ validation: await client.validateAuthorizationToken({ token }) });
    } catch (err) {
      print(describe(err));
    }
  },

  // cli COMPONENT: ListComponents then RestartComponent COMPONENT.
  async cli(client, component) {
    try {
      print({ list: await client.listComponents({}) });
      print({ restart: await client.restartComponent({ componentName: component }) });
    } catch (err) {
      print(describe(err));
    }
  },
};

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const run = commands[command];
  if (!run) {
    throw new Error(`unknown command ${command}; one of ${Object.keys(commands).join(', ')}`);
  }
  const client = await connect();
  try {
    await run(client, ...args);
  } finally {
    await client.close();
  }
}

// The SDK's connect has no timeout: bound the whole run so a broken server fails the test, not hangs it.
const guard = setTimeout(() => { print({ timeout: true }); process.exit(3); }, Number(process.env.PEER_TIMEOUT_MS || 60000));
main().then(() => { clearTimeout(guard); process.exit(0); }, (err) => {
  print({ fatal: String(err && (err.description || err.message || err)), detail: describe(err) });
  process.exit(1);
});
