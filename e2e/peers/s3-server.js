#!/usr/bin/env node
// A local S3-compatible server for the s3:// artifact and token exchange tests: s3rver (a third-party fake S3
// server) with the SigV4 signature check it lacks added in front of it. s3rver 3.7.1 checks only that a SigV4
// request names a known access key ("Signature version 4 calculation is unimplemented" in its authentication
// middleware); here every signed request is signed again with the official AWS SDK signer (@smithy/signature-v4,
// the signer of @aws-sdk/client-s3) from the same method, path, query, signed headers and x-amz-date, with the
// secret this server knows, and refused with 403 SignatureDoesNotMatch when the signatures differ.
//
// usage: node s3-server.js --dir DIR --access-key ID --secret-key SECRET --bucket NAME [--put KEY=FILE]...
// Prints one JSON line {"endpoint": "http://127.0.0.1:PORT"} when ready, then one line per checked request:
// {"checked": "GET /bucket/key", "signature": "match" | "mismatch" | "unsigned" | "unknown-key", "sessionToken": "…"}.
'use strict';

const { createHash, createHmac } = require('crypto');
const fs = require('fs');
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');
const S3Error = require('s3rver/lib/models/error');
const { SignatureV4 } = require('@smithy/signature-v4');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');

function options(argv) {
  const result = { put: [] };
  for (let i = 2; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (name === 'put') result.put.push(argv[i + 1]);
    else result[name] = argv[i + 1];
  }
  for (const required of ['dir', 'access-key', 'secret-key', 'bucket']) {
    if (!result[required]) throw new Error(`missing --${required}`);
  }
  return result;
}

// The hash constructor SignatureV4 expects (what @smithy/hash-node provides), on Node's crypto.
class Sha256 {
  constructor(secret) {
    this.hash = secret ? createHmac('sha256', Buffer.from(secret)) : createHash('sha256');
  }
  update(data) {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

// sessionToken: the x-amz-security-token a matching request carried (signed with it), so a test can tell whose
// temporary credentials signed it; absent for long-term keys.
function report(request, signature, sessionToken) {
  process.stdout.write(JSON.stringify({ checked: request, signature, sessionToken }) + '\n');
}

function signatureCheck(keys) {
  return async function verifySigV4(ctx, next) {
    const [rawPath, rawQuery = ''] = ctx.req.url.split('?', 2);
    const request = `${ctx.method} ${rawPath}`;
    const header = ctx.get('authorization');
    if (!header) {
      report(request, 'unsigned');
      throw new S3Error('AccessDenied', 'Anonymous requests are refused by this test server.');
    }
    const match = AUTHORIZATION.exec(header);
    if (!match) {
      report(request, 'mismatch');
      throw new S3Error('AuthorizationHeaderMalformed', 'The authorization header is not a SigV4 header.');
    }
    const [, accessKeyId, , region, service, signedHeaders, provided] = match;
    const secretAccessKey = keys.get(accessKeyId);
    if (!secretAccessKey) {
      report(request, 'unknown-key');
      throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    }
    const headers = {};
    for (const name of signedHeaders.split(';')) headers[name] = ctx.get(name);
    const query = {};
    for (const [name, value] of new URLSearchParams(rawQuery)) query[name] = value;
    const amzDate = ctx.get('x-amz-date');
    const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey },
      region,
      service,
      sha256: Sha256,
      uriEscapePath: false, // S3 signs the path as sent
      applyChecksum: true,
    });
    const signed = await signer.sign(
      { method: ctx.method, protocol: 'http:', hostname: ctx.hostname, path: rawPath, query, headers },
      { signingDate },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization)[1];
    if (expected !== provided) {
      report(request, 'mismatch');
      throw new S3Error('SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    }
    report(request, 'match', ctx.get('x-amz-security-token') || undefined);
    return next();
  };
}

async function main() {
  const opts = options(process.argv);
  const keys = new Map([[opts['access-key'], opts['secret-key']]]);
  // s3rver's own check: the access key must belong to an account it knows.
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(opts['access-key'], opts['secret-key']);
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: opts.dir,
    configureBuckets: [{ name: opts.bucket }],
  });
  server.middleware.unshift(signatureCheck(keys));
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: opts['access-key'], secretAccessKey: opts['secret-key'] },
  });
  for (const entry of opts.put) {
    const at = entry.indexOf('=');
    await client.send(new PutObjectCommand({ Bucket: opts.bucket, Key: entry.slice(0, at), Body: fs.readFileSync(entry.slice(at + 1)) }));
  }
  process.stdout.write(JSON.stringify({ endpoint }) + '\n');
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch(err => {
  process.stderr.write(`s3-server: ${err.stack || err}\n`);
  process.exit(1);
});
