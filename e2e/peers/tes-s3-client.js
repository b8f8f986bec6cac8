#!/usr/bin/env node
// A component that uses AWS unchanged: @aws-sdk/client-s3 with the SDK's default credential chain, which finds
// AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN (set by the nucleus while
// aws.greengrass.TokenExchangeService is deployed) and fetches the device's credentials from the nucleus.
// usage: node tes-s3-client.js BUCKET KEY   (S3_ENDPOINT in the environment: an S3-compatible store, path style)
// Prints one JSON line: {"keys": [...], "body": "..."} on success, {"error": "..."} and exit 1 otherwise.
'use strict';

const { S3Client, ListObjectsV2Command, GetObjectCommand } = require('@aws-sdk/client-s3');

async function main() {
  const [bucket, key] = process.argv.slice(2);
  const client = new S3Client({
    region: process.env.AWS_REGION,
    endpoint: process.env.S3_ENDPOINT || undefined,
    forcePathStyle: Boolean(process.env.S3_ENDPOINT),
  });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = await object.Body.transformToString();
  process.stdout.write(JSON.stringify({ keys: (listed.Contents || []).map(c => c.Key), body }) + '\n');
}

main().catch(err => {
  process.stdout.write(JSON.stringify({ error: `${err.name}: ${err.message}` }) + '\n');
  process.exit(1);
});
