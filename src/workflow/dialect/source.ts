/**
 * YAML text -> plain JS values plus a source position for every value and key, so every diagnostic
 * can say `path:line:col`.
 *
 * The `yaml` package (eemeli, v2) parses with YAML 1.2 (core schema: `YES`/`NO` stay strings) and
 * merge keys on. We walk its node tree ourselves (rather than `toJS()`) to keep positions:
 * - a value reached through an alias (`*x`) is located at the alias use site; the values inside it
 *   (the keys and items of an aliased mapping or sequence) are located in the anchored definition
 *   (`&x ...`), since that is the only place they are written;
 * - keys brought in by a merge key (`<<: *base`) are located in the anchored mapping.
 *
 * Offsets are mapped through `toOriginal` first: the `$WORKFLOW{}` pre-pass edits the raw text before
 * the YAML parser sees it, and positions must point into the file as written.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../../core/errors.js';
import type { Diagnostic } from '../model.js';

export type Path = (string | number)[];

export interface PathInfo {
  /** Offset (in the parsed text) of the value. */
  at: number;
  /** Offset of the key, for mapping entries. */
  keyAt?: number;
  /** The scalar's source text as written (to tell `1.0` from `1`). */
  source?: string;
}

export class Positions {
  private readonly lineStarts: number[];
  private readonly byPath = new Map<string, PathInfo>();

  constructor(
    readonly file: string,
    /** The file as written. */
    readonly original: string,
    private readonly toOriginal: (offset: number) => number = (o) => o,
  ) {
    this.lineStarts = [0];
    for (let i = 0; i < original.length; i++) if (original.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  static key(path: Path): string {
    return path.join('\u001f');
  }

  set(path: Path, info: PathInfo): void {
    this.byPath.set(Positions.key(path), info);
  }

  info(path: Path): PathInfo | undefined {
    return this.byPath.get(Positions.key(path));
  }

  /** Location of an offset in the parsed text. */
  locAt(offset: number): SourceLocation {
    return this.locAtOriginal(this.toOriginal(offset));
  }

  /** Offset in the file as written of an offset in the parsed text. */
  originalOffset(offset: number): number {
    return this.toOriginal(offset);
  }

  locAtOriginal(o: number): SourceLocation {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, col: o - this.lineStarts[lo] + 1 };
  }

  /** Location of the value at `path`, else of its nearest located ancestor. */
  loc(path: Path): SourceLocation {
    for (let n = path.length; n >= 0; n--) {
      const info = this.byPath.get(Positions.key(path.slice(0, n)));
      if (info) return this.locAt(info.at);
    }
    return { file: this.file, line: 1, col: 1 };
  }

  /** Location of the key at `path` (for unknown keys), else of its value. */
  keyLoc(path: Path): SourceLocation {
    const info = this.byPath.get(Positions.key(path));
    if (info?.keyAt !== undefined) return this.locAt(info.keyAt);
    return this.loc(path);
  }
}

/**
 * We expand aliases ourselves (not with toJS), so yaml's `maxAliasCount` does not apply; this budget
 * plays its role (generous: a 2,000-task workflow is about 20,000 values; a "billion laughs" file
 * stops here).
 */
const MAX_NODES = 250_000;

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return v === '<<' || (typeof v === 'symbol' && v.description === '<<');
}

export interface ParsedYaml {
  value: unknown;
  positions: Positions;
  diagnostics: Diagnostic[];
}

/**
 * Parses `text` (already through the `$WORKFLOW` pre-pass; `original` is the file as written).
 * Syntax errors become diagnostics; the value is undefined when the document cannot be used.
 */
export function parseYaml(file: string, text: string, original: string, toOriginal?: (o: number) => number): ParsedYaml {
  const positions = new Positions(file, original, toOriginal);
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(text, { version: '1.2', merge: true, uniqueKeys: true, prettyErrors: false });
  for (const e of doc.errors) {
    diagnostics.push({ severity: 'error', message: `YAML syntax error: ${firstLine(e.message)}`, loc: positions.locAt(e.pos[0]) });
  }
  for (const w of doc.warnings) {
    diagnostics.push({ severity: 'warning', message: `YAML: ${firstLine(w.message)}`, loc: positions.locAt(w.pos[0]) });
  }
  if (doc.errors.length > 0) return { value: undefined, positions, diagnostics };
  const walker = new Walker(doc, positions, diagnostics);
  const value = walker.convert(doc.contents as Node | null, [], 0);
  return { value: walker.exhausted ? undefined : value, positions, diagnostics };
}

