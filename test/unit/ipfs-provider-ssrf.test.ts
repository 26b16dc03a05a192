import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { describeStatus, isWorkspaceAdmin } from '../../src/commands/status';
import { errorSummary, withoutUserinfo } from '../../src/errors';
import { describeError } from '../../src/ui/describeError';
import { translatorFor } from '../../src/i18n/translate';
import { ProviderBlockedBySsrfError, ProviderUnreachableError } from '../../src/ipfs/errors';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { errorFromThrow } from '../../src/ipfs/rpcResponse';

const t = translatorFor('en');

/**
 * An IHttp whose calls fail the way the engine's accessor does: the Deno runtime rebuilds the server's error
 * from its message alone (deno-runtime/lib/accessors/formatResponseErrorHandler.ts), so the app receives
 * `new Error('error-ssrf-validation-failed')` when Rocket.Chat's server-fetch SSRF guard refuses the URL.
 */
function throwingHttp(message: string): IHttp {
  const fail = () => Promise.reject(new Error(message));
  return { get: fail, post: fail, put: fail, del: fail, patch: fail };
}

const client = (http: IHttp, apiUrl: string) =>
  new KuboRpcClient(http, { apiUrl, auth: { kind: 'none' }, timeoutMs: 1000 });

void describe("Rocket.Chat's SSRF refusal", () => {
  void test('becomes a typed provider error naming the host[:port] to allowlist, for every call', async () => {
    const provider = client(throwingHttp('error-ssrf-validation-failed'), 'http://127.0.0.1:5001');
    for (const call of [
      () => provider.version(),
      () => provider.cat('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'),
    ]) {
      await assert.rejects(call(), (err: unknown) => {
        assert.ok(err instanceof ProviderBlockedBySsrfError, String(err));
        assert.equal(err.host, '127.0.0.1:5001');
        assert.equal(
          describeError(t, err),
          "The workspace's SSRF protection refused the IPFS provider's address; ask your admin.",
        );
        return true;
      });
    }
  });

  void test('a LAN name without a port is allowlisted by its name alone', () => {
    const err = errorFromThrow(new Error('error-ssrf-validation-failed'), 'http://kubo.lan/api/v0');
    assert.ok(err instanceof ProviderBlockedBySsrfError);
    assert.equal(err.host, 'kubo.lan');
  });

  void test("the admin's status names the setting and the value to add; a user only hears that it does not work", () => {
    const error = errorFromThrow(new Error('error-ssrf-validation-failed'), 'http://ipfs:pw@10.0.0.7:5001/api/v0');
    const admin = describeStatus(t, true, { ok: false, apiUrl: 'http://ipfs:pw@10.0.0.7:5001', error });
    assert.match(admin, /^🔴 The IPFS provider at http:\/\/10\.0\.0\.7:5001 does not answer: .*SSRF protection/);
    assert.match(admin, /add `10\.0\.0\.7:5001` to the setting `SSRF_Allowlist`/);
    assert.doesNotMatch(admin, /pw@/);
    const user = describeStatus(t, false, { ok: false, apiUrl: 'http://ipfs:pw@10.0.0.7:5001', error });
    assert.equal(user, '🔴 IPFS Storage does not work right now; if that lasts, tell an admin.');
  });

  void test('other failures get no SSRF hint', () => {
    const error = errorFromThrow(new Error('connect ECONNREFUSED 127.0.0.1:5001'), 'http://127.0.0.1:5001/api/v0');
    assert.ok(error instanceof ProviderUnreachableError);
    assert.doesNotMatch(describeStatus(t, true, { ok: false, apiUrl: 'http://127.0.0.1:5001', error }), /SSRF/);
  });
});

void describe('/ipfs status for admins and users', () => {
  void test('a working provider: the admin sees where and which version, a user only that it works', () => {
    const outcome = {
      ok: true as const,
      preset: 'kubo',
      apiUrl: 'https://u:secret@ipfs.example:5001',
      version: '0.18.1',
      latency: 12,
    };
    assert.equal(
      describeStatus(t, true, outcome),
      '🟢 Self-hosted Kubo or IPFS Cluster proxy at https://ipfs.example:5001 answers: version 0.18.1, 12 ms.',
    );
    assert.equal(describeStatus(t, false, outcome), '🟢 IPFS Storage works.');
  });

  void test('admin means the workspace role', () => {
    assert.ok(isWorkspaceAdmin({ roles: ['user', 'admin'] } as IUser));
    assert.ok(!isWorkspaceAdmin({ roles: ['user', 'owner'] } as IUser));
    assert.ok(!isWorkspaceAdmin({} as IUser));
  });
});

void describe('URL credentials never reach messages or logs', () => {
  void test('userinfo is stripped from every URL in a text', () => {
    assert.equal(
      withoutUserinfo(
        'POST https://me:s3cret@rpc.example/api/v0/add failed; see http://a@b.example/x and http://c.example',
      ),
      'POST https://rpc.example/api/v0/add failed; see http://b.example/x and http://c.example',
    );
  });

  void test('an HTTP failure quoting the URL keeps no password in its message, summary or text for the user', () => {
    const err = errorFromThrow(
      new Error('request to http://ipfs:s3cret@10.0.0.7:5001/api/v0/version failed, reason: connect ECONNREFUSED'),
      'http://ipfs:s3cret@10.0.0.7:5001/api/v0',
    );
    assert.doesNotMatch(err.message, /s3cret/);
    assert.doesNotMatch(errorSummary(err), /s3cret/);
    assert.doesNotMatch(errorSummary(new Error('GET http://u:s3cret@x.example/ failed')), /s3cret/);
    assert.doesNotMatch(describeError(t, err), /s3cret/);
  });
});
