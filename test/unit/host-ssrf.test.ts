import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowlistEntryFor, isAllowedBySsrfRules, parseAllowlist } from '../../dev/host/http/ssrf';

// names this machine's DNS cannot give: a fake resolver stands in for the network's answers
const dns: Record<string, string> = { 'ipfs.example.com': '172.17.0.2', 'public.example.com': '93.184.215.14' };
const resolve = (name: string) => (dns[name] ? Promise.resolve(dns[name]) : Promise.reject(new Error('ENOTFOUND')));
const allowed = (url: string, allowlist = '') => isAllowedBySsrfRules(url, allowlist, resolve);

test('the SSRF guard refuses loopback, private, link-local, CGNAT and docker addresses', async () => {
  for (const url of [
    'http://127.0.0.1:5001/api/v0/id',
    'http://10.1.2.3/',
    'http://192.168.1.10:5001/',
    'http://172.17.0.2:5001/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[::1]:5001/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
  ]) {
    assert.equal(await allowed(url), false, url);
  }
  assert.equal(await allowed('http://93.184.215.14/'), true);
});

test('the SSRF guard refuses names that resolve to private addresses, and unresolvable or dotless names', async () => {
  assert.equal(await allowed('https://ipfs.example.com/api/v0/add'), false);
  assert.equal(await allowed('https://public.example.com/'), true);
  assert.equal(await allowed('https://nowhere.example.com/'), false, 'unresolvable');
  assert.equal(await allowed('http://localhost:5001/'), false, 'not a dotted domain');
  assert.equal(await allowed('http://localhost:5001/', 'localhost:5001'), false, 'even when allowlisted');
  assert.equal(await allowed('ftp://93.184.215.14/'), false, 'only http and https');
  assert.equal(await allowed('http://metadata.google.internal/'), false);
});

test('SSRF_Allowlist lets exactly the listed host, or host:port, through', async () => {
  assert.equal(await allowed('http://127.0.0.1:5001/api/v0/id', '127.0.0.1:5001'), true);
  assert.equal(await allowed('http://127.0.0.1:5002/api/v0/id', '127.0.0.1:5001'), false, 'another port');
  assert.equal(await allowed('http://127.0.0.1:5002/', 'example.org,\n127.0.0.1'), true, 'a host without port');
  assert.equal(await allowed('https://ipfs.example.com/', 'IPFS.example.com'), true, 'names compare lower-cased');
  assert.equal(await allowed('http://[::1]:5001/', '::1'), true, 'IPv6 entries are bracketed');
  assert.deepEqual(parseAllowlist(' a.example.com , b.example.com\n\n10.0.0.1:80 '), [
    'a.example.com',
    'b.example.com',
    '10.0.0.1:80',
  ]);
  assert.equal(allowlistEntryFor('http://127.0.0.1:5001/api/v0'), '127.0.0.1:5001');
});
