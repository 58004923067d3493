// An HTTP/2 client for Http2IT, run inside the tap: one connection to ORIGIN, then
//   parallel N   N requests at once (/n/0 ... /n/N-1), printing "N responses"
//   grpc         /grpc, printing its grpc-status trailer
//   push         /push, printing the body and then the pushed stream's path and body
//   show PATH    PATH, printing the status and then the body
//   fronted AUTHORITY [TABLE_SIZE]  /steal with :authority AUTHORITY, then /seen on the same connection,
//                printing the status and the body of each; with TABLE_SIZE, the client's SETTINGS_HEADER_TABLE_SIZE,
//                and the requests wait until the server has acknowledged it
const http2 = require('http2');
const [origin, mode, argument, tableSize] = process.argv.slice(2);
const session = http2.connect(origin, tableSize ? {settings: {headerTableSize: Number(tableSize)}} : {});
session.on('error', error => { console.error(error.message); process.exit(1); });

function get(path, onTrailers, onResponse, authority) {
  return new Promise((resolve, reject) => {
    const request = session.request(authority ? {':path': path, ':authority': authority} : {':path': path});
    let body = '';
    request.setEncoding('utf8');
    if (onTrailers) request.on('trailers', onTrailers);
    if (onResponse) request.on('response', onResponse);
    request.on('data', text => body += text);
    request.on('end', () => resolve(body));
    request.on('error', reject);
    request.end();
  });
}

async function run() {
  if (mode === 'parallel') {
    const bodies = await Promise.all([...Array(Number(argument)).keys()].map(i => get('/n/' + i)));
    console.log(bodies.length + ' responses');
  } else if (mode === 'grpc') {
    await get('/grpc', trailers => console.log('grpc-status ' + trailers['grpc-status']));
  } else if (mode === 'push') {
    const pushed = new Promise(resolve => session.on('stream', (stream, headers) => {
      let body = '';
      stream.on('data', text => body += text);
      stream.on('end', () => resolve(headers[':path'] + ' ' + body));
    }));
    console.log((await get('/push')).trim());
    console.log(await pushed);
  } else if (mode === 'fronted') {
    if (tableSize) await new Promise(resolve => session.once('localSettings', resolve));
    // Status and body in one write: httptap's own lines share this stdout and must not land mid-line.
    const statuses = [];
    const status = headers => statuses.push(headers[':status']);
    const stolen = await get('/steal', undefined, status, argument);
    process.stdout.write(statuses[0] + ' ' + stolen);
    const seen = await get('/seen', undefined, status);
    process.stdout.write(statuses[1] + ' ' + seen);
  } else if (mode === 'show') {
    process.stdout.write(await get(argument, undefined, headers => console.log(headers[':status'])));
  }
  session.close();
}

run().catch(error => { console.error(error.message); process.exit(1); });
