// What the architecture test measures: the layer of each file of src/ and the layers its imports
// reach, and the functions of a file with their lengths in lines (TypeScript's own parser).
import type ts from 'typescript';

/** For each folder of src/, the other folders it may import from. */
export type Layers = Readonly<Record<string, readonly string[]>>;

/** The folder of src/ a path lies in ('main.ts' for the composition root). */
export function layerOf(path: string): string {
  const match = /^src\/([^/]+)\//.exec(path);
  return match?.[1] ?? path.replace(/^src\//, '');
}

/** Relative imports of a file that leave the folders its layer may import from. */
export function layerImportProblems(file: string, text: string, layers: Layers): string[] {
  const layer = layerOf(file);
  if (layer === 'main.ts') return [];
  const allowed = layers[layer];
  if (allowed === undefined) return [`${file}: src/${layer} is not a known layer`];
  const dir = file.split('/').slice(0, -1);
  return [...text.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)].flatMap((m) => {
    const target = resolve(dir, m[1] ?? '');
    const reached = layerOf(target);
    return reached === layer || allowed.includes(reached)
      ? []
      : [`${file} imports ${target} (src/${layer} may import ${[layer, ...allowed].join(', ')})`];
  });
}

function resolve(dir: readonly string[], relativePath: string): string {
  const parts = [...dir];
  for (const part of relativePath.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

export interface MeasuredFunction {
  /** Enclosing names, outermost first (`Class.method`, `outer>inner`, `<anonymous>`). */
  readonly name: string;
  readonly lines: number;
}

/** Every function-like node of a file with its span in lines, nested ones included in their parent. */
export function functionsOf(typescript: typeof ts, file: string, text: string): MeasuredFunction[] {
  const source = typescript.createSourceFile(file, text, typescript.ScriptTarget.Latest, true);
  const found: MeasuredFunction[] = [];
  const line = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const visit = (node: ts.Node, outer: string) => {
    let name = outer;
    if (
      typescript.isFunctionDeclaration(node) ||
      typescript.isMethodDeclaration(node) ||
      typescript.isArrowFunction(node) ||
      typescript.isFunctionExpression(node) ||
      typescript.isConstructorDeclaration(node)
    ) {
      const own = ownName(typescript, node);
      name = outer === '' ? own : `${outer}>${own}`;
      found.push({ name, lines: line(node.getEnd()) - line(node.getStart()) + 1 });
    } else if (typescript.isClassDeclaration(node) && node.name !== undefined) {
      name = node.name.getText();
    }
    typescript.forEachChild(node, (child) => visit(child, name));
  };
  visit(source, '');
  return found;
}

function ownName(typescript: typeof ts, node: ts.Node): string {
  if (typescript.isConstructorDeclaration(node)) return 'constructor';
  const named = (node as ts.FunctionDeclaration).name;
  if (named !== undefined) return named.getText();
  const parent = node.parent;
  if (typescript.isVariableDeclaration(parent) || typescript.isPropertyAssignment(parent))
    return parent.name.getText();
  return '<anonymous>';
}
