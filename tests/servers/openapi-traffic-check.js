#!/usr/bin/env node
// Checks real API traffic against Notify's own OpenAPI document with Stoplight Prism's validator, so the
// document is held to what the API does by a tool that shares none of Notify's code. The end-to-end tests
// send every exchange they have with a Frontend here (POST /check) and fail on any problem it returns:
//
//  - the answer's status must be one the operation documents, with a body and headers that match;
//  - a request the document calls invalid must not succeed (the document would be stricter than the API);
//  - a request the document calls valid must not be refused with 400 (the document would be looser than
//    the API), except for the few rules a schema cannot state, listed in CROSS_FIELD_RULES below.
//
// Usage: node openapi-traffic-check.js --port P   (listens on 127.0.0.1:P)
// POST /check {"document": "<absolute URL of /openapi/v1.json>",
//              "request": {"method", "path", "headers": {name: value}, "body": text|null},
//              "response": {"status", "headers": {name: value}, "body": text|null}}
//   -> 200 {"operation": "<operationId>", "problems": ["..."]}

'use strict';

const http = require('http');
const crypto = require('crypto');
const { getHttpOperationsFromSpec } = require('@stoplight/prism-http');
const route = require('@stoplight/prism-http/dist/router').default;
const { validateInput, validateOutput, validateSecurity } = require('@stoplight/prism-http/dist/validator');

const ERROR = 0; // DiagnosticSeverity.Error

// Refusals (400) of requests the schema calls valid, because the rule spans fields or needs the server's
// state or settings, which JSON Schema cannot express. Each entry: the operation ('*': any), the errors
// key of the validation problem ('*': any), a pattern its message must match (null: any), and why the
// schema cannot say it.
const CROSS_FIELD_RULES = [
  ['Publish', 'dedupId', null, 'the body\'s dedupId and the Idempotency-Key header must agree'],
  ['Subscribe', 'endpoint', null, 'what an endpoint must be depends on the protocol (URL, address, E.164) and on the network it resolves to'],
  ['Subscribe', 'protocol', null, 'a protocol is refused when its channel is not configured on this server'],
  ['Subscribe', 'filterPolicy', null, 'a filter policy\'s grammar and limits (SNS\'s) are checked by the service'],
  ['UpdateSubscription', 'filterPolicy', null, 'a filter policy\'s grammar and limits (SNS\'s) are checked by the service'],
  ['ListTopics', 'cursor', null, 'a cursor is valid only if this listing produced it'],
  ['ListSubscriptions', 'cursor', null, 'a cursor is valid only if this listing produced it'],
  ['ListAllSubscriptions', 'cursor', null, 'a cursor is valid only if this listing produced it'],
  ['ListDeadLetters', 'cursor', null, 'a cursor is valid only if this listing produced it'],
  ['RedriveDeadLetters', 'cursor', null, 'a cursor is valid only if the redrive of this selection produced it'],
  ['ListDeadLetters', 'to', /after from/, 'to must be after from'],
  ['RedriveDeadLetters', 'to', /after from/, 'to must be after from'],
  ['ReplaySubscription', 'to', /after from/, 'to must be after from'],
  ['CreateKey', 'expiresAt', /has passed/, 'an expiry must be in the future, by the server\'s clock'],
  ['ReplaySubscription', 'cursor', null, 'a cursor is valid only if the replay of this window produced it'],
  ['CreateTopic', 'retention', /from PT1S to P30D/, 'a retention\'s range (PT1S to P30D) is a sum of its parts, which a pattern cannot bound'],
  ['UpdateTopic', 'retention', /from PT1S to P30D/, 'a retention\'s range (PT1S to P30D) is a sum of its parts, which a pattern cannot bound'],
  ['*', '*', /lone surrogate/, 'text must be Unicode (I-JSON, RFC 7493): an unpaired surrogate escape is valid JSON syntax that no schema keyword refuses (a pattern would also refuse pairs in UTF-16 languages)'],
];

function explained(operation, field, messages) {
  return CROSS_FIELD_RULES.some(([op, key, pattern]) =>
    (op === '*' || op === operation) && (key === '*' || key === field) && (pattern === null || messages.every(m => pattern.test(m))));
}

