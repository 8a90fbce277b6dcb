import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAnalysisConfig, parseConfigText, parseConfigYaml } from '../../../src/analysis/config.js';
import { QuantflowError } from '../../../src/core/errors.js';
import { repoRoot } from '../../support/fs.js';

function errorOf(f: () => unknown): QuantflowError {
  try {
    f();
  } catch (e) {
    if (e instanceof QuantflowError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('feature/signal configuration', () => {
  it('the shipped text and YAML files are equivalent', () => {
    const txt = loadAnalysisConfig(join(repoRoot, 'workflows/feature_signal.txt'));
    const yml = loadAnalysisConfig(join(repoRoot, 'workflows/feature_signal.yaml'));
    expect(txt.features).toEqual(['ma', 'bbands', 'talib_pattern', 'kbar']);
    expect(txt.signals).toEqual([{ name: 'ma_cross', fast: 5, slow: 10, maxChange: 0.09 }]);
    expect({ ...yml, source: '' }).toEqual({ ...txt, source: '' });
    expect(readFileSync(join(repoRoot, 'workflows/feature_signal.txt'), 'utf8')).toMatch(/^signal: ma_cross$/m);
  });

  it('reads options and indicator entries in both forms identically', () => {
    const txt = parseConfigText(
      ['signal: ma_cross fast=3 slow=8', 'signal: ma_up max_change=0.095', 'feature: ma', 'feature: indicator rsi 14', 'feature: indicator macd 12 26 9', 'feature: kbar  # trailing comment'].join('\n'),
    );
    const yml = parseConfigYaml(`signals:
  - {name: ma_cross, fast: 3, slow: 8}
  - {name: ma_up, max_change: 0.095}
features:
  - ma
  - {indicator: rsi, options: [14]}
  - indicator: macd
    options: [12, 26, 9]
  - kbar
`);
    expect({ ...yml, source: '' }).toEqual({ ...txt, source: '' });
    expect(txt.signals[0]).toEqual({ name: 'ma_cross', fast: 3, slow: 8, maxChange: 0.09 });
    expect(txt.signals[1]!.maxChange).toBe(0.095);
    expect(txt.features).toEqual(['ma', 'indicator', 'kbar']);
    expect(txt.indicators).toEqual([{ indicator: 'rsi', options: [14] }, { indicator: 'macd', options: [12, 26, 9] }]);
  });

  it('points errors at path:line:col', () => {
    let e = errorOf(() => parseConfigText('feature: ma\n  feature: bolinger\n', 'fs.txt'));
    expect(e.oneLine()).toBe('fs.txt:2:12: unknown feature "bolinger" (known: ma, bbands, talib_pattern, kbar, indicator)');
    expect(e.exitCode).toBe(2);
    e = errorOf(() => parseConfigText('signal: ma_cross fast=10 slow=5', 'fs.txt'));
    expect(e.oneLine()).toMatch(/^fs\.txt:1:9: signal ma_cross: fast \(10\) must be shorter than slow \(5\)/);
    e = errorOf(() => parseConfigText('feature: indicator rsi', 'fs.txt'));
    expect(e.oneLine()).toMatch(/^fs\.txt:1:20: indicator rsi takes 1 option/);
    e = errorOf(() => parseConfigText('features: ma', 'fs.txt'));
    expect(e.oneLine()).toBe('fs.txt:1:1: expected "feature: NAME" or "signal: NAME"');
    e = errorOf(() => parseConfigYaml('features:\n  - ma\n  - {indicator: nosuch, options: [1]}\n', 'fs.yaml'));
    expect(e.oneLine()).toMatch(/^fs\.yaml:3:5: unknown tulind indicator "nosuch"/);
    e = errorOf(() => loadAnalysisConfig('/nonexistent/fs.txt'));
    expect(e.oneLine()).toMatch(/cannot read the feature\/signal config \/nonexistent\/fs.txt: ENOENT/);
  });
});
