// A client device on MQTT.js: connect with its certificate, subscribe, publish, report what happened as JSON.
// Usage: node mqttjs-device.js '<json: {port, ca, cert, key, clientId, protocolVersion, subscribe[], publish[{topic, payload}], expect}>'
'use strict';
const fs = require('fs');
const mqtt = require('mqtt');

const o = JSON.parse(process.argv[2]);
const result = { connected: false, granted: [], received: [], publishErrors: [] };
const done = (code) => { console.log(JSON.stringify(result)); process.exit(code); };
setTimeout(() => { result.timeout = true; done(3); }, 30000);

const client = mqtt.connect({
  host: '127.0.0.1', port: o.port, protocol: 'mqtts', servername: 'localhost',
  ca: fs.readFileSync(o.ca), cert: fs.readFileSync(o.cert), key: fs.readFileSync(o.key),
  ALPNProtocols: ['x-amzn-mqtt-ca'], rejectUnauthorized: true,
  clientId: o.clientId, protocolVersion: o.protocolVersion, reconnectPeriod: 0, connectTimeout: 20000,
});
client.on('error', (e) => { result.connectError = e.code !== undefined ? String(e.code) : e.message; done(0); });
client.on('message', (topic, payload) => {
  result.received.push(`${topic} ${payload}`);
  if (result.received.length >= o.expect) { client.end(false, () => done(0)); }
});
client.on('connect', async () => {
  result.connected = true;
  for (const filter of o.subscribe) {
    try {
      const granted = await client.subscribeAsync(filter, { qos: 1 });
      result.granted.push(granted[0].qos);
    } catch (e) {
      // MQTT.js rejects a SUBACK with a failure code; the code itself is on the packet.
      result.granted.push(e.packet ? e.packet.granted[0] : e.message);
    }
  }
  for (const m of o.publish) {
    try { await client.publishAsync(m.topic, m.payload, { qos: 1 }); }
    catch (e) { result.publishErrors.push(`${m.topic}: ${e.code !== undefined ? e.code : e.message}`); }
  }
  if (o.expect === 0) { client.end(false, () => done(0)); }
});
