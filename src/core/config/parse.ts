/**
 * `azure.yaml` text → typed config plus problems, each at an exact place in the
 * file. Never throws: hostile or broken input becomes problems.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { canonicalComponentName } from '../components';
import { loadYaml, type LoadedYaml } from './load';
import { keyString, ReadContext, rootField } from './reader';
import { PROVIDERS, readInfraConfig } from './rules';
import { ProblemList, SourceText } from './source';
import { formatOfKeys, pathInFile, readInfrastructureYaml, readModelopsYaml } from './unified';
import type { ConfigFormat, ConfigPath, InfraConfig, ParsedConfig, Problem, ProviderKind, SourceRange } from './types';


export function parseConfig(text: string, file: string): ParsedConfig {
  const source = new SourceText(file, text);
  const problems = new ProblemList(source);
  let loaded: LoadedYaml | undefined;
  let config: InfraConfig | undefined;
  let format: ConfigFormat = 'azure.yaml';
  try {
    loaded = loadYaml(text, problems);
    if (loaded) ({ config, format } = readDocument(loaded, problems));
  } catch (error) {
    // A bug here must not take the editor or CLI down with it; report it where it can be seen.
    problems.add('yaml-syntax', source.range(0, 0), `The config could not be read: ${(error as Error)?.message ?? String(error)}. Please report this with the file.`);
    config = undefined;
  }
  const locator = loaded ? new Locator(loaded, source) : undefined;
  return {
    file,
    text,
    format,
    config,
    problems: withoutTabEchoes(problems.sorted()),
    locate: (path: ConfigPath, value?: boolean) => locator?.locate(pathInFile(format, path), value === true),
  };
}

/** The format of `text` from its top-level keys alone, for help while typing (no rules run). */
/** The file's `provider`, when it names one this tool knows. */
export function providerOfText(text: string): ProviderKind | undefined {
  const contents = parseDocument(text).contents;
  const provider: unknown = isMap(contents) ? contents.get('provider') : undefined;
  return PROVIDERS.find((p) => p === provider);
}

export function formatOfText(text: string): ConfigFormat {
  const contents = parseDocument(text).contents;
  return isMap(contents) ? formatOfKeys((key) => contents.has(key)) : 'azure.yaml';
}

/** A tab-indented line is read at the wrong level; its "unknown key" would only mislead. */
function withoutTabEchoes(problems: Problem[]): Problem[] {
  const tabLines = new Set(problems.filter((p) => p.code === 'yaml-tab-indent').map((p) => p.range.start.line));
  return tabLines.size ? problems.filter((p) => !(p.code === 'unknown-key' && tabLines.has(p.range.start.line))) : problems;
}

function readDocument(loaded: LoadedYaml, problems: ProblemList): { config?: InfraConfig; format: ConfigFormat } {
  const { doc } = loaded;
  const ctx = new ReadContext(problems, loaded.anchors);
  const contents = ctx.deref(doc.contents ?? undefined);
  if (!contents || (isScalar(contents) && (contents.value === null || contents.value === undefined))) {
    if (doc.errors.length === 0) {
      problems.add('empty-config', problems.source.range(0, 0), 'The file is empty. The smallest valid config is one line: `provider: local` (everything on this machine), or `provider: azure` with `subscription_id` and `aks`.');
    }
    return { format: 'azure.yaml' };
  }
  if (!isMap(contents)) {
    const kind = isSeq(contents) ? 'a list' : 'a single value';
    problems.add('not-a-mapping', problems.source.rangeOfNode(contents), `The file is ${kind}, but a config is a mapping of \`key: value\` lines, starting with \`provider: local\` or \`provider: azure\`.`);
    return { format: 'azure.yaml' };
  }
  const root = rootField(ctx, contents);
  const top = root.map()!;
  const format = formatOfKeys((key) => top.has(key));
  const read = { 'modelops.yaml': readModelopsYaml, 'infrastructure.yaml': readInfrastructureYaml, 'azure.yaml': readInfraConfig }[format];
  return { config: read(root), format };
}

/** Finds keys and values by path, following aliases. */
class Locator {
  constructor(private readonly loaded: LoadedYaml, private readonly source: SourceText) {}

  locate(path: ConfigPath, value: boolean): SourceRange | undefined {
    let node = this.deref(this.loaded.doc.contents);
    if (!node) return undefined;
    if (path.length === 0) return this.source.rangeOfNode(node);
    let keyNode: Node | undefined;
    for (const segment of path) {
      const step = this.child(node, segment);
      if (!step) return undefined;
      keyNode = step.key;
      node = step.value;
    }
    if (value && node && !(isScalar(node) && node.range && node.range[0] === node.range[1])) return this.source.rangeOfNode(node);
    return this.source.rangeOfNode(keyNode ?? node);
  }

  private child(node: Node | undefined, segment: string | number): { key?: Node; value?: Node } | undefined {
    if (typeof segment === 'number') {
      if (!isSeq(node)) return undefined;
      const item = this.deref(node.items[segment]);
      return item ? { value: item } : undefined;
    }
    if (!isMap(node)) return undefined;
    const pair = this.findPair(node.items, (key) => key === segment) ?? this.findPair(node.items, (key) => canonicalComponentName(key) === canonicalComponentName(segment));
    if (!pair) return undefined;
    return { key: this.deref(pair.key), value: this.deref(pair.value) };
  }

  /** First pair whose key matches. The canonical fallback lets `['depends_on','resource-group']` find `resource_group:`. */
  private findPair(items: readonly unknown[], matches: (key: string) => boolean): { key: unknown; value: unknown } | undefined {
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const key = keyString(this.deref(pair.key));
      if (key !== undefined && matches(key)) return pair;
    }
    return undefined;
  }

  private deref(node: unknown): Node | undefined {
    if (!isNode(node)) return undefined;
    return isAlias(node) ? this.loaded.anchors.resolve(node) : node;
  }
}