function firstLine(s: string): string {
  if (s.startsWith('Source contains multiple documents')) return 'a workflow file holds one YAML document (found a second one after ---)';
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

class Walker {
  private count = 0;
  private readonly active = new Set<Node>();
  /** yaml's Alias.resolve walks the whole document; each alias node is resolved once. */
  private readonly targets = new Map<Node, Node | undefined>();
  private tooMany = false;

  get exhausted(): boolean {
    return this.tooMany;
  }

  constructor(
    private readonly doc: Document,
    private readonly positions: Positions,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private error(message: string, offset: number): void {
    this.diagnostics.push({ severity: 'error', message, loc: this.positions.locAt(offset) });
  }

  convert(node: Node | null | undefined, path: Path, fallbackAt: number, keyAt?: number): unknown {
    if (++this.count > MAX_NODES) {
      if (!this.tooMany) this.error(`YAML expands to more than ${MAX_NODES} values through aliases`, fallbackAt);
      this.tooMany = true;
      return null;
    }
    if (node === null || node === undefined) {
      this.positions.set(path, { at: fallbackAt, keyAt });
      return null;
    }
    const at = node.range?.[0] ?? fallbackAt;
    if (isAlias(node)) {
      const target = this.resolveAlias(node);
      if (!target) {
        this.error(`unknown alias *${node.source}`, at);
        return null;
      }
      if (this.active.has(target)) {
        this.error(`alias *${node.source} refers to itself`, at);
        return null;
      }
      this.active.add(target);
      const v = this.convert(target, path, at, keyAt);
      this.active.delete(target);
      // The aliased value itself is located at the use site.
      const info = this.positions.info(path);
      this.positions.set(path, { ...info, at, keyAt });
      return v;
    }
    if (isScalar(node)) {
      const v = node.value;
      this.positions.set(path, { at, keyAt, source: typeof v === 'number' ? node.source : undefined });
      if (typeof v === 'symbol') return v.description ?? '';
      if (typeof v === 'bigint') return Number(v);
      return v;
    }
    if (isSeq(node)) {
      this.positions.set(path, { at, keyAt });
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        out.push(this.convert(item as Node | null, [...path, i], at));
      });
      return out;
    }
    if (isMap(node)) {
      this.positions.set(path, { at, keyAt });
      const out: Record<string, unknown> = {};
      const explicit = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair) || isMergeKey(pair.key)) continue;
        const k = this.keyString(pair.key as Node | null, at);
        if (k !== undefined) explicit.add(k);
      }
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const kNode = pair.key as Node | null;
        const kAt = kNode?.range?.[0] ?? at;
        if (isMergeKey(kNode)) {
          this.merge(pair.value as Node | null, out, explicit, path, kAt);
          continue;
        }
        const k = this.keyString(kNode, at);
        if (k === undefined) continue;
        define(out, k, this.convert(pair.value as Node | null, [...path, k], kAt, kAt));
      }
      return out;
    }
    this.error('unsupported YAML node', at);
    return null;
  }

  private resolveAlias(node: Node): Node | undefined {
    if (!isAlias(node)) return node;
    if (!this.targets.has(node)) this.targets.set(node, node.resolve(this.doc) as Node | undefined);
    return this.targets.get(node);
  }

  private keyString(key: Node | null, at: number): string | undefined {
    if (key === null) return '';
    if (isScalar(key)) return key.value === null ? '' : String(key.value);
    this.error('mapping keys must be plain values', key.range?.[0] ?? at);
    return undefined;
  }

  /** `<<: *a` or `<<: [*a, *b]`: fill keys not written explicitly; earlier sources win. */
  private merge(value: Node | null, out: Record<string, unknown>, explicit: Set<string>, path: Path, at: number): void {
    const sources: Node[] = [];
    const resolve = (n: Node): Node | undefined => this.resolveAlias(n);
    const v = value ? resolve(value) : undefined;
    if (v && isSeq(v)) for (const it of v.items) sources.push(resolve(it as Node) as Node);
    else if (v) sources.push(v);
    for (const src of sources) {
      if (!src || !isMap(src)) {
        this.error('a merge key (<<) needs a mapping or a list of mappings', value?.range?.[0] ?? at);
        continue;
      }
      if (this.active.has(src)) {
        this.error('a merge key (<<) refers to its own mapping', value?.range?.[0] ?? at);
        continue;
      }
      this.active.add(src);
      for (const pair of src.items) {
        if (!isPair(pair)) continue;
        const kNode = pair.key as Node | null;
        const kAt = kNode?.range?.[0] ?? at;
        if (isMergeKey(kNode)) {
          // Nested merges inside the source mapping.
          this.merge(pair.value as Node | null, out, explicit, path, kAt);
          continue;
        }
        const k = this.keyString(kNode, at);
        if (k === undefined || explicit.has(k) || Object.prototype.hasOwnProperty.call(out, k)) continue;
        define(out, k, this.convert(pair.value as Node | null, [...path, k], kAt, kAt));
      }
      this.active.delete(src);
    }
  }
}

function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
