/**
 * Completion and hover in the config this extension works on, whatever its path, from our
 * own JSON schema (core/config/schemaHelp.ts), or for the original modelops's modelops.yaml and
 * infrastructure.yaml from theirs (core/config/originalSchema.ts): they need no other extension.
 * When the Red Hat YAML extension is installed it gets the same schema for that file too (redHatYaml.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { schemaFor } from '../../core/config/originalSchema';
import { formatOfText, providerOfText } from '../../core/config/parse';
import { sectionsWithoutEffect } from '../../core/config/rules';
import { describeKey, keyDetail, keyHelpAt, keysAt, snippetsAt, valuesAt, type SchemaNode } from '../../core/config/schemaHelp';
import type { ConfigFormat } from '../../core/config/types';
import { yamlContextAt } from '../../core/config/yamlContext';
import type { ConfigLocator } from '../config/configLocator';

/** The schema of a config format: azure.yaml's read once on first use, the others derived from it once. */
export function schemaLoader(extensionPath: string): (format: ConfigFormat) => SchemaNode {
  let azure: SchemaNode | undefined;
  const derived = new Map<ConfigFormat, SchemaNode>();
  return (format) => {
    azure ??= JSON.parse(readFileSync(join(extensionPath, 'schema', 'azure.yaml.schema.json'), 'utf8')) as SchemaNode;
    if (!derived.has(format)) derived.set(format, schemaFor(format, azure));
    return derived.get(format)!;
  };
}

/** The schema `doc` is written to (its format by its version key). */
const schemaOf = (schema: (format: ConfigFormat) => SchemaNode, doc: vscode.TextDocument): SchemaNode => schema(formatOfText(doc.getText()));

class ConfigCompletion implements vscode.CompletionItemProvider {
  constructor(
    private readonly isConfig: (doc: vscode.TextDocument) => boolean,
    private readonly schema: (format: ConfigFormat) => SchemaNode,
  ) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position, _token: vscode.CancellationToken, context: vscode.CompletionContext): vscode.CompletionItem[] | undefined {
    if (!this.isConfig(doc)) return undefined;
    const format = formatOfText(doc.getText());
    const schema = this.schema(format);
    const ctx = yamlContextAt(doc.getText(), position.line, position.character);
    // A space opens the list only right after `key: `, never while indenting.
    if (context.triggerCharacter === ' ' && (ctx.valueFor === undefined || ctx.prefix !== '')) return undefined;
    const range = new vscode.Range(position.translate(0, -ctx.prefix.length), position);
    if (ctx.valueFor !== undefined) {
      return valuesAt(schema, [...ctx.path, ctx.valueFor]).map((value, i) => {
        const item = new vscode.CompletionItem(value, vscode.CompletionItemKind.Value);
        item.range = range;
        item.sortText = String(i).padStart(3, '0');
        return item;
      });
    }
    // A section the file's provider ignores (the reader would flag it) is not offered at the top.
    const ignored = ctx.path.length === 0 && format === 'azure.yaml' ? sectionsWithoutEffect(providerOfText(doc.getText())) : [];
    const taken = new Set([...ctx.siblings, ...ignored]);
    const keys = keysAt(schema, ctx.path)
      .filter((k) => !taken.has(k.key))
      .map(({ key, node }, i) => {
        const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
        item.insertText = new vscode.SnippetString(`${key}: `);
        item.documentation = new vscode.MarkdownString(describeKey(key, node));
        item.detail = keyDetail(node);
        item.range = range;
        item.sortText = String(i).padStart(3, '0');
        return item;
      });
    const indent = ' '.repeat(ctx.column);
    const snippets = snippetsAt(schema, ctx.path, ctx.startsItem).map((s) => {
      const item = new vscode.CompletionItem(s.label, vscode.CompletionItemKind.Snippet);
      item.insertText = new vscode.SnippetString(s.body.split('\n').join(`\n${indent}`));
      // The lines carry their indentation already; VS Code would add the cursor line's again (6 for 4).
      item.keepWhitespace = true;
      item.detail = s.detail;
      item.range = range;
      item.sortText = `~${s.label}`;
      return item;
    });
    return [...keys, ...snippets];
  }
}

class ConfigHover implements vscode.HoverProvider {
  constructor(
    private readonly isConfig: (doc: vscode.TextDocument) => boolean,
    private readonly schema: (format: ConfigFormat) => SchemaNode,
  ) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.isConfig(doc)) return undefined;
    const help = keyHelpAt(schemaOf(this.schema, doc), doc.getText(), position.line, position.character);
    if (!help) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(help.markdown), new vscode.Range(position.line, help.start, position.line, help.end));
  }
}

export function registerConfigHelp(locator: ConfigLocator, schema: (format: ConfigFormat) => SchemaNode): vscode.Disposable {
  const isConfig = (doc: vscode.TextDocument) => doc.uri.toString() === locator.uri?.toString();
  const selector: vscode.DocumentSelector = [{ language: 'yaml', scheme: 'file' }];
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(selector, new ConfigCompletion(isConfig, schema), ' '),
    vscode.languages.registerHoverProvider(selector, new ConfigHover(isConfig, schema)),
  );
}
