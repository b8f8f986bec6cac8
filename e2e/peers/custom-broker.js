// A custom local broker's side of client device auth, written against the unmodified aws-iot-device-sdk-v2 IPC client,
// the way a broker component for Greengrass uses it:
//   1. SubscribeToCertificateUpdates (SERVER) and serve TLS with the certificate it delivers;
//   2. on each connection, VerifyClientDeviceIdentity with the certificate the client presented;
//   3. on the client's CONNECT, GetClientDeviceAuthToken with its client id and certificate;
//   4. AuthorizeClientDeviceAction for the connect and for each publish/subscribe it asks for.
// The "devices" are TLS clients in this process that send one line, "CONNECT <clientId>", and print what they get back.
// Usage: node custom-broker.js CLIENT_ID,CERT_PATH,KEY_PATH ...   (one JSON object per stdout line, like ipc-peer.js)
'use strict';
const fs = require('fs');
const tls = require('tls');
const { greengrasscoreipc } = require('aws-iot-device-sdk-v2');

const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const errorCode = (err) => (err && err.serviceError && err.serviceError._errorCode) || String(err && (err.description || err.message || err));

function toPem(der) {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
}

// What the broker asks client device auth for each device: its connect, then two publishes and a subscription.
const actions = (clientId) => [
  ['mqtt:connect', `mqtt:clientId:${clientId}`],
  ['mqtt:publish', `mqtt:topic:telemetry/${clientId}`],
  ['mqtt:publish', 'mqtt:topic:telemetry/someone-else'],
  ['mqtt:subscribe', 'mqtt:topicfilter:commands/+/all'],
];

async function serverCertificate(client) {
  return new Promise((resolve, reject) => {
    const op = client.subscribeToCertificateUpdates({
      certificateOptions: { certificateType: greengrasscoreipc.model.CertificateType.SERVER },
    });
    op.on('message', (event) => resolve({ op, update: event.certificateUpdate }));
    op.on('streamError', reject);
    op.activate().catch(reject);
  });
}

// The broker side of one connection: identity at the TLS layer, token and authorization at CONNECT.
async function admit(client, socket, line) {
  const clientId = line.replace(/^CONNECT /, '').trim();
  const pem = toPem(socket.getPeerCertificate().raw);
  const result = { clientId };
  result.verified = (await client.verifyClientDeviceIdentity({ credential: { clientDeviceCertificate: pem } })).isValidClientDevice;
  if (!result.verified) return result;
  try {
    const reply = await client.getClientDeviceAuthToken({ credential: { mqttCredential: { clientId, certificatePem: pem } } });
    result.token = reply.clientDeviceAuthToken.length > 0;
    result.decisions = {};
    for (const [operation, resource] of actions(clientId)) {
      const decision = await client.authorizeClientDeviceAction({ clientDeviceAuthToken: reply.clientDeviceAuthToken, operation, resource });
      result.decisions[`${operation} ${resource}`] = decision.isAuthorized;
    }
  } catch (err) {
    result.tokenError = errorCode(err);
  }
  return result;
}

function connectDevice(port, ca, spec) {
  const [clientId, certPath, keyPath] = spec.split(',');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, cert: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) }, () => {
      socket.write(`CONNECT ${clientId}\n`);
    });
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk; });
    socket.on('end', () => resolve({ clientId, serverTrusted: socket.authorized, connack: answer.trim() }));
    socket.on('error', reject);
  });
}

async function main() {
  const devices = process.argv.slice(2);
  const client = greengrasscoreipc.createClient();
  await client.connect();
  try {
    const { op, update } = await serverCertificate(client);
    print({ serverCertificate: { caCertificates: update.caCertificates.length, hasPrivateKey: update.privateKey.includes('PRIVATE KEY') } });
    const server = tls.createServer({ key: update.privateKey, cert: update.certificate, requestCert: true, rejectUnauthorized: false }, (socket) => {
      socket.once('data', async (line) => {
        try {
          const result = await admit(client, socket, line.toString());
          print({ broker: result });
          socket.end(result.decisions && result.decisions[`mqtt:connect mqtt:clientId:${result.clientId}`] ? 'CONNACK accepted\n' : 'CONNACK refused\n');
        } catch (err) {
          print({ brokerError: errorCode(err) });
          socket.destroy();
        }
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    for (const spec of devices) {
      print({ device: await connectDevice(server.address().port, update.caCertificates.join('\n'), spec) });
    }
    try {
      await client.authorizeClientDeviceAction({ clientDeviceAuthToken: 'not-a-token', operation: 'mqtt:connect', resource: 'mqtt:clientId:x' });
      print({ badToken: 'accepted' });
    } catch (err) {
      print({ badToken: errorCode(err) });
    }
    server.close();
    await op.close();
    print({ done: true });
  } finally {
    await client.close();
  }
}

// The SDK's connect has no timeout: bound the whole run so a broken server fails the test, not hangs it.
const guard = setTimeout(() => { print({ timeout: true }); process.exit(3); }, Number(process.env.PEER_TIMEOUT_MS || 60000));
main().then(() => { clearTimeout(guard); process.exit(0); }, (err) => {
  print({ fatal: errorCode(err) });
  process.exit(1);
});
