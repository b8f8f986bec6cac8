// A client device on the official AWS IoT Device SDK v2: greengrass.DiscoveryClient finds its core device, then the
// SDK's MQTT 5 client connects to the first connectivity entry, trusting the CA discovery returned, subscribes to a
// topic and publishes to it. Prints one JSON line: {status, groups, connected, received, error}.
// Argument (JSON): {host, discoveryPort, discoveryCa, cert, key, thingName, topic, payload, mqtt: true|false}.
'use strict';
const crt = require('aws-crt');
const { greengrass, io, iot, mqtt5 } = require('aws-iot-device-sdk-v2');

const o = JSON.parse(process.argv[2]);
const result = { status: 0, groups: [], connected: false, received: [] };
let client;
const done = (code) => { console.log(JSON.stringify(result)); if (client) { client.stop(); client.close(); } process.exit(code); };
setTimeout(() => { result.error = 'timeout'; done(3); }, 60000);

// The SDK dials port 443 (8443 without ALPN) on the discovery host; the tests serve discovery on a free port, so the
// connection manager the SDK builds is pointed there. Everything else (TLS, ALPN, request, parsing) is the SDK's own.
const Manager = crt.http.HttpClientConnectionManager;
crt.http.HttpClientConnectionManager = class extends Manager {
  constructor(bootstrap, host, port, ...rest) { super(bootstrap, host, o.discoveryPort || port, ...rest); }
};

async function main() {
  const tls = io.TlsContextOptions.create_client_with_mtls_from_path(o.cert, o.key);
  tls.override_default_trust_store_from_path(undefined, o.discoveryCa);
  const discovery = new greengrass.DiscoveryClient(new io.ClientBootstrap(), new io.SocketOptions(), new io.ClientTlsContext(tls), 'local', o.host);
  let response;
  try {
    response = await discovery.discover(o.thingName);
  } catch (e) {
    result.status = e.response_code || -1;
    result.error = String(e.message || e);
    return done(0);
  }
  result.status = 200;
  result.groups = response.gg_groups.map(g => ({
    id: g.gg_group_id, cas: g.certificate_authorities.length,
    cores: g.cores.map(c => ({ arn: c.thing_arn, connectivity: c.connectivity.map(i => `${i.host_address}:${i.port}`) })),
  }));
  if (!o.mqtt) { return done(0); }

  const group = response.gg_groups[0];
  const endpoint = group.cores[0].connectivity[0];
  const builder = iot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromPath(endpoint.host_address, o.cert, o.key);
  builder.withCertificateAuthority(group.certificate_authorities[0]);
  builder.withPort(endpoint.port);
  builder.withConnectProperties({ clientId: o.thingName, keepAliveIntervalSeconds: 60 });
  client = new mqtt5.Mqtt5Client(builder.build());
  client.on('connectionFailure', (e) => { result.error = `mqtt: ${e.error}`; done(0); });
  client.on('messageReceived', (e) => {
    result.received.push(`${e.message.topicName} ${Buffer.from(e.message.payload).toString()}`);
    done(0);
  });
  client.on('connectionSuccess', async () => {
    result.connected = true;
    await client.subscribe({ subscriptions: [{ topicFilter: o.topic, qos: mqtt5.QoS.AtLeastOnce }] });
    await client.publish({ topicName: o.topic, qos: mqtt5.QoS.AtLeastOnce, payload: Buffer.from(o.payload) });
  });
  client.start();
}

main().catch((e) => { result.error = String(e); done(1); });
