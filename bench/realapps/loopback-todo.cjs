// Starts LoopBack 4's example Todo application (npm @loopback/example-todo) on 127.0.0.1:PORT, as its
// own dist/index.js does, with two bindings changed so that nothing leaves the machine and nothing
// is written inside the package:
// - the in-memory "db" datasource keeps its data in WORKDIR/db.json (a copy of the package's seed
//   data: four todos) instead of ./data/db.json;
// - the "geocoder" datasource (looked up when a todo has a `remindAtAddress`) asks a stand-in on an
//   ephemeral loopback port instead of the US Census geocoder; the stand-in answers in the Census
//   format with one match for any non-blank address and none for a blank one.
// usage: node bench/realapps/loopback-todo.cjs APPDIR WORKDIR PORT   (APPDIR holds node_modules)
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const [appDir, workDir, port] = process.argv.slice(2);
const pkg = path.join(path.resolve(appDir), 'node_modules', '@loopback', 'example-todo');
const {TodoListApplication} = require(pkg);

function geocoderStandIn() {
  const server = http.createServer((req, res) => {
    const address = new URL(req.url, 'http://x').searchParams.get('address') ?? '';
    const matches = address.trim() === '' ? [] : [{coordinates: {x: -77.03, y: 38.89}, matchedAddress: address}];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({result: {input: {address: {address}}, addressMatches: matches}}));
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

async function main() {
  fs.mkdirSync(workDir, {recursive: true});
  const dbFile = path.join(path.resolve(workDir), 'db.json');
  if (!fs.existsSync(dbFile)) fs.copyFileSync(path.join(pkg, 'data', 'db.json'), dbFile);
  const geoPort = await geocoderStandIn();
  const app = new TodoListApplication({
    rest: {port: +port, host: '127.0.0.1', gracePeriodForClose: 0, openApiSpec: {setServersFromRequest: true}},
  });
  app.bind('datasources.config.db').to({name: 'db', connector: 'memory', localStorage: '', file: dbFile});
  app.bind('datasources.config.geocoder').to({
    name: 'geocoder',
    connector: require(require.resolve('loopback-connector-rest', {paths: [pkg]})),
    options: {headers: {accept: 'application/json', 'content-type': 'application/json'}, timeout: 15000},
    operations: [{
      template: {
        method: 'GET',
        url: `http://127.0.0.1:${geoPort}/geocoder/locations/onelineaddress`,
        query: {format: '{format=json}', benchmark: 'Public_AR_Current', address: '{address}'},
        responsePath: '$.result.addressMatches[*].coordinates',
      },
      functions: {geocode: ['address']},
    }],
  });
  await app.boot();
  await app.start();
  console.log(`Server is running at ${app.restServer.url} (geocoder stand-in on 127.0.0.1:${geoPort})`);
}

main().catch(err => {
  console.error('Cannot start the application.', err);
  process.exit(1);
});
