import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { KdfTooExpensiveError } from '../../src/crypto/errors';
import { INTERACTIVE_KDF_BUDGET, KDF_LIMITS, checkKdfParams, withinKdfBudget } from '../../src/crypto/kdf';

void describe('scrypt cost budgets', () => {
  void test('the form derives only up to the work of logN 18, r 8, p 1, whichever parameter makes it up', () => {
    assert.ok(withinKdfBudget({ logN: 18, r: 8, p: 1 }, INTERACTIVE_KDF_BUDGET));
    assert.ok(withinKdfBudget({ logN: 16, r: 8, p: 4 }, INTERACTIVE_KDF_BUDGET));
    // the crafted header of the review: logN within bounds, 4× the work through p
    assert.ok(!withinKdfBudget({ logN: 18, r: 8, p: 4 }, INTERACTIVE_KDF_BUDGET));
    assert.ok(!withinKdfBudget({ logN: 18, r: 8, p: 2 }, INTERACTIVE_KDF_BUDGET));
    assert.ok(!withinKdfBudget({ logN: 19, r: 1, p: 1 }, INTERACTIVE_KDF_BUDGET), 'logN alone');
    assert.ok(!withinKdfBudget({ logN: 10, r: 9, p: 1 }, INTERACTIVE_KDF_BUDGET), 'r alone');
    assert.ok(!withinKdfBudget({ logN: 10, r: 1, p: 5 }, INTERACTIVE_KDF_BUDGET), 'p alone');
  });

  void test('a header is too expensive at all when any one of the four limits is exceeded', () => {
    const over = [
      { logN: KDF_LIMITS.maxLogN + 1, r: 1, p: 1 },
      { logN: 10, r: KDF_LIMITS.maxR + 1, p: 1 },
      { logN: 10, r: 1, p: KDF_LIMITS.maxP + 1 },
      { logN: 20, r: 8, p: 2 }, // each parameter within bounds, N·r·p = 2^24
    ];
    for (const kdf of over) assert.throws(() => checkKdfParams(kdf), KdfTooExpensiveError, JSON.stringify(kdf));
    checkKdfParams({ logN: 18, r: 8, p: 4 }); // 2^23: the most the cap allows
  });
});
