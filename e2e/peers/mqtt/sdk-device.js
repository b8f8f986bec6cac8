// A client device on the official AWS IoT Device SDK v2 MQTT 5 client; same contract as mqttjs-device.js.
'use strict';
const { mqtt5, iot } = require('aws-iot-device-sdk-v2');

const o = JSON.parse(process.argv[2]);
const result = { connected: false, granted: [], received: [], publishErrors: [] };
let client;
const done = (code) => { console.log(JSON.stringify(result)); if (client) { client.stop(); client.close(); } process.exit(code); };
setTimeout(() => { result.timeout = true; done(3); }, 30000);

const builder = iot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromPath(o.host || '127.0.0.1', o.cert, o.key);
builder.withCertificateAuthorityFromPath(undefined, o.ca);
builder.withPort(o.port);
builder.withConnectProperties({ clientId: o.clientId, keepAliveIntervalSeconds: 60 });
client = new mqtt5.Mqtt5Client(builder.build());
client.on('connectionFailure', (e) => {
  result.connectError = e.connack ? String(e.connack.reasonCode) : String(e.error);
  done(0);
});
client.on('messageReceived', (e) => {
  result.received.push(`${e.message.topicName} ${Buffer.from(e.message.payload).toString()}`);
  if (result.received.length >= o.expect) { done(0); }
});
client.on('connectionSuccess', async () => {
  result.connected = true;
  for (const filter of o.subscribe) {
    const suback = await client.subscribe({ subscriptions: [{ topicFilter: filter, qos: mqtt5.QoS.AtLeastOnce }] });
    result.granted.push(suback.reasonCodes[0]);
  }
  for (const m of o.publish) {
    const r = await client.publish({ topicName: m.topic, qos: mqtt5.QoS.AtLeastOnce, payload: Buffer.from(m.payload) });
    const code = r ? (r.reasonCode !== undefined ? r.reasonCode : (r.packet ? r.packet.reasonCode : 0)) : 0;
    if (code !== 0) { result.publishErrors.push(`${m.topic}: ${code}`); }
  }
  if (o.expect === 0) { done(0); }
});
client.start();
