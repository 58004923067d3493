// The training run's server (src/build/startup-aids.sh): on 127.0.0.1, ports the kernel picks, printed
// on one line as "HTTP_PORT TLS_PORT" once both listen. HTTPS offers h2 and http/1.1 (ALPN), so that the
// training run goes through both HTTP versions; a body is gzip'ed for a client that accepts it, so that
// the decoder runs too. Usage: node training-server.js CERTIFICATE KEY
'use strict';
const fs = require('fs');
const http = require('http');
const http2 = require('http2');
const zlib = require('zlib');

const body = Buffer.from('httptap start-up training\n'.repeat(200));
const gzipped = zlib.gzipSync(body);

function answer(request, response) {
    const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] || '');
    response.writeHead(200, gzip
        ? {'content-type': 'text/plain', 'content-encoding': 'gzip'}
        : {'content-type': 'text/plain'});
    response.end(gzip ? gzipped : body);
}

const [certificate, key] = process.argv.slice(2);
const plain = http.createServer(answer);
const secure = http2.createSecureServer(
    {cert: fs.readFileSync(certificate), key: fs.readFileSync(key), allowHTTP1: true}, answer);
plain.listen(0, '127.0.0.1', () => secure.listen(0, '127.0.0.1', () =>
    console.log(`${plain.address().port} ${secure.address().port}`)));
