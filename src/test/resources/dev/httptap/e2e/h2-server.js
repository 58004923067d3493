// An HTTP/2 server for Http2IT, on 127.0.0.1 and an ephemeral port it prints once listening (H2_PORT if set).
// Usage: node h2-server.js tls KEY CERT | node h2-server.js plain
//   /grpc        a gRPC-like answer: 200, one length-prefixed message, then trailers grpc-status 0
//   /push        pushes /pushed.css before answering (when the client allows pushes)
//   /seen        the :authority and :path of every request this server was sent, one a line
//   anything     "received N" for a request with a body, "hello over h2 PATH" otherwise
const http2 = require('http2');
const fs = require('fs');
const [mode, keyFile, certFile] = process.argv.slice(2);

const seen = [];

function answer(stream, headers) {
  const path = headers[':path'];
  seen.push(headers[':authority'] + ' ' + path);
  if (path === '/seen') {
    stream.respond({':status': 200, 'content-type': 'text/plain'});
    stream.end(seen.join('\n') + '\n');
    return;
  }
  if (path === '/grpc') {
    stream.respond({':status': 200, 'content-type': 'application/grpc'}, {waitForTrailers: true});
    stream.on('wantTrailers', () => stream.sendTrailers({'grpc-status': '0', 'grpc-message': 'OK'}));
    stream.end(Buffer.from([0, 0, 0, 0, 2, 0x6f, 0x6b]));
    return;
  }
  if (path === '/push' && stream.pushAllowed) {
    stream.pushStream({':path': '/pushed.css'}, (error, pushed) => {
      if (!error) {
        pushed.respond({':status': 200, 'content-type': 'text/css'});
        pushed.end('p{}');
      }
    });
  }
  let received = 0;
  stream.on('data', chunk => received += chunk.length);
  stream.on('end', () => {
    stream.respond({':status': 200, 'content-type': 'text/plain'});
    stream.end(received > 0 ? 'received ' + received + '\n' : 'hello over h2 ' + path + '\n');
  });
}

const server = mode === 'tls'
  ? http2.createSecureServer({key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile)})
  : http2.createServer();
server.on('stream', answer);
server.listen(Number(process.env.H2_PORT || 0), '127.0.0.1', () => console.log(server.address().port));