const documents = new Map(); // document URL -> Promise<operations>
const byContent = new Map(); // hash of the document without its servers -> Promise<operations>

function operationsFor(url) {
  if (!documents.has(url)) {
    documents.set(url, fetchJson(url).then(document => {
      const { servers, ...rest } = document;
      const key = crypto.createHash('sha256').update(JSON.stringify(rest)).digest('hex');
      if (!byContent.has(key)) {
        byContent.set(key, getHttpOperationsFromSpec(document));
      }
      return byContent.get(key);
    }));
  }
  return documents.get(url);
}

function fetchJson(url) {
  return new Promise((resolve, reject) => {
    http.get(url, response => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', chunk => (text += chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`GET ${url} answered ${response.statusCode}`));
        } else {
          resolve(JSON.parse(text));
        }
      });
    }).on('error', reject);
  });
}

function lowerKeys(headers) {
  const result = {};
  for (const [name, value] of Object.entries(headers || {})) {
    result[name.toLowerCase()] = value;
  }
  return result;
}

function isJson(contentType) {
  return /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType || '');
}

function parseBody(text, contentType) {
  if (text === null || text === undefined || text === '') {
    return undefined;
  }
  if (isJson(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function errorsOf(either) {
  if (either._tag !== 'Left') {
    return [];
  }
  return either.left.filter(d => d.severity === ERROR).map(d => `${(d.path || []).join('.') || '(request)'}: ${d.message}`);
}

async function check({ document, request, response }) {
  const operations = await operationsFor(document);
  const url = new URL(request.path, 'http://notify.invalid');
  const query = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0] : values;
  }
  const headers = lowerKeys(request.headers);
  const input = {
    method: request.method.toLowerCase(),
    url: { path: url.pathname, query },
    headers,
    body: parseBody(request.body, headers['content-type']),
  };

  const routed = route({ resources: operations, input });
  if (routed._tag === 'Left') {
    // Outside the documented operations: only "no such thing" answers are right there.
    return [null, [404, 405].includes(response.status) ? [] : [`${request.method} ${url.pathname} is in no operation of the document, yet it answered ${response.status}`]];
  }

  const operation = routed.right;
  const problems = [];
  const responseHeaders = lowerKeys(response.headers);
  const output = {
    statusCode: response.status,
    headers: responseHeaders,
    body: response.status === 204 ? undefined : parseBody(response.body, responseHeaders['content-type']),
  };

  if (!operation.responses.some(r => r.code === String(response.status))) {
    problems.push(`answered ${response.status}, which the document does not list for ${operation.iid} (it lists ${operation.responses.map(r => r.code).join(', ')})`);
  } else {
    problems.push(...errorsOf(validateOutput({ resource: operation, element: output })).map(p => `answer ${response.status}: ${p}`));
  }

  const inputErrors = [
    ...errorsOf(validateInput({ resource: operation, element: input })),
    ...(operation.security && operation.security.length > 0 ? errorsOf(validateSecurity({ resource: operation, element: input })) : []),
  ];
  const succeeded = response.status >= 200 && response.status < 300;
  if (succeeded && inputErrors.length > 0) {
    problems.push(`answered ${response.status} to a request the document calls invalid: ${inputErrors.join('; ')}`);
  }
  if (response.status === 400 && inputErrors.length === 0) {
    const errors = (output.body && output.body.errors) || {};
    const refused = Object.keys(errors);
    const unexplained = refused.filter(field => !explained(operation.iid, field, errors[field] || []));
    if (refused.length === 0 || unexplained.length > 0) {
      problems.push(`refused with 400 a request the document calls valid (fields: ${unexplained.join(', ') || 'none named'}): ${output.body && output.body.detail}`);
    }
  }
  return [operation.iid, problems];
}

const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/check') {
    res.writeHead(404).end();
    return;
  }
  let text = '';
  req.setEncoding('utf8');
  req.on('data', chunk => (text += chunk));
  req.on('end', async () => {
    try {
      const [operation, problems] = await check(JSON.parse(text));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ operation, problems }));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error && error.stack || error) }));
    }
  });
}).listen(port, '127.0.0.1', () => console.log(`openapi-traffic-check listening on 127.0.0.1:${port}`));
